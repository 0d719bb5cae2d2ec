package io.canal4j.internal.watermark;

import static io.canal4j.schema.internal.MysqlErrors.ER_BAD_FIELD_ERROR;
import static io.canal4j.schema.internal.MysqlErrors.ER_LOCK_DEADLOCK;
import static io.canal4j.schema.internal.MysqlErrors.ER_LOCK_WAIT_TIMEOUT;
import static io.canal4j.schema.internal.MysqlErrors.ER_NO_SUCH_TABLE;
import static io.canal4j.schema.internal.MysqlErrors.ER_TABLE_DEF_CHANGED;

import io.canal4j.dump.Chunk;
import io.canal4j.dump.ChunkMismatchException;
import io.canal4j.dump.SnapshotSession;
import io.canal4j.dump.TableReader;
import io.canal4j.error.SchemaException;
import io.canal4j.error.ServerException;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.server.ServerProbe;
import io.canal4j.internal.watermark.ChunkReaders.Result;
import io.canal4j.internal.watermark.ChunkReaders.Work;
import io.canal4j.internal.watermark.KeyLog.Registration;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One reader connection's reads of chunks between watermarks: register the low watermark, wait
 * until the server shows what the stream has delivered (MySQL: {@code gtid_executed}; MariaDB: a
 * consistent snapshot at or after it), read the chunk, take the high watermark. A read that raced
 * with DDL is handed back to be read again. The reader's thread only.
 */
final class ChunkRead {
  private static final int MAX_ATTEMPTS = ChunkReaders.MAX_ATTEMPTS;
  private static final long VISIBLE_WAIT_NANOS = ChunkReaders.VISIBLE_WAIT_NANOS;

  /** A read that raced with DDL: its rows are not used, the chunk is read again. */
  private static final class StaleRead extends Exception {
    private static final long serialVersionUID = 1L;

    StaleRead(String why) {
      super(why, null, false, false);
    }
  }

  private final Connection c;
  private final ServerInfo server;
  private final String where;
  private final KeyLog keyLog;
  private final boolean zeroDatesAsText;
  private final BooleanSupplier closed;
  private final LongSupplier ddlVersion;
  private final BiConsumer<Work, String> readAgain;
  private final ReaderSchemas info;
  private final Consumer<Chunk> afterRead; // a test's hook, or null

  /**
   * @param ddlVersion counts the DDL statements the stream delivered: the reader's tables are
   *     loaded again after each
   * @param readAgain queues a chunk to be read again, with why
   * @param afterRead a test's hook, run after a chunk's rows were read and before its high
   *     watermark (so a test can change rows in exactly that window); null in production
   */
  ChunkRead(
      Connection c,
      ServerInfo server,
      String where,
      KeyLog keyLog,
      boolean zeroDatesAsText,
      BooleanSupplier closed,
      LongSupplier ddlVersion,
      BiConsumer<Work, String> readAgain,
      Consumer<Chunk> afterRead) {
    this.c = c;
    this.server = server;
    this.where = where;
    this.keyLog = keyLog;
    this.zeroDatesAsText = zeroDatesAsText;
    this.closed = closed;
    this.ddlVersion = ddlVersion;
    this.readAgain = readAgain;
    this.afterRead = afterRead;
    this.info = new ReaderSchemas(new InformationSchemaCache(borrowed(c)));
  }

  /** Reads one chunk between its watermarks; null when it is queued to be read again. */
  Result read(Work w) throws SQLException, InterruptedException {
    Registration low = keyLog.register();
    boolean ok = false;
    try {
      Result r = server.flavor() == Flavor.MYSQL ? readMysql(w, low) : readMariaDb(w, low);
      ok = true;
      return r;
    } catch (ChunkMismatchException e) {
      // The chunk's bounds no longer fit the primary key. Once, it may be information_schema
      // read in the middle of a RENAME or ALTER: read again. Twice, the key changed since the
      // plan: the canal's thread plans the table again.
      rollback(c);
      info.forget();
      if (w.attempts() == 0) {
        readAgain.accept(w, "the table changed during the read (" + e.getMessage() + ")");
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
      if (raced && w.attempts() + 1 < MAX_ATTEMPTS) {
        rollback(c);
        info.forget();
        readAgain.accept(w, e.getMessage());
        return null;
      }
      throw e;
    } catch (StaleRead e) {
      info.forget();
      readAgain.accept(w, e.getMessage());
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
    private final Map<TableId, TableSchema> known = new HashMap<>();
    private long version = -1;
    boolean fresh; // whether the last get() read information_schema

    ReaderSchemas(InformationSchemaCache info) {
      this.info = info;
    }

    /** The table, or null when it does not exist. */
    TableSchema get(TableId id) {
      long v = ddlVersion.getAsLong();
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

  private Result readMysql(Work w, Registration low) throws SQLException, InterruptedException {
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
    TableSchema schema = info.get(w.chunk().table());
    List<Object[]> rows = readRows(c, schema, w.chunk());
    testSeam(w.chunk());
    Position high = ServerProbe.currentPosition(c, server, where);
    return new Result(w, low, schema, rows, high);
  }

  private Result readMariaDb(Work w, Registration low)
      throws SQLException, InterruptedException, StaleRead {
    // information_schema shows today's tables, not the snapshot's. A table loaded for this read
    // is loaded again after it, and a change in between (DDL that MariaDB binlogs only once it is
    // done) discards the read. A table loaded before needs no check: the read names its columns,
    // and a later DDL fails the read or is in the chunk's window.
    TableSchema schema = info.get(w.chunk().table());
    boolean fresh = info.fresh;
    long deadline = System.nanoTime() + VISIBLE_WAIT_NANOS;
    for (long pause = 1; ; pause = Math.min(50, pause * 2)) {
      try (Statement s = c.createStatement()) {
        s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
      }
      Position point = SnapshotSession.snapshotPosition(c, server.flavor(), where);
      if (point.compareTo(low.position()) >= 0) {
        try {
          List<Object[]> rows = readRows(c, schema, w.chunk());
          commit(c);
          testSeam(w.chunk());
          if (fresh && !Objects.equals(schema, info.reload(w.chunk().table()))) {
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

  private void testSeam(Chunk chunk) {
    if (afterRead != null) {
      afterRead.accept(chunk);
    }
  }

  static TableSchema load(InformationSchemaCache info, TableId id) {
    try {
      return info.load(id);
    } catch (SchemaException e) {
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
          if (closed.getAsBoolean()) {
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
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return () -> view;
  }
}
