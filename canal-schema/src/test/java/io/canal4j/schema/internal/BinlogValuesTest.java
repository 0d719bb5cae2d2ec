package io.canal4j.schema.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.value.BinlogCells;
import io.canal4j.schema.internal.value.JdbcValues;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.ServerRendering;
import io.canal4j.testkit.TestDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end: rows inserted on a real server, read back from its binlog with a bare connector
 * client and decoded by {@link BinlogCells}, read with {@link JdbcValues}, and compared with each
 * other (values and classes) and with the server's own rendering ({@code CAST(col AS CHAR)}, {@code
 * HEX(col)}). One or two values per type family plus the extremes; the full type matrix is a later
 * issue.
 */
class BinlogValuesTest {
  private static final String SERVERS = "io.canal4j.testkit.SandboxServers#all";
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  /** Column name, SQL type, canonical Java class. */
  private record Col(String name, String sql, Class<?> javaType) {}

  private static List<Col> columns(ServerFlavor flavor) {
    List<Col> cols =
        new ArrayList<>(
            List.of(
                new Col("ti", "TINYINT", Integer.class),
                new Col("tiu", "TINYINT UNSIGNED", Integer.class),
                new Col("si", "SMALLINT", Integer.class),
                new Col("siu", "SMALLINT UNSIGNED", Integer.class),
                new Col("mi", "MEDIUMINT", Integer.class),
                new Col("miu", "MEDIUMINT UNSIGNED", Integer.class),
                new Col("i", "INT", Integer.class),
                new Col("iu", "INT UNSIGNED", Long.class),
                new Col("bi", "BIGINT", Long.class),
                new Col("biu", "BIGINT UNSIGNED", BigInteger.class),
                new Col("dec65", "DECIMAL(65,30)", BigDecimal.class),
                new Col("dec2", "DECIMAL(10,2)", BigDecimal.class),
                new Col("dec0", "DECIMAL(5,0) UNSIGNED", BigDecimal.class),
                new Col("f", "FLOAT", Float.class),
                new Col("d", "DOUBLE", Double.class),
                new Col("b1", "BIT(1)", Boolean.class),
                new Col("b10", "BIT(10)", byte[].class),
                new Col("b64", "BIT(64)", byte[].class),
                new Col("dt", "DATE", LocalDate.class),
                new Col("dtm", "DATETIME(6)", LocalDateTime.class),
                new Col("dtm0", "DATETIME", LocalDateTime.class),
                new Col("ts", "TIMESTAMP(6) NULL DEFAULT NULL", Instant.class),
                new Col("ts0", "TIMESTAMP NULL DEFAULT NULL", Instant.class),
                new Col("tm", "TIME(6)", Duration.class),
                new Col("tm0", "TIME", Duration.class),
                new Col("y", "YEAR", Integer.class),
                new Col("c", "CHAR(10) CHARACTER SET utf8mb4", String.class),
                new Col("vc", "VARCHAR(100) CHARACTER SET utf8mb4", String.class),
                new Col("tx", "TEXT CHARACTER SET utf8mb4", String.class),
                new Col("l1", "VARCHAR(20) CHARACTER SET latin1", String.class),
                new Col("l1c", "CHAR(5) CHARACTER SET latin1", String.class),
                new Col("gb", "VARCHAR(20) CHARACTER SET gbk", String.class),
                new Col("u16", "VARCHAR(10) CHARACTER SET utf16", String.class),
                new Col("bn", "BINARY(4)", byte[].class),
                new Col("vb", "VARBINARY(10)", byte[].class),
                new Col("bl", "BLOB", byte[].class),
                new Col("e", "ENUM('a''b','c,d','x')", String.class),
                new Col("s", "SET('p','q''r','s')", String.class),
                new Col("j", "JSON", String.class),
                new Col("g", "GEOMETRY", byte[].class)));
    if (flavor == ServerFlavor.MYSQL) {
      cols.add(new Col("g18", "VARCHAR(10) CHARACTER SET gb18030", String.class));
    }
    return cols;
  }

  /** Row values by column name; absent columns are NULL. Strings are sent as-is, byte[] raw. */
  private static Map<Integer, Map<String, Object>> rows() {
    Map<Integer, Map<String, Object>> rows = new TreeMap<>();
    rows.put(
        1,
        values(
            "ti",
            -128,
            "tiu",
            0,
            "si",
            -32768,
            "siu",
            0,
            "mi",
            -8388608,
            "miu",
            0,
            "i",
            -2147483648,
            "iu",
            0,
            "bi",
            "-9223372036854775808",
            "biu",
            0,
            "dec65",
            "-99999999999999999999999999999999999.999999999999999999999999999999",
            "dec2",
            "-99999999.99",
            "dec0",
            0,
            "f",
            "-3.40282e38",
            "d",
            "-1.7976931348623157e308",
            "b1",
            new byte[] {0},
            "b10",
            new byte[] {0, 0},
            "b64",
            new byte[8],
            "dt",
            "1000-01-01",
            "dtm",
            "1000-01-01 00:00:00.000000",
            "dtm0",
            "1000-01-01 00:00:00",
            "ts",
            "1970-01-01 00:00:01.000000",
            "ts0",
            "1970-01-01 00:00:01",
            "tm",
            "00:00:00.000000",
            "tm0",
            "00:00:00",
            "y",
            1901,
            "c",
            "",
            "vc",
            "",
            "tx",
            "",
            "l1",
            "",
            "l1c",
            "",
            "gb",
            "",
            "u16",
            "",
            "bn",
            new byte[4],
            "vb",
            new byte[0],
            "bl",
            new byte[0],
            "e",
            "a'b",
            "s",
            "",
            "j",
            "{}",
            "g",
            "POINT(0 0)",
            "g18",
            ""));
    rows.put(
        2,
        values(
            "ti",
            127,
            "tiu",
            255,
            "si",
            32767,
            "siu",
            65535,
            "mi",
            8388607,
            "miu",
            16777215,
            "i",
            2147483647,
            "iu",
            4294967295L,
            "bi",
            "9223372036854775807",
            "biu",
            "18446744073709551615",
            "dec65",
            "99999999999999999999999999999999999.999999999999999999999999999999",
            "dec2",
            "99999999.99",
            "dec0",
            99999,
            "f",
            "3.40282e38",
            "d",
            "1.7976931348623157e308",
            "b1",
            new byte[] {1},
            "b10",
            new byte[] {3, (byte) 0xFF},
            "b64",
            HEX.parseHex("FFFFFFFFFFFFFFFF"),
            "dt",
            "9999-12-31",
            "dtm",
            "9999-12-31 23:59:59.999999",
            "dtm0",
            "9999-12-31 23:59:59",
            "ts",
            "2038-01-19 03:14:07.999999",
            "ts0",
            "2038-01-19 03:14:07",
            "tm",
            "838:59:59.000000",
            "tm0",
            "838:59:59",
            "y",
            2155,
            "c",
            "abc  ",
            "vc",
            "\uD834\uDD1E\uD83D\uDE00 ünï",
            "tx",
            "x".repeat(1000),
            "l1",
            HEX.parseHex("80E9819D"),
            "l1c",
            "é ",
            "gb",
            "中文",
            "u16",
            "\uD834\uDD1Ea",
            "bn",
            "ab",
            "vb",
            HEX.parseHex("00FF00"),
            "bl",
            HEX.parseHex("000102FF00"),
            "e",
            "c,d",
            "s",
            "p,q'r,s",
            "j",
            "{\"a\": 1, \"b\": [1.5, \"x\\ny\", null, true, false], \"c\": {\"d\": -0.25},"
                + " \"e\": 18446744073709551615, \"f\": -9223372036854775808,"
                + " \"g\": \"\\u0001\\u001f\\\"\\\\/é😀\"}",
            "g",
            "POINT(1.5 -2)",
            "g18",
            "中文\uD840\uDC00"));
    rows.put(3, values());
    rows.put(
        4,
        values(
            "ti",
            -1,
            "tiu",
            200,
            "si",
            -1,
            "siu",
            40000,
            "mi",
            -1,
            "miu",
            9000000,
            "i",
            -1,
            "iu",
            3000000000L,
            "bi",
            -1,
            "biu",
            "9223372036854775808",
            "dec65",
            "-0.000000000000000000000000000001",
            "dec2",
            "-0.01",
            "dec0",
            7,
            "f",
            "3.1415927",
            "d",
            "0.1",
            "b1",
            new byte[] {1},
            "b10",
            new byte[] {0, 1},
            "b64",
            HEX.parseHex("0000000000000001"),
            "dt",
            "2024-02-29",
            "dtm",
            "1582-10-04 12:00:00.5",
            "dtm0",
            "0001-01-01 00:00:00",
            "ts",
            "2024-06-01 12:34:56.5",
            "ts0",
            "2001-02-03 04:05:06",
            "tm",
            "100:00:00.000001",
            "tm0",
            "24:00:00",
            "y",
            0,
            "c",
            "  x  ",
            "vc",
            "tab\there",
            "tx",
            "line\nbreak",
            "l1",
            "café",
            "l1c",
            "a",
            "gb",
            "汉字",
            "u16",
            "x",
            "bn",
            HEX.parseHex("0102"),
            "vb",
            new byte[] {0},
            "bl",
            new byte[] {0},
            "e",
            "x",
            "s",
            "s,p",
            "j",
            "[1, \"a\", 1.5e300, 1e-7, 0.1, 3.0, -0.0, {\"k\": \"v\"}, []]",
            "g",
            "POINT(0 0)",
            "g18",
            "啊"));
    return rows;
  }

  /** Zero and partly-zero dates and an invalid ENUM value, inserted with sql_mode=''. */
  private static Map<String, Object> zeroDateRow() {
    return values(
        "dt",
        "0000-00-00",
        "dtm",
        "2020-00-00 10:00:00",
        "dtm0",
        "0000-00-00 00:00:00",
        "ts",
        "0000-00-00 00:00:00",
        "ts0",
        "0000-00-00 00:00:00",
        "e",
        "nope");
  }

  private static Map<String, Object> values(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void binlogAndJdbc_giveTheSameCanonicalValues_asTheServerPrints(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      List<Col> cols = columns(server.flavor());
      createTable(db, cols);
      var from = BinlogCapture.currentPosition(server);
      Map<Integer, Map<String, Object>> rows = rows();
      try (Connection c = db.connect()) {
        JdbcValues.prepareSession(c);
        for (Map.Entry<Integer, Map<String, Object>> row : rows.entrySet()) {
          insert(c, cols, row.getKey(), row.getValue());
        }
        try (Statement s = c.createStatement()) {
          s.execute("SET SESSION sql_mode = ''");
        }
        insert(c, cols, 5, zeroDateRow());
      }
      TableId id = TableId.of(db.name(), "v");
      List<BinlogCapture.Row> binlog =
          BinlogCapture.insertedRows(server, from, id, rows.size() + 1, Duration.ofSeconds(30));

      InformationSchemaCache cache = new InformationSchemaCache(server::connect);
      Map<Integer, Object[]> fromBinlog = new TreeMap<>();
      Object[] zeroAsText = null;
      TableSchema schema = null;
      for (BinlogCapture.Row row : binlog) {
        schema = cache.schemaAt(row.tableMap(), row.tableMapPosition());
        Object[] values = row.values(schema);
        fromBinlog.put((Integer) values[0], values);
        if ((Integer) values[0] == 5) {
          zeroAsText = row.values(schema, true);
        }
      }
      assertNotNull(schema);
      Map<Integer, Object[]> fromJdbc = readJdbc(db, schema);
      Map<Integer, String[]> printed = readServerRendering(db, schema);
      assertEquals(fromJdbc.keySet(), fromBinlog.keySet());

      List<String> problems = new ArrayList<>();
      for (int rowId : fromJdbc.keySet()) {
        for (int i = 1; i < schema.columnCount(); i++) {
          Column column = schema.column(i);
          Col col = cols.get(i - 1);
          Object b = fromBinlog.get(rowId)[i];
          Object j = fromJdbc.get(rowId)[i];
          String where = server + " row " + rowId + " column " + column.name();
          if (!same(b, j)) {
            problems.add(where + ": binlog " + show(b) + " but JDBC " + show(j));
          }
          if (b != null && b.getClass() != col.javaType()) {
            problems.add(where + ": binlog class " + b.getClass().getSimpleName());
          }
          String mismatch = checkRendering(b, column, printed.get(rowId)[i]);
          if (mismatch != null) {
            problems.add(where + ": " + mismatch);
          }
        }
      }
      if (!problems.isEmpty()) {
        fail(problems.size() + " differences:\n" + String.join("\n", problems));
      }
      // Spot checks of the values themselves, beyond agreement.
      Object[] max = fromBinlog.get(2);
      assertEquals(new BigInteger("18446744073709551615"), max[schema.indexOf("biu")]);
      assertEquals(255, max[schema.indexOf("tiu")]);
      assertEquals(
          Duration.ofHours(838).plusMinutes(59).plusSeconds(59), max[schema.indexOf("tm")]);
      assertEquals("€é\u0081\u009D", max[schema.indexOf("l1")]);
      assertEquals("abc", max[schema.indexOf("c")]);
      assertEquals(16777216f, 16777216f); // sanity of the literal below
      Object[] misc = fromBinlog.get(4);
      assertEquals(3.1415927f, misc[schema.indexOf("f")]);
      assertEquals("  x", misc[schema.indexOf("c")]);
      assertEquals("p,s", misc[schema.indexOf("s")]);
      assertEquals(0, misc[schema.indexOf("y")]);
      assertEquals(
          LocalDateTime.of(1582, 10, 4, 12, 0, 0, 500_000_000), misc[schema.indexOf("dtm")]);
      Object[] zero = fromBinlog.get(5);
      assertNull(zero[schema.indexOf("dt")]);
      assertNull(zero[schema.indexOf("dtm")]);
      assertNull(zero[schema.indexOf("ts")]);
      assertEquals("", zero[schema.indexOf("e")]);
      // The same row with zero dates as text: the server's own text, from binlog and JDBC alike.
      assertNotNull(zeroAsText);
      Object[] jdbcZeroAsText = readJdbc(db, schema, "v", true).get(5);
      for (String name : List.of("dt", "dtm", "dtm0", "ts", "ts0")) {
        int i = schema.indexOf(name);
        assertEquals(printed.get(5)[i], zeroAsText[i], "binlog " + name);
        assertEquals(printed.get(5)[i], jdbcZeroAsText[i], "JDBC " + name);
      }
      assertEquals("0000-00-00 00:00:00.000000", zeroAsText[schema.indexOf("ts")]);
    }
  }

  /** Negative TIME of every fsp, which the connector's own decoding gets wrong: exact here. */
  @ParameterizedTest
  @MethodSource(SERVERS)
  void negativeTime_binlogEqualsJdbc_andTheServersText(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE n (id INT PRIMARY KEY, t0 TIME, t1 TIME(1), t2 TIME(2), t3 TIME(3),"
              + " t4 TIME(4), t5 TIME(5), t6 TIME(6))");
      var from = BinlogCapture.currentPosition(server);
      String[] values = {
        "-838:59:59",
        "-00:00:00.1",
        "-00:00:01.01",
        "-12:34:56.789",
        "-100:00:00.0001",
        "-00:00:00.00001",
        "-838:59:58.999999"
      };
      String[] rows = {
        "(1, '" + String.join("', '", values) + "')",
        "(2, '-00:00:01', '-01:00:00.9', '-00:00:00.99', '-00:00:00.001', '-23:59:59.9999',"
            + " '-00:00:59.99999', '-00:00:00.000001')"
      };
      for (String row : rows) {
        db.execute("INSERT INTO n VALUES " + row);
      }
      TableId id = TableId.of(db.name(), "n");
      List<BinlogCapture.Row> binlog =
          BinlogCapture.insertedRows(server, from, id, rows.length, Duration.ofSeconds(30));
      TableSchema schema =
          new InformationSchemaCache(server::connect)
              .schemaAt(binlog.get(0).tableMap(), binlog.get(0).tableMapPosition());
      Map<Integer, Object[]> jdbc = readJdbc(db, schema, "n");
      Map<Integer, String[]> printed = readServerRendering(db, schema, "n");
      for (BinlogCapture.Row row : binlog) {
        Object[] v = row.values(schema);
        int rowId = (Integer) v[0];
        for (int i = 1; i < v.length; i++) {
          String where = "row " + rowId + " " + schema.column(i).name();
          assertTrue(((Duration) v[i]).isNegative(), where);
          assertEquals(jdbc.get(rowId)[i], v[i], where);
          assertNull(checkRendering(v[i], schema.column(i), printed.get(rowId)[i]), where);
        }
      }
    }
  }

  /** MySQL's binary JSON with what text cannot hold: temporal and opaque values, big documents. */
  @ParameterizedTest
  @MethodSource(SERVERS)
  void mysqlBinaryJson_rendersAsMySqlPrintsIt(SandboxServer server) throws Exception {
    Assumptions.assumeTrue(server.flavor() == ServerFlavor.MYSQL, "binary JSON is MySQL's");
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE jt (id INT PRIMARY KEY, j JSON)");
      var from = BinlogCapture.currentPosition(server);
      String[] values = {
        "JSON_ARRAY(CAST('2020-01-02 03:04:05.123' AS DATETIME(3)), CAST('-01:02:03.5' AS TIME(1)),"
            + " CAST('12:00:00' AS TIME), CAST('-00:00:00.5' AS TIME(1)),"
            + " CAST('2020-01-02' AS DATE), TIMESTAMP'2021-03-04 05:06:07', CAST(x'0102' AS BINARY),"
            + " 1.50, CAST(1.5 AS DOUBLE), CAST(-0.0 AS DOUBLE), CAST(1e-300 AS DOUBLE),"
            + " CAST(18446744073709551615 AS UNSIGNED), -5, 'x', TRUE, NULL)",
        "JSON_OBJECT('big', REPEAT('é', 40000), 'n', JSON_ARRAY(1, 2, 3), 'o', JSON_OBJECT())",
        "JSON_ARRAY(CAST(REPEAT(x'01', 100) AS BINARY))",
        "'\"scalar\"'",
        "'null'",
        "'-123456789012'",
      };
      for (int i = 0; i < values.length; i++) {
        db.execute("INSERT INTO jt VALUES (" + (i + 1) + ", " + values[i] + ")");
      }
      TableId id = TableId.of(db.name(), "jt");
      List<BinlogCapture.Row> rows =
          BinlogCapture.insertedRows(server, from, id, values.length, Duration.ofSeconds(30));
      TableSchema schema =
          new InformationSchemaCache(server::connect)
              .schemaAt(rows.get(0).tableMap(), rows.get(0).tableMapPosition());
      Map<Integer, Object[]> jdbc = readJdbc(db, schema, "jt");
      Map<Integer, String> printed = new TreeMap<>();
      try (Connection c = db.connect();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, CAST(j AS CHAR) FROM jt")) {
        while (rs.next()) {
          printed.put(rs.getInt(1), rs.getString(2));
        }
      }
      for (BinlogCapture.Row row : rows) {
        Object[] decoded = row.values(schema);
        int rowId = (Integer) decoded[0];
        Object binlog = decoded[1];
        assertEquals(printed.get(rowId), binlog, "row " + rowId + " against CAST(j AS CHAR)");
        assertEquals(jdbc.get(rowId)[1], binlog, "row " + rowId + " against JDBC");
      }
    }
  }

  private static void createTable(TestDatabase db, List<Col> cols) throws Exception {
    StringBuilder sql = new StringBuilder("CREATE TABLE v (id INT NOT NULL PRIMARY KEY");
    for (Col c : cols) {
      sql.append(", ").append(c.name()).append(' ').append(c.sql());
    }
    db.execute(sql.append(')').toString());
  }

  private static void insert(Connection c, List<Col> cols, int id, Map<String, Object> values)
      throws Exception {
    StringBuilder sql = new StringBuilder("INSERT INTO v (id");
    StringBuilder params = new StringBuilder("?");
    for (Col col : cols) {
      sql.append(", ").append(col.name());
      params.append(col.name().equals("g") ? ", ST_GeomFromText(?)" : ", ?");
    }
    sql.append(") VALUES (").append(params).append(')');
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setInt(1, id);
      for (int i = 0; i < cols.size(); i++) {
        Object v = values.get(cols.get(i).name());
        if (v instanceof byte[] bytes) {
          ps.setBytes(i + 2, bytes);
        } else {
          ps.setObject(i + 2, v);
        }
      }
      ps.executeUpdate();
    }
  }

  private static Map<Integer, Object[]> readJdbc(TestDatabase db, TableSchema schema)
      throws Exception {
    return readJdbc(db, schema, "v");
  }

  private static Map<Integer, Object[]> readJdbc(TestDatabase db, TableSchema schema, String table)
      throws Exception {
    return readJdbc(db, schema, table, false);
  }

  private static Map<Integer, Object[]> readJdbc(
      TestDatabase db, TableSchema schema, String table, boolean zeroDatesAsText) throws Exception {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (Column c : schema.columns()) {
      sql.append(c.index() == 0 ? "" : ", ").append(JdbcValues.selectExpression(c));
    }
    sql.append(" FROM ").append(table).append(" ORDER BY id");
    Map<Integer, Object[]> result = new TreeMap<>();
    try (Connection c = db.connect()) {
      JdbcValues.prepareSession(c);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql.toString())) {
        while (rs.next()) {
          Object[] row = new Object[schema.columnCount()];
          for (Column col : schema.columns()) {
            row[col.index()] = JdbcValues.read(rs, col.index() + 1, col, zeroDatesAsText);
          }
          result.put((Integer) row[0], row);
        }
      }
    }
    return result;
  }

  /** The server's text for each value: CAST AS CHAR, HEX for bytes, FLOAT via DOUBLE. */
  private static Map<Integer, String[]> readServerRendering(TestDatabase db, TableSchema schema)
      throws Exception {
    return readServerRendering(db, schema, "v");
  }

  private static Map<Integer, String[]> readServerRendering(
      TestDatabase db, TableSchema schema, String table) throws Exception {
    StringBuilder sql = new StringBuilder("SELECT id");
    for (Column c : schema.columns()) {
      if (c.index() == 0) {
        continue;
      }
      sql.append(", ").append(ServerRendering.expression(c.name(), c.type().name()));
    }
    sql.append(" FROM ").append(table).append(" ORDER BY id");
    Map<Integer, String[]> result = new TreeMap<>();
    try (Connection c = db.connect()) {
      JdbcValues.prepareSession(c);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql.toString())) {
        while (rs.next()) {
          String[] row = new String[schema.columnCount()];
          for (int i = 1; i < row.length; i++) {
            row[i] = rs.getString(i + 1);
          }
          result.put(rs.getInt(1), row);
        }
      }
    }
    return result;
  }

  /** Null when our value renders as the server's text, else what differs. */
  private static String checkRendering(Object v, Column c, String server) {
    if (v == null) {
      boolean zeroDate =
          server != null
              && (c.type() == ColumnType.DATE
                  || c.type() == ColumnType.DATETIME
                  || c.type() == ColumnType.TIMESTAMP)
              && (server.startsWith("0000") || server.contains("-00"));
      return server == null || zeroDate ? null : "null but the server prints " + server;
    }
    return ServerRendering.mismatch(v, c.type().name(), c.scale(), server);
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return a == null ? b == null : b != null && a.getClass() == b.getClass() && a.equals(b);
  }

  private static String show(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof byte[] b) {
      return "byte[" + HEX.formatHex(b) + "]";
    }
    if (v instanceof String s) {
      return "\"" + s.replace("\n", "\\n") + "\"";
    }
    return v + " (" + v.getClass().getSimpleName() + ")";
  }
}
