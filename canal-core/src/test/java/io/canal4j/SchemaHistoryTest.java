package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.SchemaException;
import io.canal4j.schema.TableId;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema history across DDL, with the server writing no column names into the binlog (MySQL's
 * MINIMAL, MariaDB's NO_LOG row metadata): a canal that resumes from a position older than a series
 * of ALTER, RENAME and DROP + CREATE statements names every row of every table version as it was
 * when the row was written. Naming from today's information_schema would shift or refuse them.
 */
class SchemaHistoryTest {

  /** The changes the statements below make, as the canal must report them, in order. */
  private final List<String> expected = new ArrayList<>();

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void replayFromBeforeEveryDdl_namesEveryVersionRight(SandboxServer server, @TempDir Path dir)
      throws Exception {
    assertNotEquals("FULL", rowMetadata(server), "the test needs MINIMAL/NO_LOG row metadata");
    Path pos = dir.resolve("canal.pos");
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(20), b INT)");
      // A first run saves the start position, and the history as it is there, then stops.
      RecordingHandler first = new RecordingHandler();
      try (Canal canal = canal(server, db, pos, first).build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
      }

      // While the canal is stopped: every kind of layout change, each followed by writes.
      write(db, "INSERT INTO t VALUES (1, 'one', 10)", "t INSERT {id=1, a='one', b=10}");
      db.execute("ALTER TABLE t ADD COLUMN c VARCHAR(20) AFTER id");
      write(
          db,
          "INSERT INTO t VALUES (2, 'c2', 'two', 20)",
          "t INSERT {id=2, c='c2', a='two', b=20}");
      db.execute("ALTER TABLE t ADD COLUMN z INT FIRST");
      write(
          db,
          "INSERT INTO t VALUES (7, 3, 'c3', 'three', 30)",
          "t INSERT {z=7, id=3, c='c3', a='three', b=30}");
      db.execute("ALTER TABLE t DROP COLUMN c");
      write(db, "INSERT INTO t VALUES (8, 4, 'four', 40)", "t INSERT {z=8, id=4, a='four', b=40}");
      write(
          db,
          "UPDATE t SET a = 'ONE' WHERE id = 1",
          "t UPDATE {z=null, id=1, a='one', b=10} -> {z=null, id=1, a='ONE', b=10}");
      db.execute("ALTER TABLE t MODIFY b BIGINT");
      write(
          db,
          "INSERT INTO t VALUES (9, 5, 'five', 5000000000)",
          "t INSERT {z=9, id=5, a='five', b=5000000000L}");
      db.execute("ALTER TABLE t RENAME COLUMN a TO name");
      write(
          db,
          "INSERT INTO t VALUES (10, 6, 'six', 60)",
          "t INSERT {z=10, id=6, name='six', b=60L}");
      db.execute("ALTER TABLE t CHANGE b amount BIGINT, MODIFY z INT AFTER amount");
      write(db, "DELETE FROM t WHERE id = 2", "t DELETE {id=2, name='two', amount=20L, z=null}");
      db.execute(
          "RENAME TABLE t TO t_old",
          "CREATE TABLE t (id INT PRIMARY KEY, x VARCHAR(10), y VARCHAR(10))");
      write(db, "INSERT INTO t VALUES (1, 'x1', 'y1')", "t INSERT {id=1, x='x1', y='y1'}");
      write(
          db,
          "INSERT INTO t_old VALUES (7, 'seven', 70, 11)",
          "t_old INSERT {id=7, name='seven', amount=70L, z=11}");
      // The same column types under other names: only a history can tell these rows apart.
      db.execute(
          "DROP TABLE t", "CREATE TABLE t (id INT PRIMARY KEY, p VARCHAR(10), q VARCHAR(10))");
      write(db, "INSERT INTO t VALUES (1, 'p1', 'q1')", "t INSERT {id=1, p='p1', q='q1'} pk=[id]");
      db.execute("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (q, id)");
      write(
          db, "INSERT INTO t VALUES (2, 'p2', 'q2')", "t INSERT {id=2, p='p2', q='q2'} pk=[q, id]");

      // The canal resumes from before all of it and is stopped halfway, inside a transaction.
      String stopAt = expected.get(5);
      AtomicReference<Canal> running = new AtomicReference<>();
      List<String> firstHalf = new ArrayList<>();
      EventHandler stopping =
          new RecordingHandler() {
            @Override
            public void onRow(RowsEvent event) throws Exception {
              super.onRow(event);
              render(event, firstHalf);
              if (firstHalf.contains(stopAt)) {
                running.get().close();
              }
            }
          };
      try (Canal canal = canal(server, db, pos, stopping).build()) {
        running.set(canal);
        canal.start();
        canal.termination().get(60, TimeUnit.SECONDS);
      }
      assertEquals(expected.subList(0, firstHalf.size()), firstHalf, "the first half");

      // A second resume starts from the history saved with the checkpoint halfway.
      RecordingHandler rest = new RecordingHandler();
      List<String> secondHalf = new ArrayList<>();
      try (Canal canal = canal(server, db, pos, rest).build()) {
        canal.start();
        await(
            "the last change",
            Duration.ofSeconds(60),
            () -> rest.rows.stream().anyMatch(r -> r.tableId().table().equals("t") && pkOf(r)));
        for (RowsEvent r : rest.rows) {
          render(r, secondHalf);
        }
      }
      assertTrue(
          firstHalf.size() + secondHalf.size() >= expected.size(),
          "nothing skipped: " + firstHalf + " then " + secondHalf);
      assertEquals(
          expected.subList(expected.size() - secondHalf.size(), expected.size()),
          secondHalf,
          "the second half");
      assertTrue(secondHalf.size() < expected.size(), "the second run resumed halfway");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void aChangeTheHistoryNeverSaw_stopsWithTheNamedError(SandboxServer server, @TempDir Path dir)
      throws Exception {
    assertNotEquals("FULL", rowMetadata(server));
    Path pos = dir.resolve("canal.pos");
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, a INT)");
      RecordingHandler h = new RecordingHandler();
      try (Canal canal = canal(server, db, pos, h).build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
      }
      // An ALTER kept out of the binlog: the history cannot know the new column.
      db.execute(
          "SET SESSION sql_log_bin = 0",
          "ALTER TABLE t ADD COLUMN b INT",
          "SET SESSION sql_log_bin = 1",
          "INSERT INTO t VALUES (1, 2, 3)");
      try (Canal canal = canal(server, db, pos, h).build()) {
        SchemaException s = assertInstanceOf(SchemaException.class, CanalTesting.failureOf(canal));
        assertEquals(TableId.of(db.name(), "t"), s.table());
        assertTrue(s.position() != null, "the error has the position");
        String m = s.getMessage();
        assertTrue(m.contains("does not match the schema history"), m);
        assertTrue(m.contains("binlog_row_metadata=FULL"), m);
        assertTrue(m.contains(s.position().toString()), m);
      }
      assertTrue(h.rows.isEmpty(), "no row was delivered with guessed names: " + h.rows);
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void aCheckpointWithoutHistory_isNeverReplayedOnTodaysTables(
      SandboxServer server, @TempDir Path dir) throws Exception {
    assertNotEquals("FULL", rowMetadata(server));
    Path pos = dir.resolve("canal.pos");
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE t (id INT PRIMARY KEY, a INT)", "CREATE TABLE u (id INT PRIMARY KEY)");
      // A checkpoint saved without a history (an older canal4j, or the information_schema cache).
      RecordingHandler h = new RecordingHandler();
      try (Canal canal =
          canal(server, db, pos, h)
              .schemaCache(io.canal4j.schema.TableSchemaCache.informationSchema(server::connect))
              .build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
      }
      db.execute(
          "INSERT INTO u VALUES (1)",
          "ALTER TABLE u ADD COLUMN b INT",
          "INSERT INTO u VALUES (2, 20)",
          "INSERT INTO t VALUES (1, 10)",
          "ALTER TABLE t ADD COLUMN b INT FIRST",
          "INSERT INTO t VALUES (30, 3, 30)");
      // The history starts from today's tables. Applying the ALTERs on top of them again would
      // fail (b exists) or shift; they are recognised as older than the seed instead. Rows of u
      // written before its ALTER do not fit today's u: refused with the named error, not shifted.
      try (Canal canal = canal(server, db, pos, h).build()) {
        SchemaException s = assertInstanceOf(SchemaException.class, CanalTesting.failureOf(canal));
        assertEquals(TableId.of(db.name(), "u"), s.table());
        assertTrue(s.getMessage().contains("read from information_schema at"), s.getMessage());
        assertTrue(s.getMessage().contains("binlog_row_metadata=FULL"), s.getMessage());
      }
      assertTrue(h.rows.isEmpty(), "nothing delivered under today's names: " + h.rows);
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void tablesWithoutAKey_stream_andCompositeKeysComeInKeyOrder(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE nokey (a INT, b VARCHAR(5))",
          "CREATE TABLE composite (x INT, y INT, v INT, PRIMARY KEY (y, x))");
      RecordingHandler h = new RecordingHandler();
      try (Canal canal =
          CanalTesting.canalFor(server, "keys").include(db.name() + "\\..*").handler(h).build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        db.execute(
            "INSERT INTO nokey VALUES (1, 'a'), (1, 'a'), (2, NULL)",
            "UPDATE nokey SET b = 'z' WHERE a = 2",
            "DELETE FROM nokey WHERE a = 1",
            "INSERT INTO composite VALUES (1, 2, 3)");
        await("the composite row", Duration.ofSeconds(30), () -> h.rowCount() == 7);
      }
      List<String> seen = new ArrayList<>();
      for (RowsEvent r : h.rows) {
        render(r, seen);
        List<String> key = r.table().primaryKey();
        assertEquals(
            r.tableId().table().equals("nokey") ? List.of() : List.of("y", "x"), key, r.toString());
      }
      assertEquals(
          List.of(
              "nokey INSERT {a=1, b='a'}",
              "nokey INSERT {a=1, b='a'}",
              "nokey INSERT {a=2, b=null}",
              "nokey UPDATE {a=2, b=null} -> {a=2, b='z'}",
              "nokey DELETE {a=1, b='a'}",
              "nokey DELETE {a=1, b='a'}",
              "composite INSERT {x=1, y=2, v=3}"),
          seen);
    }
  }

  private void write(TestDatabase db, String sql, String change) throws Exception {
    db.execute(sql);
    expected.add(change);
  }

  private static Canal.Builder canal(
      SandboxServer server, TestDatabase db, Path pos, EventHandler handler) {
    return CanalTesting.canalFor(server, "history")
        .include(db.name() + "\\..*")
        .positionStore(PositionStore.file(pos))
        .handler(handler);
  }

  private static boolean pkOf(RowsEvent r) {
    return r.table().primaryKey().equals(List.of("q", "id"));
  }

  /** {@code t INSERT {id=1, a='x', b=5000000000L}}, with the key for table t's last versions. */
  private static void render(RowsEvent event, List<String> into) {
    for (RowChange c : event.changes()) {
      StringBuilder sb = new StringBuilder(event.tableId().table()).append(' ');
      sb.append(event.action()).append(' ');
      if (c.before() != null) {
        sb.append(render(c.before().toMap()));
        if (c.after() != null) {
          sb.append(" -> ");
        }
      }
      if (c.after() != null) {
        sb.append(render(c.after().toMap()));
      }
      if (event.tableId().table().equals("t") && event.table().indexOf("p") >= 0) {
        sb.append(" pk=").append(event.table().primaryKey());
      }
      into.add(sb.toString());
    }
  }

  private static String render(Map<String, Object> row) {
    StringBuilder sb = new StringBuilder("{");
    row.forEach(
        (k, v) -> {
          sb.append(sb.length() > 1 ? ", " : "").append(k).append('=');
          sb.append(
              v instanceof String s
                  ? "'" + s + "'"
                  : v instanceof Long l ? l + "L" : String.valueOf(v));
        });
    return sb.append('}').toString();
  }

  private static String rowMetadata(SandboxServer server) throws Exception {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@GLOBAL.binlog_row_metadata")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
