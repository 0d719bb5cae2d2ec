package io.canal4j.elasticsearch.internal;

import io.canal4j.Committer;
import io.canal4j.elasticsearch.IndexerException;
import io.canal4j.schema.Position;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;

/**
 * Bulk batches on their way to the cluster, and the positions they make durable.
 *
 * <p><b>Lanes.</b> A document always goes to the same lane (by a hash of its index and id), and a
 * lane sends one batch at a time, in order, so a document's versions reach the cluster in binlog
 * order while the lanes send side by side. A lane's batch closes when it holds {@code maxActions}
 * items or {@code maxBytes}, when it is {@code flushInterval} old, or at a flush; at most {@code
 * maxQueued} closed batches wait per lane, then the canal's thread waits (back-pressure).
 *
 * <p><b>Commits.</b> Batches are numbered per lane (tickets). A position the canal may save is
 * {@linkplain #mark marked} with, for each lane, the ticket of the last batch holding an item given
 * before it; once every lane has finished those batches, the position is committed. Markers are
 * kept in order and one per distinct set of tickets, so a committed position never covers an item
 * that is not applied.
 */
public final class Lanes implements AutoCloseable {
  private record Batch(long ticket, List<BulkItem> items) {}

  private record Marker(Position position, long[] tickets) {}

  private final class Lane {
    final int number;
    List<BulkItem> open = new ArrayList<>();
    long openBytes;
    long openSince;
    long closed; // ticket of the last closed batch
    long done; // ticket of the last batch applied
    final ArrayDeque<Batch> ready = new ArrayDeque<>();
    Thread thread;

    Lane(int number) {
      this.number = number;
    }
  }

  private final Object lock = new Object();
  private final Lane[] lanes;
  private final ArrayDeque<Marker> markers = new ArrayDeque<>();
  private final BulkSender sender;
  private final Committer committer;
  private final int maxActions;
  private final long maxBytes;
  private final long flushNanos;
  private final int maxQueued;
  private final Logger log;
  private final String prefix;
  private final Thread timer;
  private volatile Throwable failure;
  private volatile boolean closing;

  public Lanes(
      int count,
      BulkSender sender,
      Committer committer,
      int maxActions,
      long maxBytes,
      Duration flushInterval,
      int maxQueued,
      ThreadFactory threads,
      Logger log,
      String name) {
    this.sender = sender;
    this.committer = committer;
    this.maxActions = maxActions;
    this.maxBytes = maxBytes;
    this.flushNanos = flushInterval.toNanos();
    this.maxQueued = maxQueued;
    this.log = log;
    this.prefix = "[" + name + "] ";
    lanes = new Lane[count];
    for (int i = 0; i < count; i++) {
      Lane l = new Lane(i);
      lanes[i] = l;
      l.thread = threads.newThread(() -> run(l));
      l.thread.setName("canal-" + name + "-es-" + i);
      l.thread.setDaemon(true);
    }
    timer = threads.newThread(this::tick);
    timer.setName("canal-" + name + "-es-flush");
    timer.setDaemon(true);
    for (Lane l : lanes) {
      l.thread.start();
    }
    timer.start();
  }

  /** The lane of a document. */
  public int laneOf(String index, String id) {
    return Math.floorMod(31 * index.hashCode() + id.hashCode(), lanes.length);
  }

  /** Adds an item to its lane's open batch; waits while the lane has too many batches queued. */
  public void add(int lane, BulkItem item) throws InterruptedException {
    synchronized (lock) {
      check();
      Lane l = lanes[lane];
      if (l.open.isEmpty()) {
        l.openSince = System.nanoTime();
      }
      l.open.add(item);
      l.openBytes += item.lines().length;
      if (l.open.size() >= maxActions || l.openBytes >= maxBytes) {
        close(l);
        while (l.ready.size() > maxQueued && failure == null && !closing) {
          lock.wait();
        }
        check();
      }
    }
  }

  /** Every item added so far is covered by {@code position}: commit it once they are applied. */
  public void mark(Position position) {
    Position commitNow = null;
    synchronized (lock) {
      long[] tickets = new long[lanes.length];
      boolean allDone = true;
      for (Lane l : lanes) {
        tickets[l.number] = l.open.isEmpty() ? l.closed : l.closed + 1;
        allDone &= tickets[l.number] <= l.done;
      }
      if (allDone && markers.isEmpty()) {
        commitNow = position;
      } else if (!markers.isEmpty() && Arrays.equals(markers.peekLast().tickets(), tickets)) {
        markers.pollLast();
        markers.addLast(new Marker(position, tickets));
      } else {
        markers.addLast(new Marker(position, tickets));
      }
    }
    if (commitNow != null) {
      committer.commit(commitNow);
    }
  }

  /** Closes every open batch and waits until all are applied. */
  public void awaitApplied() throws InterruptedException {
    synchronized (lock) {
      for (Lane l : lanes) {
        close(l);
      }
      while (failure == null && !closing && !allApplied()) {
        lock.wait();
      }
      check();
    }
  }

  private boolean allApplied() {
    for (Lane l : lanes) {
      if (l.done < l.closed) {
        return false;
      }
    }
    return true;
  }

  /** Throws the first lane's failure, if any. */
  public void check() {
    Throwable f = failure;
    if (f != null) {
      throw new IndexerException(f.getMessage(), f);
    }
    if (closing) {
      throw new IndexerException("the indexer was closed");
    }
  }

  private void close(Lane l) {
    if (l.open.isEmpty()) {
      return;
    }
    l.closed++;
    l.ready.addLast(new Batch(l.closed, l.open));
    l.open = new ArrayList<>();
    l.openBytes = 0;
    lock.notifyAll();
  }

  private void run(Lane l) {
    while (true) {
      Batch b;
      synchronized (lock) {
        while (l.ready.isEmpty() && !closing && failure == null) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closing || failure != null) {
          return;
        }
        b = l.ready.peekFirst();
      }
      try {
        sender.send(b.items(), () -> closing);
      } catch (InterruptedException e) {
        return; // closing
      } catch (RuntimeException | Error e) {
        fail(e);
        return;
      }
      applied(l, b.ticket());
    }
  }

  private void applied(Lane l, long ticket) {
    Position commit = null;
    synchronized (lock) {
      l.ready.pollFirst();
      l.done = ticket;
      while (!markers.isEmpty() && covered(markers.peekFirst())) {
        commit = markers.pollFirst().position();
      }
      lock.notifyAll();
    }
    if (commit != null) {
      committer.commit(commit);
    }
  }

  private boolean covered(Marker m) {
    for (Lane l : lanes) {
      if (m.tickets()[l.number] > l.done) {
        return false;
      }
    }
    return true;
  }

  private void fail(Throwable e) {
    synchronized (lock) {
      if (failure == null) {
        failure = e;
        log.error("{}indexer stopped: {}", prefix, e.getMessage());
      }
      lock.notifyAll();
    }
  }

  private void tick() {
    long sleep = Math.max(1, flushNanos / 4 / 1_000_000);
    while (!closing) {
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        return;
      }
      synchronized (lock) {
        long now = System.nanoTime();
        for (Lane l : lanes) {
          if (!l.open.isEmpty() && now - l.openSince >= flushNanos) {
            close(l);
          }
        }
      }
    }
  }

  /** Stops the lanes without waiting for what they hold: it is not committed, so it is replayed. */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    timer.interrupt();
    for (Lane l : lanes) {
      l.thread.interrupt();
    }
    for (Lane l : lanes) {
      try {
        l.thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
