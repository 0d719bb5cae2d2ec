package io.canal4j;

import static io.canal4j.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canal4j.schema.Column;
import io.canal4j.schema.TableSchema;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The type matrix end to end through a running canal, on both servers: every image a canal delivers
 * (insert, update before and after, delete) and the JDBC reading of the same rows are compared with
 * the server's own text of each value ({@code CAST(col AS CHAR)}, {@code HEX(col)} for bytes and
 * BIT; JSON as MySQL prints it), and must be of the README's Java class.
 */
class BinlogValuesThroughCanalTest {
  private static final String SERVERS = "io.canal4j.testkit.SandboxServers#both";

  /** A column: name, SQL type, canonical Java class. */
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
                new Col("de", "DECIMAL(65,30)", BigDecimal.class),
                new Col("d2", "DECIMAL(10,2)", BigDecimal.class),
                new Col("d9", "DECIMAL(9,9)", BigDecimal.class),
                new Col("d18", "DECIMAL(18,0)", BigDecimal.class),
                new Col("f", "FLOAT", Float.class),
                new Col("db", "DOUBLE", Double.class),
                new Col("b1", "BIT(1)", Boolean.class),
                new Col("b10", "BIT(10)", byte[].class),
                new Col("b64", "BIT(64)", byte[].class),
                new Col("dt", "DATE", LocalDate.class),
                new Col("yr", "YEAR", Integer.class)));
    for (int fsp = 0; fsp <= 6; fsp++) {
      cols.add(new Col("dt" + fsp, "DATETIME(" + fsp + ")", LocalDateTime.class));
      cols.add(new Col("ts" + fsp, "TIMESTAMP(" + fsp + ") NULL DEFAULT NULL", Instant.class));
      cols.add(new Col("tm" + fsp, "TIME(" + fsp + ")", Duration.class));
    }
    cols.addAll(
        List.of(
            new Col("c", "CHAR(5) CHARACTER SET utf8mb4", String.class),
            new Col("vc", "VARCHAR(300) CHARACTER SET utf8mb4", String.class),
            new Col("tx", "TEXT CHARACTER SET utf8mb4", String.class),
            new Col("l1", "VARCHAR(20) CHARACTER SET latin1", String.class),
            new Col("gb", "VARCHAR(20) CHARACTER SET gbk", String.class),
            new Col("u16", "VARCHAR(10) CHARACTER SET utf16", String.class),
            new Col("bn", "BINARY(4)", byte[].class),
            new Col("vb", "VARBINARY(10)", byte[].class),
            new Col("bl", "BLOB", byte[].class),
            new Col("lb", "LONGBLOB", byte[].class),
            new Col("e", "ENUM('a','b,c','it''s')", String.class),
            new Col("e2", "ENUM('','x')", String.class),
            new Col("st", "SET('x','y','z')", String.class),
            new Col("js", "JSON", String.class),
            new Col("g", "GEOMETRY", byte[].class),
            new Col("pt", "POINT", byte[].class)));
    if (flavor == ServerFlavor.MYSQL) {
      cols.add(new Col("g18", "VARCHAR(20) CHARACTER SET gb18030", String.class)); // not MariaDB
    }
    return cols;
  }

  /** SQL literals by column; columns left out are NULL. */
  private static List<Map<String, String>> rows() {
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

  @ParameterizedTest
  @MethodSource(SERVERS)
  void typeMatrix_everyImageAndJdbc_matchTheServersText_andJavaClass(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      List<Col> cols = columns(server.flavor());
      StringBuilder create = new StringBuilder("CREATE TABLE t (id INT PRIMARY KEY");
      cols.forEach(c -> create.append(", ").append(c.name()).append(' ').append(c.sql()));
      db.execute(create.append(')').toString());
      List<String> statements = new ArrayList<>();
      statements.add("SET SESSION time_zone = '+00:00'");
      List<Map<String, String>> rows = rows();
      for (int r = 0; r < rows.size(); r++) {
        statements.add(insert("t", cols, r + 1, rows.get(r)));
      }
      // An ENUM value without a label is stored as '' (index 0) outside strict mode.
      statements.add("SET SESSION sql_mode = ''");
      statements.add(insert("t", cols, rows.size() + 1, values("e", "'nope'", "e2", "'nope'")));
      Map<String, Class<?>> classes = new LinkedHashMap<>();
      cols.forEach(c -> classes.put(c.name(), c.javaType()));
      int cells = checkThroughCanal(server, db, "t", classes, statements);
      assertEquals((rows.size() + 1) * cols.size() * 6, cells);
    }
  }

  /** JSON documents past 64 KiB, which MySQL stores in its large binary-JSON format. */
  @ParameterizedTest
  @MethodSource(SERVERS)
  void largeJson_everyImageAndJdbc_matchTheServersText(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE j (id INT PRIMARY KEY, v JSON)");
      List<String> documents = largeJsonDocuments();
      int cells =
          checkThroughCanal(
              server,
              db,
              "j",
              Map.of("v", String.class),
              List.of(),
              c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO j VALUES (?, ?)")) {
                  for (int i = 0; i < documents.size(); i++) {
                    ps.setInt(1, i + 1);
                    ps.setString(2, documents.get(i));
                    ps.executeUpdate();
                  }
                }
              });
      assertEquals(documents.size() * 6, cells);
    }
  }

  private static List<String> largeJsonDocuments() {
    StringBuilder object = new StringBuilder("{");
    for (int i = 0; i < 3000; i++) {
      object
          .append(i == 0 ? "" : ", ")
          .append("\"key")
          .append(i)
          .append("\": {\"n\": ")
          .append(i * 7 - 10000)
          .append(", \"d\": ")
          .append(i / 8.0)
          .append(", \"s\": \"ü€")
          .append(i)
          .append("\"}");
    }
    object.append("}");
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < 6000; i++) {
      array.append(i == 0 ? "" : ", ");
      switch (i % 6) {
        case 0 -> array.append(Long.MIN_VALUE + i);
        case 1 -> array.append("1.0e").append(i % 300);
        case 2 -> array.append("\"😀\\t").append(i).append("\"");
        case 3 -> array.append("[true, false, null]");
        case 4 -> array.append("{\"x\": [").append(i).append(", {\"y\": \"中\"}]}");
        default -> array.append("18446744073709551615");
      }
    }
    array.append("]");
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 30; i++) { // MariaDB allows a depth of 32
      deep.append(i % 2 == 0 ? "{\"k\": " : "[");
    }
    deep.append("\"").append("é".repeat(40_000)).append("\"");
    for (int i = 29; i >= 0; i--) {
      deep.append(i % 2 == 0 ? "}" : "]");
    }
    String longString = "\"" + "a😀\\u0001\\\"".repeat(12_000) + "\"";
    return List.of(
        object.toString(), array.toString(), deep.toString(), longString, "{\"small\": 1}");
  }

  /** Writes rows on one connection (its session settings hold for all statements). */
  private interface Writer {
    void write(Connection c) throws Exception;
  }

  private static int checkThroughCanal(
      SandboxServer server,
      TestDatabase db,
      String table,
      Map<String, Class<?>> classes,
      List<String> statements)
      throws Exception {
    return checkThroughCanal(server, db, table, classes, statements, c -> {});
  }

  /**
   * Runs a canal on {@code table} while rows are inserted, updated (id + {@link
   * ValueOracle#ID_SHIFT}) and deleted, and compares every image and the JDBC reading with the
   * server's text. Returns the number of values compared.
   */
  private static int checkThroughCanal(
      SandboxServer server,
      TestDatabase db,
      String table,
      Map<String, Class<?>> classes,
      List<String> statements,
      Writer writer)
      throws Exception {
    RecordingHandler h = new RecordingHandler();
    RecordingHandler snapshotRows = new RecordingHandler();
    TableSchema schema = ValueOracle.schema(db, table);
    Map<Integer, String[]> text;
    Map<Integer, Object[]> jdbc;
    try (Canal canal =
        CanalTesting.canalFor(server, "values-" + table)
            .include(db.name() + "\\." + table)
            .handler(h)
            .build()) {
      canal.start();
      await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
      if (!statements.isEmpty()) {
        db.execute(statements.toArray(String[]::new));
      }
      try (Connection c = db.connect()) {
        writer.write(c);
      }
      text = ValueOracle.serverText(db, schema, table);
      jdbc = ValueOracle.jdbc(db, schema, table, false);
      try (Canal snapshot =
          CanalTesting.snapshotOnlyFor(server, "snapshot-" + table)
              .include(db.name() + "\\." + table)
              .handler(snapshotRows)
              .build()) {
        snapshot.start();
        snapshot.termination().get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      db.execute(
          "UPDATE " + table + " SET id = id + " + ValueOracle.ID_SHIFT, "DELETE FROM " + table);
      int changes = text.size() * 3;
      await("inserts, updates, deletes", Duration.ofSeconds(60), () -> h.rowCount() == changes);
    }
    ValueOracle.Images images = ValueOracle.images(h);
    assertEquals(text.keySet(), images.byId().keySet());
    Map<Integer, Row> snapshot = new LinkedHashMap<>();
    for (RowsEvent e : snapshotRows.rows) {
      assertEquals(RowAction.SNAPSHOT, e.action());
      e.changes().forEach(c -> snapshot.put(((Number) c.after().get(0)).intValue(), c.after()));
    }
    assertEquals(text.keySet(), snapshot.keySet(), "the snapshot has every row");
    List<String> problems = new ArrayList<>();
    int compared = 0;
    for (int id : text.keySet()) {
      List<Row> rows = images.byId().get(id);
      List<String> labels = new ArrayList<>(images.labels().get(id));
      assertEquals(List.of("insert", "update before", "update after", "delete"), labels);
      for (int i = 1; i < schema.columnCount(); i++) {
        Column c = schema.column(i);
        String t = text.get(id)[i];
        Object j = jdbc.get(id)[i];
        List<Object> values = new ArrayList<>();
        rows.forEach(r -> values.add(r.get(c.name())));
        values.add(snapshot.get(id).get(c.name()));
        labels.add("snapshot");
        values.add(j);
        labels.add("JDBC");
        for (int k = 0; k < values.size(); k++) {
          Object v = values.get(k);
          String at = server + " " + table + " row " + id + " " + c.name() + " " + labels.get(k);
          String mismatch = ValueOracle.mismatch(v, c, t);
          if (mismatch != null) {
            problems.add(at + ": " + mismatch);
          } else if (v != null && v.getClass() != classes.get(c.name())) {
            problems.add(at + ": class " + v.getClass().getSimpleName());
          } else if (!same(v, j)) {
            problems.add(at + ": differs from JDBC's " + j);
          }
          compared++;
        }
        labels.remove(labels.size() - 1);
        labels.remove(labels.size() - 1);
      }
    }
    ValueOracle.assertNoProblems(problems);
    return compared;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return a == null ? b == null : a.equals(b);
  }
}
