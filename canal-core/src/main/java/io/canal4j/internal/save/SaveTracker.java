package io.canal4j.internal.save;

import io.canal4j.Checkpoint;
import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.SavePolicy;
import io.canal4j.error.HandlerException;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchemaCache;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one writer of checkpoints. Decides when a transaction end becomes a save point, and what is
 * saved: the last delivered transaction end, or with manual commit the last one the handler
 * acknowledged, whichever is earlier, together with the schema history in force at that position.
 *
 * <p>The rule it keeps: nothing that lets a restart skip rows (a position, a snapshot chunk marked
 * done) is saved before {@code onPosSynced} returned for it, or, with manual commit, before the
 * handler committed a position covering it. Snapshot chunks count as done in a checkpoint only once
 * durable ({@link SnapshotMarks}). Canal thread only, except {@link #acknowledge}.
 */
public final class SaveTracker {
  private final EventHandler handler;
  private final PositionStore store;
  private final long intervalNanos;
  private final boolean manualCommit;
  private final AtomicReference<Position> acknowledged = new AtomicReference<>();
  private Position latest;
  private Position saved;
  private TableSchemaCache schemas;
  private String latestHistory;
  private String savedHistory;

  /** A watermark snapshot's plan while it runs with the stream; saved with every checkpoint. */
  private Supplier<String> snapshotPlan;

  private Position snapshotEnd; // where the watermark snapshot's last chunk was delivered
  private String savedPlan;

  /** Which delivered snapshot chunks are durable. */
  private final SnapshotMarks marks = new SnapshotMarks();

  /** A snapshot at one point: where streaming will start, and its plan (until acknowledged). */
  private Position pointFirst;

  private String pointHistory; // the schema history at pointFirst

  private SnapshotPlan pointPlan;

  /** With manual commit: where the history changed after the last save, oldest first. */
  private final ArrayDeque<Version> versions = new ArrayDeque<>();

  private record Version(Position position, String history) {}

  private long lastSaveNanos = System.nanoTime();

  public SaveTracker(
      EventHandler handler, PositionStore store, SavePolicy policy, boolean manualCommit) {
    this.handler = handler;
    this.store = store;
    this.intervalNanos = policy.interval().toNanos();
    this.manualCommit = manualCommit;
  }

  /** The cache whose history is saved with each checkpoint. */
  public void saveHistoryOf(TableSchemaCache schemas) {
    this.schemas = schemas;
  }

  /** The position the canal resumed from counts as saved. */
  public void resumedFrom(Position position) {
    latest = position;
    saved = position;
    latestHistory = history();
    savedHistory = latestHistory;
    acknowledged.compareAndSet(null, position);
  }

  /**
   * A canal without a saved position starts at {@code position}, which is saved at once: otherwise
   * a crash before the first save point would restart at a later "current" position and skip what
   * was written in between.
   */
  public void startedFresh(Position position) {
    latest = position;
    saved = null;
    latestHistory = history();
    acknowledged.compareAndSet(null, position);
    save(true);
  }

  /**
   * An initial snapshot starts at {@code point}: the point is saved at once, marked as a snapshot
   * in progress, without telling the handler. After a crash, the next start takes the snapshot
   * again and streams from this first point, so that nothing changed since the rows the broken
   * snapshot delivered is missed (a row it delivered and that was deleted since, for one).
   */
  public void snapshotStarted(Position point) {
    store.save(new Checkpoint(point, history(), SnapshotPlan.RUNNING, Instant.now()));
  }

  /** The checkpoint in the store, as the next start would read it. */
  public Optional<Checkpoint> saved() {
    return store.load();
  }

  /** Where checkpoints go, as messages name it. */
  public PositionStore store() {
    return store;
  }

  /**
   * A snapshot at one point planned its chunks (or resumed a saved plan): saves {@code first},
   * where streaming will start, with the plan at once. No save point is needed: it marks no chunk
   * done that the last checkpoint did not.
   */
  public void pointSnapshotPlanned(Position first, SnapshotPlan plan) {
    marks.restart();
    pointFirst = first;
    pointHistory = history();
    pointPlan = plan;
    savedPlan = plan.format();
    lastSaveNanos = System.nanoTime();
    store.save(new Checkpoint(first, pointHistory, savedPlan, Instant.now()));
  }

  /**
   * A chunk of the snapshot at {@code point} was delivered: when the policy says it is time, a save
   * point ({@code onPosSynced} with the point marked by the chunks delivered), then the plan with
   * the chunks now durable saved as done.
   */
  public void pointChunkDelivered(Position point) {
    if (System.nanoTime() - lastSaveNanos < intervalNanos) {
      return;
    }
    Position mark = marks.mark(point);
    synced(mark, false);
    lastSaveNanos = System.nanoTime();
    savePointPlan();
  }

  /** Saves the point snapshot's plan with its durable chunks done, when that changed. */
  private void savePointPlan() {
    String text = marks.durable(pointPlan, null).format();
    if (!text.equals(savedPlan)) {
      // The history at the first point: the stream may have passed DDL since the handoff.
      store.save(new Checkpoint(pointFirst, pointHistory, text, Instant.now()));
      savedPlan = text;
    }
  }

  /** {@code at}'s binlog point marked with the snapshot chunks delivered so far. */
  public Position mark(Position at) {
    return marks.mark(at);
  }

  /** Chunk {@code chunk} of the snapshot's plan was delivered in full, the stream at {@code at}. */
  public void chunkDelivered(int chunk, Position at) {
    marks.chunkDelivered(chunk, at);
  }

  /** {@code plan} with only its durable chunks done: what a checkpoint may call done. */
  public SnapshotPlan durable(SnapshotPlan plan) {
    return marks.durable(plan, acknowledged.get());
  }

  /** Calls {@code onPosSynced}; under automatic commit, what was delivered is durable after it. */
  private void synced(Position position, boolean force) {
    try {
      handler.onPosSynced(position, force);
    } catch (Exception e) {
      throw new HandlerException(
          "the handler's onPosSynced failed at " + position + ": " + e, position, e);
    }
    if (!manualCommit) {
      marks.allDurable();
    }
  }

  /**
   * The initial snapshot was delivered; streaming starts at {@code from}. Tells the handler ({@code
   * onPosSynced(from, true)}) and saves {@code from} as a finished start. With manual commit,
   * acknowledgements made during the snapshot do not count (every SNAPSHOT row carries the
   * snapshot's point, so they cannot tell how much is durable): the checkpoint stays marked as a
   * snapshot in progress until the handler acknowledges {@code from} or a later position.
   */
  public void snapshotDelivered(Position from) {
    latest = from;
    saved = null;
    latestHistory = history();
    savedHistory = latestHistory;
    versions.clear();
    if (manualCommit) {
      acknowledged.set(null);
    } else {
      acknowledged.set(from);
      pointPlan = null;
    }
    save(true);
  }

  /**
   * A watermark snapshot runs with the stream: from now on every checkpoint carries {@code plan}'s
   * text, so that a restart streams from the checkpoint and reads the chunks not done yet.
   */
  public void snapshotRunning(Supplier<String> plan) {
    snapshotPlan = plan;
    snapshotEnd = null;
    marks.streamSnapshotStarted();
  }

  /**
   * The watermark snapshot's last chunk was delivered with the stream at {@code end}. Checkpoints
   * at or after it carry no plan; with manual commit, earlier ones still do until the handler
   * acknowledges {@code end}.
   */
  public void snapshotFinished(Position end) {
    snapshotEnd = end;
  }

  /** A transaction ended at {@code position}; saves if forced or the policy says it is time. */
  public void transactionEnd(Position position, boolean force) {
    latest = position;
    String h = history();
    if (h != latestHistory) { // identity: the cache hands out a new text only when it changed
      latestHistory = h;
      if (manualCommit) {
        versions.addLast(new Version(position, h));
      }
    }
    if (force || System.nanoTime() - lastSaveNanos >= intervalNanos) {
      save(force);
    }
  }

  /** An idle moment (heartbeat): saves what is pending if the policy says it is time. */
  public void idle() {
    if (latest != null
        && !latest.equals(saved)
        && System.nanoTime() - lastSaveNanos >= intervalNanos) {
      save(false);
    }
  }

  /**
   * Called by the handler's committer, from any thread. A snapshot mark acknowledges the chunks
   * delivered before it, and with a lock-free snapshot the stream position it was made at.
   */
  public void acknowledge(Position committed) {
    Position position = committed;
    if (committed.isSnapshotMark()) {
      position = marks.acknowledge(committed);
      if (position == null) {
        return;
      }
    }
    acknowledged.accumulateAndGet(
        position, (old, now) -> old == null || now.compareTo(old) > 0 ? now : old);
  }

  public Position latest() {
    return latest;
  }

  /** The schema history in force at {@link #latest()}. */
  public String latestHistory() {
    return latestHistory;
  }

  private String history() {
    return schemas == null ? null : schemas.history();
  }

  /** The history in force at {@code target} (at or before the latest position). */
  private String historyAt(Position target) {
    if (target.equals(latest)) {
      return latestHistory;
    }
    String h = savedHistory;
    for (Version v : versions) {
      if (v.position.compareTo(target) > 0) {
        break;
      }
      h = v.history;
    }
    return h;
  }

  /** A save point: tells the handler, then saves the checkpoint. */
  public void save(boolean force) {
    if (latest == null) {
      return;
    }
    // Under manual commit, while a lock-free snapshot has chunks not yet acknowledged, the save
    // point is marked, so that committing it acknowledges them too.
    boolean marked = manualCommit && snapshotPlan != null && marks.anyPending(acknowledged.get());
    synced(marked ? marks.mark(latest) : latest, force);
    Position target = latest;
    if (manualCommit) {
      Position acked = acknowledged.get();
      if (acked == null) {
        if (pointPlan != null) {
          savePointPlan(); // the handoff is not acknowledged yet; chunks may be
        }
        return;
      }
      pointPlan = null; // acknowledged after the handoff: the whole snapshot is durable
      if (acked.compareTo(target) < 0) {
        target = acked;
      }
    }
    lastSaveNanos = System.nanoTime();
    if (snapshotPlan != null
        && snapshotEnd != null
        && target.compareTo(snapshotEnd) >= 0
        && !marks.anyPending(acknowledged.get())) {
      snapshotPlan = null; // the snapshot is complete and durable at the saved position
    }
    String plan = snapshotPlan == null ? null : snapshotPlan.get();
    if (!target.equals(saved) || !Objects.equals(plan, savedPlan)) {
      String history = historyAt(target);
      store.save(new Checkpoint(target, history, plan, Instant.now()));
      saved = target;
      savedHistory = history;
      savedPlan = plan;
      while (!versions.isEmpty() && versions.peekFirst().position.compareTo(target) <= 0) {
        versions.removeFirst();
      }
    }
  }
}
