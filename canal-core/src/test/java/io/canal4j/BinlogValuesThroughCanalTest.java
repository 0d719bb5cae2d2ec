package io.canal4j;

import static io.canal4j.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.JdbcValues;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every column type family through the canal's own binlog decoding equals the JDBC reading of the
 * same row (which canal-schema's tests check against the server's own rendering): same value, same
 * Java class, for inserts and both images of updates.
 */
class BinlogValuesThroughCanalTest {
  private static final String COLUMNS =
      "id INT PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED,"
          + " mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT,"
          + " biu BIGINT UNSIGNED, de DECIMAL(65,30), d2 DECIMAL(10,2), f FLOAT, db DOUBLE,"
          + " b1 BIT(1), b64 BIT(64), b10 BIT(10), dt DATE, dtm DATETIME, dtm6 DATETIME(6),"
          + " dtm3 DATETIME(3), ts TIMESTAMP(6) NULL, ts0 TIMESTAMP NULL, tm TIME, tm6 TIME(6),"
          + " tm2 TIME(2), yr YEAR, c CHAR(5), vc VARCHAR(300), tx TEXT, l1 VARCHAR(20) CHARACTER"
          + " SET latin1, gb VARCHAR(20) CHARACTER SET gbk, bn BINARY(4), vb VARBINARY(10), bl BLOB,"
          + " e ENUM('a','b,c','it''s'), st SET('x','y','z'), js JSON";

  private static final String[] ROWS = {
    "(1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,"
        + " -9223372036854775808, 18446744073709551615,"
        + " -12345678901234567890123456789012345.123456789012345678901234567890, -0.01,"
        + " 3.5, -2.2250738585072014E-308, b'1', b'1111111111111111111111111111111111111111111111111111111111111111',"
        + " b'1000000001', '1000-01-01', '9999-12-31 23:59:59', '2024-02-29 12:34:56.123456',"
        + " '1970-01-01 00:00:00.001', '2038-01-19 03:14:07.999999', '1970-01-01 00:00:01',"
        + " '-838:59:59', '-00:00:00.000001', '838:59:58.99', 2155, 'ab  ', 'ünï 😀 中文',"
        + " REPEAT('t', 1000), 'café €', '中文', x'00010000', x'00ff', x'000102', 'b,c', 'x,z',"
        + " '{\"a\": [1, 2.5, \"s\", null, true], \"b\": {\"c\": \"é\"}}')",
    "(2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0,"
        + " 99999999999999999999999999999999999.999999999999999999999999999999, 99999999.99,"
        + " -1.5, 1.7976931348623157E308, b'0', b'0', b'0', '2000-01-01', '2000-01-01 00:00:00',"
        + " '2000-01-01 00:00:00.000001', '2000-01-01 00:00:00.5', '1970-01-01 00:00:01.000001',"
        + " '2024-06-30 23:59:59', '00:00:00', '25:00:00.5', '-01:02:03.04', 1901, '', '',"
        + " '', '', '', x'', x'', x'', 'it''s', '', '[]')",
    "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
        + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
  };

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void everyTypeFamily_binlogEqualsJdbc_valueAndClass(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      String columns =
          server.flavor() == ServerFlavor.MARIADB ? COLUMNS.replace(" JSON", " LONGTEXT") : COLUMNS;
      db.execute("CREATE TABLE t (" + columns + ")");
      RecordingHandler h = new RecordingHandler();
      try (Canal canal =
          CanalTesting.canalFor(server, "values").include(db.name() + "\\.t").handler(h).build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        for (String row : ROWS) {
          db.execute("INSERT INTO t VALUES " + row);
        }
        db.execute("UPDATE t SET id = id + 10"); // before and after images of every row
        await("inserts and updates", Duration.ofSeconds(30), () -> h.rowCount() == ROWS.length * 2);
      }
      List<Row> binlog = new ArrayList<>();
      List<Row> updatedBefore = new ArrayList<>();
      for (RowsEvent e : h.rows) {
        for (RowChange c : e.changes()) {
          binlog.add(c.after());
          if (c.before() != null) {
            updatedBefore.add(c.before());
          }
        }
      }
      TableSchema schema = new InformationSchemaCache(db::connect).load(TableId.of(db.name(), "t"));
      try (Connection c = db.connect()) {
        JdbcValues.prepareSession(c);
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < schema.columnCount(); i++) {
          select.append(i == 0 ? "" : ", ").append(JdbcValues.selectExpression(schema.column(i)));
        }
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery(select + " FROM t ORDER BY id")) {
          for (int r = 0; r < ROWS.length; r++) {
            rs.next();
            Row inserted = binlog.get(r);
            Row after = binlog.get(ROWS.length + r);
            for (int i = 0; i < schema.columnCount(); i++) {
              String col = schema.column(i).name();
              Object jdbc = JdbcValues.read(rs, i + 1, schema.column(i));
              if (col.equals("id")) {
                assertEquals(jdbc, after.get(i));
                continue;
              }
              assertSame(jdbc, inserted.get(i), "insert row " + r + " column " + col);
              assertSame(jdbc, after.get(i), "update after, row " + r + " column " + col);
              assertSame(jdbc, updatedBefore.get(r).get(i), "update before, row " + r + " " + col);
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void zeroPartlyZeroAndInvalidDates_arriveAsNull(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE z (id INT PRIMARY KEY, d DATE, dt DATETIME(3))");
      RecordingHandler h = new RecordingHandler();
      try (Canal canal =
          CanalTesting.canalFor(server, "zero").include(db.name() + "\\.z").handler(h).build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        db.execute(
            "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'",
            "INSERT INTO z VALUES (1, '0000-00-00', '0000-00-00 00:00:00')",
            "INSERT INTO z VALUES (2, '2021-02-00', '2021-00-10 10:00:00')",
            "INSERT INTO z VALUES (3, '2021-02-31', '2021-04-31 12:00:00.5')",
            "INSERT INTO z VALUES (4, '2024-02-29', '2024-02-29 23:59:59.999')");
        await("4 rows", Duration.ofSeconds(20), () -> h.rowCount() == 4);
      }
      for (int r = 0; r < 3; r++) {
        Row row = h.rows.get(r).changes().get(0).after();
        assertEquals(null, row.get("d"), "row " + (r + 1));
        assertEquals(null, row.get("dt"), "row " + (r + 1));
      }
      Row valid = h.rows.get(3).changes().get(0).after();
      assertEquals(java.time.LocalDate.of(2024, 2, 29), valid.get("d"));
      assertEquals(java.time.LocalDateTime.parse("2024-02-29T23:59:59.999"), valid.get("dt"));
    }
  }

  private static void assertSame(Object expected, Object actual, String what) {
    if (expected instanceof byte[] e) {
      assertArrayEquals(e, (byte[]) actual, what);
      return;
    }
    assertEquals(expected, actual, what);
    if (expected != null) {
      assertEquals(expected.getClass(), actual.getClass(), what + " class");
    }
  }
}
