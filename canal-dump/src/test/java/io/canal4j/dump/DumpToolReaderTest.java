package io.canal4j.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.ConfigurationException;
import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.value.JdbcValues;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.SandboxServers;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import io.canal4j.testkit.TypeMatrix;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DumpToolReader against real servers: the type matrix (canal-testkit's TypeMatrix, which the
 * binlog value tests use too) and a second table must come out of the dump tool equal, value and
 * class, to what TableReader reads in a transaction; the returned position must split the binlog
 * exactly between the rows in the dump and the changes after it.
 */
class DumpToolReaderTest {
  private static final String BOTH = "io.canal4j.testkit.SandboxServers#both";

  /** The type matrix as table {@code t}, and a second table {@code s} with zero dates. */
  private static void createTables(TestDatabase db) throws SQLException {
    List<TypeMatrix.Column> cols = TypeMatrix.columns(db.server().flavor());
    db.execute(
        TypeMatrix.createTable("t", cols),
        "CREATE TABLE s (a INT, b VARCHAR(30) CHARACTER SET latin1, d DATE, x DATETIME(3),"
            + " z TIMESTAMP NULL DEFAULT NULL, gen INT AS (a * 2) VIRTUAL, PRIMARY KEY (a, b))");
    List<String> statements = new ArrayList<>();
    statements.add("SET SESSION time_zone = '+00:00'");
    List<Map<String, String>> rows = TypeMatrix.rows();
    for (int r = 0; r < rows.size(); r++) {
      statements.add(TypeMatrix.insert("t", cols, r + 1, rows.get(r)));
    }
    // An ENUM value without a label is stored as '' (index 0), zero dates exist, outside strict
    // mode.
    statements.add("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
    statements.add(
        TypeMatrix.insert(
            "t", cols, rows.size() + 1, TypeMatrix.values("e", "'nope'", "e2", "'nope'")));
    StringBuilder s = new StringBuilder("INSERT INTO s (a, b, d, x, z) VALUES ");
    for (int i = 0; i < 300; i++) {
      String d = i % 3 == 0 ? "'0000-00-00'" : i % 3 == 1 ? "'2024-02-30'" : "'2024-00-15'";
      s.append(i == 0 ? "" : ", ")
          .append("(")
          .append(i / 2)
          .append(", 'k\\\\\\'\\n")
          .append(i)
          .append("', ")
          .append(d)
          .append(", '0000-00-00 00:00:00.000', ")
          .append(i % 2 == 0 ? "'0000-00-00 00:00:00'" : "'2001-02-03 04:05:06'")
          .append(")");
    }
    statements.add(s.toString());
    db.server().execute(useDb(db, statements));
  }

  private static String[] useDb(TestDatabase db, List<String> statements) {
    List<String> all = new ArrayList<>();
    all.add("USE " + db.name());
    all.addAll(statements);
    return all.toArray(new String[0]);
  }

  static TableSchema schema(TestDatabase db, String table) {
    return new InformationSchemaCache(db::connect).load(TableId.of(db.name(), table));
  }

  /**
   * The dump tool these tests run: the machine's on the PATH, else the bundled MariaDB build's (the
   * testkit's fallback on a machine without a MariaDB package).
   */
  static Path tool() {
    return SandboxServers.dumpTool();
  }

  private static DumpToolReader reader(SandboxServer server, boolean zeroDatesAsText) {
    DumpToolReader.Builder b =
        DumpToolReader.builder()
            .executable(tool())
            .host(server.host())
            .port(server.port())
            .user(server.user())
            .zeroDatesAsText(zeroDatesAsText);
    if (!server.password().isEmpty()) {
      b.password(server.password());
    }
    return b.build();
  }

  /** Every row of the table read by TableReader in one transaction, keyed by its key's text. */
  private static Map<String, Object[]> tableReaderRows(
      TestDatabase db, TableSchema table, boolean zeroDatesAsText) throws SQLException {
    Map<String, Object[]> rows = new TreeMap<>();
    try (Connection c = db.connect()) {
      JdbcValues.prepareSession(c);
      c.setAutoCommit(false);
      for (Chunk chunk : TableReader.plan(c, table, 1_000_000)) {
        TableReader.read(c, table, chunk, zeroDatesAsText, v -> rows.put(key(table, v), v));
      }
      c.commit();
    }
    return rows;
  }

  private static String key(TableSchema table, Object[] values) {
    StringBuilder k = new StringBuilder();
    for (String name : table.primaryKey()) {
      k.append(values[table.indexOf(name)]).append('|');
    }
    return k.toString();
  }

  /** Runs the dump; on MySQL, skips the test if MariaDB's tool cannot dump it. */
  private static DumpToolReader.Result dump(
      DumpToolReader reader,
      SandboxServer server,
      List<TableSchema> tables,
      TableRowSink<Exception> sink)
      throws Exception {
    try {
      return reader.run(tables, sink);
    } catch (DumpToolException e) {
      Assumptions.assumeTrue(
          server.flavor() != ServerFlavor.MYSQL,
          () -> "mariadb-dump cannot dump MySQL " + server.version() + ": " + e.getMessage());
      throw e;
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void typeMatrix_everyValueEqualsTableReaders_valueAndClass(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      createTables(db);
      for (boolean zeroDatesAsText : new boolean[] {false, true}) {
        TableSchema t = schema(db, "t");
        TableSchema s = schema(db, "s");
        Map<TableId, Map<String, Object[]>> dumped = new LinkedHashMap<>();
        DumpToolReader.Result result =
            dump(
                reader(server, zeroDatesAsText),
                server,
                List.of(t, s),
                (table, values) ->
                    assertNull(
                        dumped
                            .computeIfAbsent(table.id(), k -> new TreeMap<>())
                            .put(key(table, values), values),
                        "row twice"));
        assertEquals(Map.of(t.id(), 7L, s.id(), 300L), result.rows());
        int cells = 0;
        for (TableSchema table : List.of(t, s)) {
          Map<String, Object[]> expected = tableReaderRows(db, table, zeroDatesAsText);
          Map<String, Object[]> actual = dumped.get(table.id());
          assertEquals(expected.keySet(), actual.keySet(), table.id().toString());
          for (Map.Entry<String, Object[]> row : expected.entrySet()) {
            cells += assertRowsEqual(db, table, row.getValue(), actual.get(row.getKey()));
          }
        }
        assertEquals(7 * t.columnCount() + 300 * s.columnCount(), cells);
      }
    }
  }

  private static int assertRowsEqual(
      TestDatabase db, TableSchema table, Object[] expected, Object[] actual) throws SQLException {
    assertEquals(expected.length, actual.length);
    String where = " in row " + key(table, expected) + " of " + table.id();
    for (int i = 0; i < expected.length; i++) {
      Column c = table.column(i);
      Object e = expected[i];
      Object a = actual[i];
      String what = c.name() + " " + c.columnType() + where;
      if (e == null || a == null) {
        assertEquals(e, a, what);
      } else if (c.type() == ColumnType.FLOAT) {
        // The tool prints FLOAT with six significant digits: the value is that text's float.
        assertEquals(Float.class, a.getClass(), what);
        float printed = (float) Double.parseDouble(selectText(db, table, c, expected));
        assertEquals(printed, (Float) a, what);
        assertTrue(Math.abs((Float) a - (Float) e) <= Math.abs((Float) e) * 1e-6f, what);
      } else if (e instanceof byte[] bytes) {
        assertEquals(byte[].class, a.getClass(), what);
        assertArrayEquals(bytes, (byte[]) a, what);
      } else {
        assertEquals(e.getClass(), a.getClass(), what);
        assertEquals(e, a, what);
      }
    }
    return expected.length;
  }

  /** The server's text of a FLOAT cell, as a plain SELECT prints it. */
  private static String selectText(TestDatabase db, TableSchema table, Column c, Object[] row)
      throws SQLException {
    String id = table.primaryKey().get(0);
    try (Connection conn = db.connect();
        Statement st = conn.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT CAST("
                    + c.name()
                    + " AS CHAR) FROM "
                    + table.id().table()
                    + " WHERE "
                    + id
                    + " = "
                    + row[table.indexOf(id)])) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void position_splitsTheBinlog_betweenDumpedRowsAndLaterChanges(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE p (id INT PRIMARY KEY, v VARCHAR(10))",
          "INSERT INTO p VALUES (1, 'a'), (2, 'b')",
          "CREATE TABLE q (id INT PRIMARY KEY)",
          "INSERT INTO q VALUES (1)");
      TableSchema p = schema(db, "p");
      TableSchema q = schema(db, "q");
      Position idleBefore = masterStatus(server);
      List<Object> ids = new ArrayList<>();
      DumpToolReader.Result idle =
          dump(reader(server, false), server, List.of(p, q), (t, v) -> ids.add(v[0]));
      Position idleAfter = masterStatus(server);
      assertEquals(List.of(1, 2, 1), ids);
      // tests in this JVM run one at a time, and each module's JVM has its own sandboxes
      assertEquals(idleBefore, idleAfter, "nothing else writes to the server");
      assertEquals(idleBefore.file(), idle.position().file());
      assertEquals(idleBefore.offset(), idle.position().offset());
      if (server.flavor() == ServerFlavor.MARIADB) {
        assertEquals(Flavor.MARIADB, idle.position().flavor());
        assertEquals(gtidBinlogPos(server), idle.position().gtids());
      } else {
        // MariaDB's tool prints no GTID set for MySQL; the position is file and offset only
        assertEquals(Flavor.MYSQL, idle.position().flavor());
        assertNull(idle.position().gtids());
      }

      // A row committed while the tool streams is after the position, and not in the dump.
      ids.clear();
      DumpToolReader.Result busy =
          dump(
              reader(server, false),
              server,
              List.of(p, q),
              (t, v) -> {
                if (ids.isEmpty()) {
                  db.execute("INSERT INTO p VALUES (3, 'c')", "UPDATE q SET id = 5 WHERE id = 1");
                }
                ids.add(v[0]);
              });
      assertEquals(List.of(1, 2, 1), ids);
      assertEquals(3, db.count("p"));
      List<String> after = binlogEventsFrom(server, busy.position());
      assertEquals(
          2,
          after.stream().filter(e -> e.contains("(" + db.name() + ".")).count(),
          "the two changes made during the dump, and only they, follow its position: " + after);
      assertTrue(busy.position().compareTo(idle.position()) >= 0);
    }
  }

  private static Position masterStatus(SandboxServer server) throws SQLException {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      assertTrue(rs.next(), "binlog on");
      Flavor f = server.flavor() == ServerFlavor.MARIADB ? Flavor.MARIADB : Flavor.MYSQL;
      return Position.of(f, rs.getString(1), rs.getLong(2));
    }
  }

  private static GtidSet gtidBinlogPos(SandboxServer server) throws SQLException {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@gtid_binlog_pos")) {
      assertTrue(rs.next());
      return GtidSet.parse(Flavor.MARIADB, rs.getString(1));
    }
  }

  /** The Table_map events' info from {@code position} on (one per changed table and statement). */
  private static List<String> binlogEventsFrom(SandboxServer server, Position position)
      throws SQLException {
    List<String> events = new ArrayList<>();
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SHOW BINLOG EVENTS IN '" + position.file() + "' FROM " + position.offset())) {
      while (rs.next()) {
        if (rs.getString("Event_type").equals("Table_map")) {
          events.add(rs.getString("Info"));
        }
      }
    }
    return events;
  }

  @Test
  void password_withQuotesAndBackslashes_reachesTheTool() throws Exception {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    String password = "p\"a\\ss 'w#rd\t;";
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE t (id INT PRIMARY KEY)",
          "INSERT INTO t VALUES (7)",
          "CREATE USER 'dumper'@'%' IDENTIFIED BY 'p\"a\\\\ss ''w#rd\t;'",
          "GRANT SELECT, RELOAD, REPLICATION CLIENT, BINLOG MONITOR ON *.* TO 'dumper'@'%'");
      try {
        List<Object> ids = new ArrayList<>();
        DumpToolReader.builder()
            .executable(tool())
            .host(server.host())
            .port(server.port())
            .user("dumper")
            .password(password)
            .build()
            .run(List.of(schema(db, "t")), (t, v) -> ids.add(v[0]));
        assertEquals(List.of(7), ids);
      } finally {
        db.execute("DROP USER 'dumper'@'%'");
      }
    }
  }

  @Test
  void theBundledMariaDb_isDumpedWithItsOwnTool() throws Exception {
    SandboxServer server = SandboxServers.sharedBundledMariaDb();
    Path tool = ((io.canal4j.testkit.MariaDbSandbox) server).dumpTool().orElseThrow();
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (7), (8)");
      List<Object> ids = new ArrayList<>();
      DumpToolReader.builder()
          .executable(tool)
          .host(server.host())
          .port(server.port())
          .user(server.user())
          .build()
          .run(List.of(schema(db, "t")), (t, v) -> ids.add(v[0]));
      assertEquals(List.of(7, 8), ids);
    }
  }

  @Test
  void wrongPassword_givesTheToolsError_withoutThePassword() throws Exception {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      DumpToolReader reader =
          DumpToolReader.builder()
              .executable(tool())
              .host(server.host())
              .port(server.port())
              .user(server.user())
              .password("n0t-the-Passw0rd")
              .build();
      DumpToolException e =
          assertThrows(
              DumpToolException.class, () -> reader.run(List.of(schema(db, "t")), (t, v) -> {}));
      assertEquals(2, e.exitCode());
      assertTrue(e.getMessage().contains("Access denied"), e.getMessage());
      assertTrue(e.stderr().contains("Access denied"), e.stderr());
      assertFalse(e.getMessage().contains("n0t-the-Passw0rd"), e.getMessage());
      assertFalse(reader.toString().contains("n0t-the-Passw0rd"));
    }
  }

  @Test
  void missingTool_namesItAndHowToInstall() throws Exception {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      DumpToolReader reader =
          DumpToolReader.builder()
              .executable(Path.of("/nonexistent/mariadb-dump"))
              .host(server.host())
              .port(server.port())
              .user(server.user())
              .build();
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () -> reader.run(List.of(schema(db, "t")), (t, v) -> {}));
      assertTrue(e.getMessage().contains("/nonexistent/mariadb-dump"), e.getMessage());
      assertTrue(e.getMessage().contains("apt-get install mariadb-client"), e.getMessage());
    }
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> DumpTool.find("/nonexistent:/nowhere"));
    assertTrue(e.getMessage().contains("neither mariadb-dump nor mysqldump"), e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install mariadb-client"), e.getMessage());
    Path tool = tool();
    assertEquals(tool, DumpTool.find("/nonexistent:" + tool.getParent()));
  }

  @Test
  void sinkFailure_killsTheTool_andIsRethrownUnchanged() throws Exception {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2)");
      class Stop extends Exception {
        private static final long serialVersionUID = 1L;
      }
      Stop stop = new Stop();
      Stop thrown =
          assertThrows(
              Stop.class,
              () ->
                  reader(server, false)
                      .run(
                          List.of(schema(db, "t")),
                          (t, v) -> {
                            throw stop;
                          }));
      assertTrue(thrown == stop);
    }
  }
}
