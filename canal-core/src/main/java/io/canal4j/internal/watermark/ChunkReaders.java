package io.canal4j.internal.watermark;

import static io.canal4j.schema.internal.MysqlErrors.ER_BAD_FIELD_ERROR;
import static io.canal4j.schema.internal.MysqlErrors.ER_LOCK_DEADLOCK;
import static io.canal4j.schema.internal.MysqlErrors.ER_LOCK_WAIT_TIMEOUT;
import static io.canal4j.schema.internal.MysqlErrors.ER_NO_SUCH_TABLE;
import static io.canal4j.schema.internal.MysqlErrors.ER_TABLE_DEF_CHANGED;

import io.canal4j.dump.Chunk;
import io.canal4j.dump.TableReader;
import io.canal4j.error.ServerException;
import io.canal4j.internal.config.Backoff;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.server.ServerErrors;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.server.ServerProbe;
import io.canal4j.internal.watermark.KeyLog.Registration;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.value.JdbcValues;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock-free snapshot's readers: threads that take chunks from a queue, register a low
 * watermark, read the chunk, take a high watermark and hand the result to the canal thread, which
 * delivers it once the stream has passed the high watermark. A read that raced with DDL is queued
 * again; a lost connection is opened again with a backoff, like the stream's.
 */
final class ChunkReaders {
  private static final Logger log = LoggerFactory.getLogger("io.canal4j.Canal");
  private static final int MAX_ATTEMPTS = 20;
  private static final long MAX_LAG_BYTES = 64L << 20; // binlog bytes the stream may lag a read by

  /** How long a read waits for the server to show what the stream has delivered. */
  static final long VISIBLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** A read that raced with DDL: its rows are not used, the chunk is read again. */
  private static final class StaleRead extends Exception {
    private static final long serialVersionUID = 1L;

    StaleRead(String why) {
      super(why, null, false, false);
    }
  }

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
  private final String prefix;
  private final String where;
  private final ConnectionFactory connections;
  private final boolean zeroDatesAsText;
  private final KeyLog keyLog;
  private final ReadBudget budget;
  private final Set<Integer> superseded;
  private final LinkedBlockingDeque<Work> todo = new LinkedBlockingDeque<>();
  private final BlockingQueue<Result> results = new java.util.concurrent.LinkedBlockingQueue<>();
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
      String prefix,
      String where,
      ConnectionFactory connections,
      KeyLog keyLog,
      ReadBudget budget,
      Set<Integer> superseded) {
    this.config = config;
    this.server = server;
    this.prefix = prefix;
    this.where = where;
    this.connections = connections;
    this.zeroDatesAsText = config.zeroDates() == io.canal4j.ZeroDates.AS_TEXT;
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
          log.debug("{}closing a snapshot reader: {}", prefix, e.toString());
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
    log.debug("{}reading chunk {} again: {}", prefix, w.chunk.format(), why);
    todo.addFirst(new Work(w.chunk, w.index, w.attempts + 1));
  }

  private void readerLoop() {
    int failures = 0; // connection failures in a row
    Backoff backoff = new Backoff(config.reconnectInitialBackoff(), config.reconnectMaxBackoff());
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
        ReaderSchemas info = new ReaderSchemas(new InformationSchemaCache(borrowed(c)));
        while (!closed) {
          Work w = todo.poll(100, TimeUnit.MILLISECONDS);
          if (w == null || superseded.contains(w.index)) {
            continue;
          }
          Result r;
          try {
            budget.await(() -> closed);
            awaitStream(c);
            r = read(c, info, w);
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
            "{}a snapshot reader lost its connection ({}); reconnecting in {} ms (attempt {})",
            prefix,
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

  /** Reads one chunk between its watermarks; null when it is queued to be read again. */
  private Result read(Connection c, ReaderSchemas info, Work w)
      throws SQLException, InterruptedException {
    Registration low = keyLog.register();
    boolean ok = false;
    try {
      Result r =
          server.flavor() == Flavor.MYSQL
              ? readMysql(c, info, w, low)
              : readMariaDb(c, info, w, low);
      ok = true;
      return r;
    } catch (io.canal4j.dump.ChunkMismatchException e) {
      // The chunk's bounds no longer fit the primary key. Once, it may be information_schema
      // read in the middle of a RENAME or ALTER: read again. Twice, the key changed since the
      // plan: the canal's thread plans the table again.
      rollback(c);
      info.forget();
      if (w.attempts == 0) {
        readAgain(w, "the table changed during the read (" + e.getMessage() + ")");
        return null;
      }
      ok = true;
      return new Result(w, low, null, List.of(), low.position(), true, 0);
    } catch (SQLException e) {
      int code = e.getErrorCode();
      boolean raced =
          code == ER_TABLE_DEF_CHANGED
              || code == ER_LOCK_WAIT_TIMEOUT
              || code == ER_LOCK_DEADLOCK
              || code == ER_BAD_FIELD_ERROR
              || code == ER_NO_SUCH_TABLE;
      if (raced && w.attempts + 1 < MAX_ATTEMPTS) {
        rollback(c);
        info.forget();
        readAgain(w, e.getMessage());
        return null;
      }
      throw e;
    } catch (StaleRead e) {
      info.forget();
      readAgain(w, e.getMessage());
      return null;
    } finally {
      if (!ok) {
        keyLog.abandon(low); // unless a new epoch dropped the old registrations
      }
    }
  }

  /** A reader's tables, loaded again after every DDL statement the stream delivered. */
  private final class ReaderSchemas {
    private final InformationSchemaCache info;
    private final Map<TableId, TableSchema> known = new java.util.HashMap<>();
    private long version = -1;
    boolean fresh; // whether the last get() read information_schema

    ReaderSchemas(InformationSchemaCache info) {
      this.info = info;
    }

    /** The table, or null when it does not exist. */
    TableSchema get(TableId id) {
      long v = ddlVersion;
      if (v != version) {
        known.clear();
        version = v;
      }
      TableSchema schema = known.get(id);
      fresh = schema == null;
      if (schema == null) {
        schema = load(info, id);
        if (schema != null) {
          known.put(id, schema);
        }
      }
      return schema;
    }

    TableSchema reload(TableId id) {
      known.remove(id);
      return get(id);
    }

    void forget() {
      known.clear();
    }
  }

  private static void rollback(Connection c) {
    try (Statement s = c.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      // the connection is failing anyway; the caller's error says why
    }
  }

  private Result readMysql(Connection c, ReaderSchemas info, Work w, Registration low)
      throws SQLException, InterruptedException {
    GtidSet streamed = low.position().gtids();
    long deadline = System.nanoTime() + VISIBLE_WAIT_NANOS;
    for (long pause = 1; ; pause = Math.min(50, pause * 2)) {
      GtidSet executed;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_executed")) {
        rs.next();
        executed = GtidSet.parse(Flavor.MYSQL, rs.getString(1));
      }
      if (streamed == null || executed.containsAll(streamed)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw ServerException.permanent(
            "gtid_executed on "
                + where
                + " did not come to hold the GTIDs the canal has streamed ("
                + streamed
                + ") within 30 s, so a chunk read cannot be known to see them. A transaction"
                + " stayed written to the binlog but uncommitted (semi-synchronous replication"
                + " waiting for a replica's acknowledgement?), gtid_executed was reset, or this is"
                + " another server after a fail-over. Check replication on the server, then start"
                + " the canal again: it resumes from its checkpoint",
            null);
      }
      TimeUnit.MILLISECONDS.sleep(pause); // a commit in flight finishes within milliseconds
    }
    TableSchema schema = info.get(w.chunk.table());
    List<Object[]> rows = readRows(c, schema, w.chunk);
    testSeam(w.chunk);
    Position high = ServerProbe.currentPosition(c, server, where);
    return new Result(w, low, schema, rows, high);
  }

  private Result readMariaDb(Connection c, ReaderSchemas info, Work w, Registration low)
      throws SQLException, InterruptedException, StaleRead {
    // information_schema shows today's tables, not the snapshot's. A table loaded for this read
    // is loaded again after it, and a change in between (DDL that MariaDB binlogs only once it is
    // done) discards the read. A table loaded before needs no check: the read names its columns,
    // and a later DDL fails the read or is in the chunk's window.
    TableSchema schema = info.get(w.chunk.table());
    boolean fresh = info.fresh;
    long deadline = System.nanoTime() + VISIBLE_WAIT_NANOS;
    for (long pause = 1; ; pause = Math.min(50, pause * 2)) {
      try (Statement s = c.createStatement()) {
        s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
      }
      Position point = io.canal4j.dump.SnapshotSession.snapshotPosition(c, server.flavor(), where);
      if (point.compareTo(low.position()) >= 0) {
        try {
          List<Object[]> rows = readRows(c, schema, w.chunk);
          commit(c);
          testSeam(w.chunk);
          if (fresh && !java.util.Objects.equals(schema, info.reload(w.chunk.table()))) {
            throw new StaleRead("the table changed during the read");
          }
          return new Result(w, low, schema, rows, point);
        } finally {
          commit(c); // ends the snapshot and its table locks
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("ROLLBACK");
      }
      if (System.nanoTime() > deadline) {
        throw ServerException.permanent(
            "the consistent snapshots on "
                + where
                + " stayed before the binlog position the canal has streamed ("
                + low.position()
                + ") for 30 s, so a chunk read cannot be known to see it. A transaction stayed"
                + " written to the binlog but uncommitted (semi-synchronous replication waiting for"
                + " a replica's acknowledgement?). Check the server, then start the canal again:"
                + " it resumes from its checkpoint",
            null);
      }
      TimeUnit.MILLISECONDS.sleep(pause); // a commit in flight finishes within milliseconds
    }
  }

  private static void commit(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("COMMIT");
    }
  }

  private static void testSeam(Chunk chunk) {
    java.util.function.Consumer<Chunk> seam = WatermarkSnapshot.afterRead;
    if (seam != null) {
      seam.accept(chunk);
    }
  }

  static TableSchema load(InformationSchemaCache info, TableId id) {
    try {
      return info.load(id);
    } catch (io.canal4j.error.SchemaException e) {
      return null; // dropped: the stream has its DROP
    }
  }

  private List<Object[]> readRows(Connection c, TableSchema schema, Chunk chunk)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    if (schema == null) {
      return rows;
    }
    TableReader.read(
        c,
        schema,
        chunk,
        zeroDatesAsText,
        values -> {
          if (closed) {
            throw new SQLException("the canal is stopping");
          }
          rows.add(values);
        });
    return rows;
  }

  /** The reader's own connection for information_schema reads, left open by their close(). */
  static ConnectionFactory borrowed(Connection c) {
    Connection view =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  try {
                    return method.invoke(c, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return () -> view;
  }
}
