package io.canal4j.internal.watermark;

import io.canal4j.ZeroDates;
import io.canal4j.dump.Chunk;
import io.canal4j.error.ServerException;
import io.canal4j.internal.config.Backoff;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.server.ServerErrors;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.server.ServerProbe;
import io.canal4j.internal.watermark.KeyLog.Registration;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.value.JdbcValues;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lock-free snapshot's readers: threads that take chunks from a queue, register a low
 * watermark, read the chunk, take a high watermark and hand the result to the canal thread, which
 * delivers it once the stream has passed the high watermark. A read that raced with DDL is queued
 * again; a lost connection is opened again with a backoff, like the stream's.
 */
final class ChunkReaders {
  static final int MAX_ATTEMPTS = 20;
  private static final long MAX_LAG_BYTES = 64L << 20; // binlog bytes the stream may lag a read by

  /** How long a read waits for the server to show what the stream has delivered. */
  static final long VISIBLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** A chunk to read, and how often it was read before. */
  record Work(Chunk chunk, int index, int attempts) {}

  /**
   * What a reader got: the rows of a chunk between its watermarks; or, with {@code replan}, that
   * the chunk's bounds no longer fit the table's primary key.
   */
  record Result(
      Work work,
      Registration low,
      TableSchema schema,
      List<Object[]> rows,
      Position high,
      boolean replan,
      long bytes) {
    Result(Work work, Registration low, TableSchema schema, List<Object[]> rows, Position high) {
      this(work, low, schema, rows, high, false, estimate(rows));
    }

    /** About how much heap the rows take. */
    static long estimate(List<Object[]> rows) {
      long n = 0;
      for (Object[] row : rows) {
        n += 16 + 8L * row.length;
        for (Object v : row) {
          if (v instanceof String str) {
            n += 40 + 2L * str.length();
          } else if (v instanceof byte[] b) {
            n += 16 + b.length;
          } else if (v != null) {
            n += 24;
          }
        }
      }
      return n;
    }
  }

  private final CanalConfig config;
  private final ServerInfo server;
  private final CanalLog log;
  private final String where;
  private final ConnectionFactory connections;
  private final boolean zeroDatesAsText;
  private final KeyLog keyLog;
  private final ReadBudget budget;
  private final Set<Integer> superseded;
  private final LinkedBlockingDeque<Work> todo = new LinkedBlockingDeque<>();
  private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();
  private final List<Thread> readers = new ArrayList<>();
  private final List<Connection> readerConnections = new ArrayList<>();
  private volatile boolean closed;
  private volatile long ddlVersion; // canal thread writes; counts DDL statements seen
  private volatile Throwable readerFailure;

  /**
   * @param superseded chunks whose table was planned again: skipped
   */
  ChunkReaders(
      CanalConfig config,
      ServerInfo server,
      ConnectionFactory connections,
      KeyLog keyLog,
      ReadBudget budget,
      Set<Integer> superseded) {
    this.config = config;
    this.server = server;
    this.log = config.log();
    this.where = config.source().where();
    this.connections = connections;
    this.zeroDatesAsText = config.zeroDates() == ZeroDates.AS_TEXT;
    this.keyLog = keyLog;
    this.budget = budget;
    this.superseded = superseded;
  }

  /** Queues a chunk to read. */
  void add(Work w) {
    todo.add(w);
  }

  /** Drops the queued chunks whose table was planned again. */
  void dropSuperseded() {
    todo.removeIf(work -> superseded.contains(work.index));
  }

  /** Starts {@code n} readers. */
  void start(int n) {
    for (int i = 0; i < n; i++) {
      Runnable loop = this::readerLoop;
      Thread t = config.threads().helper(loop, "snapshot-" + i);
      readers.add(t);
      t.start();
    }
  }

  /** Stops the readers (idempotent, from any thread). */
  void close() {
    closed = true;
    for (Thread t : readers) {
      t.interrupt();
    }
    synchronized (readerConnections) {
      for (Connection c : readerConnections) {
        try {
          c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
          log.debug("closing a snapshot reader: {}", e.toString());
        }
      }
    }
  }

  /** A DDL statement was delivered: readers load their tables again before they register. */
  void ddlSeen() {
    ddlVersion++;
  }

  /** What stopped a reader for good, or null. */
  Throwable failure() {
    return readerFailure;
  }

  /** A result ready for the canal thread, or null. */
  Result poll() {
    return results.poll();
  }

  /** A result, waiting at most {@code timeout}; null when none came. */
  Result poll(long timeout, TimeUnit unit) throws InterruptedException {
    return results.poll(timeout, unit);
  }

  /**
   * Queues the chunk to be read again (any thread).
   *
   * @throws ServerException when it was read too often already
   */
  void readAgain(Work w, String why) {
    if (w.attempts + 1 >= MAX_ATTEMPTS) {
      throw ServerException.permanent(
          "the snapshot read chunk "
              + w.chunk.format()
              + " of "
              + w.chunk.table()
              + " "
              + MAX_ATTEMPTS
              + " times and could not use it once; the last time "
              + why
              + ". "
              + (why.contains("DDL") || why.contains("table changed")
                  ? "Start the canal again once the DDL on the table is done (it resumes), or"
                  : "Start the canal again (it resumes), or")
              + " take the snapshot at one point (snapshotMethod(POINT), which needs RELOAD)",
          null);
    }
    log.debug("reading chunk {} again: {}", w.chunk.format(), why);
    todo.addFirst(new Work(w.chunk, w.index, w.attempts + 1));
  }

  private void readerLoop() {
    int failures = 0; // connection failures in a row
    Backoff backoff = config.reconnect().backoff();
    while (!closed) {
      Connection c = null;
      try {
        c = connections.open();
        synchronized (readerConnections) {
          readerConnections.add(c);
        }
        JdbcValues.prepareSession(c);
        try (Statement s = c.createStatement()) {
          s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
          s.execute("SET SESSION lock_wait_timeout = 60");
        }
        ChunkRead reading =
            new ChunkRead(
                c,
                server,
                where,
                keyLog,
                zeroDatesAsText,
                () -> closed,
                () -> ddlVersion,
                this::readAgain,
                config.snapshot().afterChunkRead());
        while (!closed) {
          Work w = todo.poll(100, TimeUnit.MILLISECONDS);
          if (w == null || superseded.contains(w.index)) {
            continue;
          }
          Result r;
          try {
            budget.await(() -> closed);
            awaitStream(c);
            r = reading.read(w);
          } catch (SQLException | ServerException e) {
            if (ServerErrors.isConnectionLost(e)) {
              todo.addFirst(w); // read again on a new connection
            }
            throw e;
          }
          failures = 0;
          backoff.reset();
          if (r == null) {
            continue; // the read failed in a way worth another try; the chunk is queued again
          }
          budget.take(r.bytes());
          results.add(r); // the canal's thread delivers it when the stream gets there
        }
      } catch (InterruptedException e) {
        return; // closed
      } catch (SQLException | ServerException e) {
        if (closed) {
          return;
        }
        if (!ServerErrors.isConnectionLost(e)) {
          readerFailure = e;
          return;
        }
        // Like the stream: retry until the server is back or the canal is closed.
        failures++;
        long wait = backoff.delay().toMillis();
        backoff.grow();
        log.warn(
            "a snapshot reader lost its connection ({}); reconnecting in {} ms (attempt {})",
            e.getMessage(),
            wait,
            failures);
        try {
          TimeUnit.MILLISECONDS.sleep(wait);
        } catch (InterruptedException ie) {
          return;
        }
      } catch (Throwable t) {
        if (!closed) {
          readerFailure = t;
        }
        return;
      } finally {
        if (c != null) {
          synchronized (readerConnections) {
            readerConnections.remove(c);
          }
          try {
            c.close();
          } catch (SQLException ignored) {
            // a reader aborted by close()
          }
        }
      }
    }
  }

  /**
   * Waits while the stream is far behind the server: a chunk registered now would keep every key
   * the stream changes until it has caught up, so memory would grow with the lag.
   */
  private void awaitStream(Connection c) throws SQLException, InterruptedException {
    while (!closed) {
      Position now = ServerProbe.currentPosition(c, server, where);
      Position at = keyLog.boundary();
      if (at == null
          || (now.file().equals(at.file()) && now.offset() - at.offset() <= MAX_LAG_BYTES)
          || now.compareTo(at) <= 0) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }
}
