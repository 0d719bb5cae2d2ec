package io.canal4j.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import io.canal4j.schema.internal.JdbcValues;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.SandboxServers;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
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
 * DumpToolReader against real servers: the README's type matrix (the SQL values of canal-core's
 * BinlogValuesThroughCanalTest) and a second table must come out of the dump tool equal, value and
 * class, to what TableReader reads in a transaction; the returned position must split the binlog
 * exactly between the rows in the dump and the changes after it.
 */
class DumpToolReaderTest {
  private static final String BOTH = "io.canal4j.testkit.SandboxServers#both";

  /** A column of the type matrix: name and SQL type. */
  private record Col(String name, String sql) {}

  private static List<Col> matrixColumns(ServerFlavor flavor) {
    List<Col> cols =
        new ArrayList<>(
            List.of(
                new Col("ti", "TINYINT"),
                new Col("tiu", "TINYINT UNSIGNED"),
                new Col("si", "SMALLINT"),
                new Col("siu", "SMALLINT UNSIGNED"),
                new Col("mi", "MEDIUMINT"),
                new Col("miu", "MEDIUMINT UNSIGNED"),
                new Col("i", "INT"),
                new Col("iu", "INT UNSIGNED"),
                new Col("bi", "BIGINT"),
                new Col("biu", "BIGINT UNSIGNED"),
                new Col("de", "DECIMAL(65,30)"),
                new Col("d2", "DECIMAL(10,2)"),
                new Col("d9", "DECIMAL(9,9)"),
                new Col("d18", "DECIMAL(18,0)"),
                new Col("f", "FLOAT"),
                new Col("db", "DOUBLE"),
                new Col("b1", "BIT(1)"),
                new Col("b10", "BIT(10)"),
                new Col("b64", "BIT(64)"),
                new Col("dt", "DATE"),
                new Col("yr", "YEAR")));
    for (int fsp = 0; fsp <= 6; fsp++) {
      cols.add(new Col("dt" + fsp, "DATETIME(" + fsp + ")"));
      cols.add(new Col("ts" + fsp, "TIMESTAMP(" + fsp + ") NULL DEFAULT NULL"));
      cols.add(new Col("tm" + fsp, "TIME(" + fsp + ")"));
    }
    cols.addAll(
        List.of(
            new Col("c", "CHAR(5) CHARACTER SET utf8mb4"),
            new Col("vc", "VARCHAR(300) CHARACTER SET utf8mb4"),
            new Col("tx", "TEXT CHARACTER SET utf8mb4"),
            new Col("l1", "VARCHAR(20) CHARACTER SET latin1"),
            new Col("gb", "VARCHAR(20) CHARACTER SET gbk"),
            new Col("u16", "VARCHAR(10) CHARACTER SET utf16"),
            new Col("bn", "BINARY(4)"),
            new Col("vb", "VARBINARY(10)"),
            new Col("bl", "BLOB"),
            new Col("lb", "LONGBLOB"),
            new Col("e", "ENUM('a','b,c','it''s')"),
            new Col("e2", "ENUM('','x')"),
            new Col("st", "SET('x','y','z')"),
            new Col("js", "JSON"),
            new Col("g", "GEOMETRY"),
            new Col("pt", "POINT")));
    if (flavor == ServerFlavor.MYSQL) {
      cols.add(new Col("g18", "VARCHAR(20) CHARACTER SET gb18030"));
    }
    return cols;
  }

  /** SQL literals by column; columns left out are NULL. Values as in the canal-core matrix. */
  private static List<Map<String, String>> matrixRows() {
    Map<String, String> min =
        values(
            "ti",
            "-128",
            "tiu",
            "0",
            "si",
            "-32768",
            "siu",
            "0",
            "mi",
            "-8388608",
            "miu",
            "0",
            "i",
            "-2147483648",
            "iu",
            "0",
            "bi",
            "-9223372036854775808",
            "biu",
            "0",
            "de",
            "-99999999999999999999999999999999999.999999999999999999999999999999",
            "d2",
            "-99999999.99",
            "d9",
            "-0.999999999",
            "d18",
            "-999999999999999999",
            "f",
            "-3.40282e38",
            "db",
            "-1.7976931348623157E308",
            "b1",
            "b'0'",
            "b10",
            "b'0'",
            "b64",
            "b'0'",
            "dt",
            "'1000-01-01'",
            "yr",
            "1901",
            "c",
            "''",
            "vc",
            "''",
            "tx",
            "''",
            "l1",
            "''",
            "gb",
            "''",
            "u16",
            "''",
            "g18",
            "''",
            "bn",
            "x'00000000'",
            "vb",
            "x''",
            "bl",
            "x''",
            "lb",
            "x'00'",
            "e",
            "'a'",
            "e2",
            "''",
            "st",
            "''",
            "js",
            "'[]'",
            "g",
            "ST_GeomFromText('POINT(0 0)')",
            "pt",
            "ST_GeomFromText('POINT(0 0)')");
    Map<String, String> max =
        values(
            "ti",
            "127",
            "tiu",
            "255",
            "si",
            "32767",
            "siu",
            "65535",
            "mi",
            "8388607",
            "miu",
            "16777215",
            "i",
            "2147483647",
            "iu",
            "4294967295",
            "bi",
            "9223372036854775807",
            "biu",
            "18446744073709551615",
            "de",
            "99999999999999999999999999999999999.999999999999999999999999999999",
            "d2",
            "99999999.99",
            "d9",
            "0.999999999",
            "d18",
            "999999999999999999",
            "f",
            "3.40282e38",
            "db",
            "1.7976931348623157E308",
            "b1",
            "b'1'",
            "b10",
            "b'1111111111'",
            "b64",
            "x'FFFFFFFFFFFFFFFF'",
            "dt",
            "'9999-12-31'",
            "yr",
            "2155",
            "c",
            "'ab  '",
            "vc",
            "'ünï 😀 中文'",
            "tx",
            "REPEAT('t', 1000)",
            "l1",
            "'café €'",
            "gb",
            "'中文'",
            "u16",
            "'😀a'",
            "g18",
            "'中文\uD840\uDC00€'",
            "bn",
            "x'00010000'",
            "vb",
            "x'00FF00'",
            "bl",
            "x'000102'",
            "lb",
            "REPEAT(x'00FF', 40000)",
            "e",
            "'it''s'",
            "e2",
            "'x'",
            "st",
            "'x,y,z'",
            "js",
            "'{\"a\": [1, 2.5, \"s\", null, true, false], \"b\": {\"c\": \"é😀\\\\n\"},"
                + " \"n\": -0.0, \"u\": 18446744073709551615, \"m\": -9223372036854775808,"
                + " \"f\": 1e-7, \"g\": 1.5e300}'",
            "g",
            "ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))')",
            "pt",
            "ST_GeomFromText('POINT(1.5 -2)', 4326)");
    Map<String, String> odd =
        values(
            "ti",
            "-1",
            "tiu",
            "200",
            "si",
            "-1",
            "siu",
            "40000",
            "mi",
            "-1",
            "miu",
            "9000000",
            "i",
            "-1",
            "iu",
            "3000000000",
            "bi",
            "-1",
            "biu",
            "9223372036854775808",
            "de",
            "-0.000000000000000000000000000001",
            "d2",
            "-0.01",
            "d9",
            "0.000000001",
            "d18",
            "-1",
            "f",
            "3.1415927",
            "db",
            "0.1",
            "b1",
            "b'1'",
            "b10",
            "b'1000000001'",
            "b64",
            "x'0000000000000001'",
            "dt",
            "'2024-02-29'",
            "yr",
            "0",
            "c",
            "'  x  '",
            "vc",
            "'tab\there'",
            "tx",
            "'line\\nbreak'",
            "l1",
            "'a'",
            "gb",
            "'汉字'",
            "u16",
            "'x'",
            "g18",
            "'啊'",
            "bn",
            "x'61'",
            "vb",
            "x'0000'",
            "bl",
            "x'00'",
            "lb",
            "x''",
            "e",
            "'b,c'",
            "e2",
            "''",
            "st",
            "'z,x'",
            "js",
            "'\"scalar\"'",
            "g",
            "ST_GeomFromText('LINESTRING(0 0, 1 1, -2.5 3)')",
            "pt",
            "ST_GeomFromText('POINT(-0.5 1e-3)')");
    Map<String, String> hours = values("e", "'b,c'", "js", "'null'");
    for (int fsp = 0; fsp <= 6; fsp++) {
      String zeros = fsp == 0 ? "" : "." + "0".repeat(fsp);
      String nines = fsp == 0 ? "" : "." + "9".repeat(fsp);
      String digits = fsp == 0 ? "" : "." + "123456".substring(0, fsp);
      String tiniest = fsp == 0 ? "" : "." + "0".repeat(fsp - 1) + "1";
      min.put("dt" + fsp, "'1000-01-01 00:00:00" + zeros + "'");
      min.put("ts" + fsp, "'1970-01-01 00:00:01" + zeros + "'");
      min.put("tm" + fsp, "'-838:59:59" + zeros + "'");
      max.put("dt" + fsp, "'9999-12-31 23:59:59" + nines + "'");
      max.put("ts" + fsp, "'2038-01-19 03:14:07" + nines + "'");
      max.put("tm" + fsp, "'838:59:59" + zeros + "'");
      odd.put("dt" + fsp, "'2024-02-29 12:34:56" + digits + "'");
      odd.put("ts" + fsp, "'2024-06-30 23:59:59" + tiniest + "'");
      odd.put("tm" + fsp, fsp == 0 ? "'-00:00:01'" : "'-00:00:00" + tiniest + "'");
      hours.put("dt" + fsp, "'1582-10-04 23:59:59" + tiniest + "'");
      hours.put("ts" + fsp, "'1970-01-01 00:00:01" + tiniest + "'");
      hours.put("tm" + fsp, "'100:00:00" + digits + "'");
    }
    Map<String, String> negativeHours = new LinkedHashMap<>();
    for (int fsp = 0; fsp <= 6; fsp++) {
      negativeHours.put("tm" + fsp, "'-25:59:58" + (fsp == 0 ? "" : "." + "9".repeat(fsp)) + "'");
    }
    return List.of(min, max, odd, hours, negativeHours, values());
  }

  private static Map<String, String> values(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String insert(String table, List<Col> cols, int id, Map<String, String> row) {
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES (" + id);
    for (Col c : cols) {
      sql.append(", ").append(row.getOrDefault(c.name(), "NULL"));
    }
    return sql.append(')').toString();
  }

  /** The type matrix as table {@code t}, and a second table {@code s} with zero dates. */
  private static void createTables(TestDatabase db) throws SQLException {
    List<Col> cols = matrixColumns(db.server().flavor());
    StringBuilder create = new StringBuilder("CREATE TABLE t (id INT PRIMARY KEY");
    cols.forEach(c -> create.append(", ").append(c.name()).append(' ').append(c.sql()));
    db.execute(
        create.append(')').toString(),
        "CREATE TABLE s (a INT, b VARCHAR(30) CHARACTER SET latin1, d DATE, x DATETIME(3),"
            + " z TIMESTAMP NULL DEFAULT NULL, gen INT AS (a * 2) VIRTUAL, PRIMARY KEY (a, b))");
    List<String> statements = new ArrayList<>();
    statements.add("SET SESSION time_zone = '+00:00'");
    List<Map<String, String>> rows = matrixRows();
    for (int r = 0; r < rows.size(); r++) {
      statements.add(insert("t", cols, r + 1, rows.get(r)));
    }
    // An ENUM value without a label is stored as '' (index 0), zero dates exist, outside strict
    // mode.
    statements.add("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
    statements.add(insert("t", cols, rows.size() + 1, values("e", "'nope'", "e2", "'nope'")));
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

  private static DumpToolReader reader(SandboxServer server, boolean zeroDatesAsText) {
    DumpToolReader.Builder b =
        DumpToolReader.builder()
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
  void wrongPassword_givesTheToolsError_withoutThePassword() throws Exception {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      DumpToolReader reader =
          DumpToolReader.builder()
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
    assertNotNull(DumpTool.find(System.getenv("PATH")));
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
