package io.canal4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReplicaWriterTest {

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void skippingColumnsNotInReplica_followsASourceWithAnAddedColumn(SandboxServer server)
      throws SQLException {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, k INT)");
      ReplicaWriter strict = ReplicaWriter.create(c, Map.of("t", "t_strict"));
      ReplicaWriter lenient = ReplicaWriter.create(c, "t").skippingColumnsNotInReplica();
      db.execute(
          "ALTER TABLE t ADD COLUMN extra INT NULL AFTER id", "INSERT INTO t VALUES (1, 5, 2)");
      Map<String, Object> before = new java.util.LinkedHashMap<>();
      before.put("id", 1L);
      before.put("extra", 5);
      before.put("k", 2);
      assertThrows(SQLException.class, () -> strict.insert("t", before));
      lenient.insert("t", before);
      Map<String, Object> after = new java.util.LinkedHashMap<>(before);
      after.put("id", 2L);
      after.put("k", 3);
      db.execute("UPDATE t SET id = 2, k = 3");
      lenient.update("t", before, after);
      db.execute("ALTER TABLE t DROP COLUMN extra");
      ReplicaCheck.assertEqual(c, "t", "t_replica");
      lenient.delete("t", after);
      db.execute("DELETE FROM t");
      ReplicaCheck.assertEqual(c, "t", "t_replica");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void insertAll_writesTheRowsInsertWrites_inStatementsOf500Rows(SandboxServer server)
      throws SQLException {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2),"
              + " created DATETIME(6), at TIME(3), data BLOB, flags BIT(3), doc JSON,"
              + " total DECIMAL(12,2) AS (price * 2) STORED,"
              + " tag VARCHAR(50) AS (CONCAT(id, '-', name)) VIRTUAL)");
      StringBuilder insert =
          new StringBuilder(
              "INSERT INTO orders (id, name, price, created, at, data, flags, doc) VALUES");
      for (int i = 1; i <= 1_234; i++) {
        insert.append(i == 1 ? " " : ", ").append(orderValues(i));
      }
      db.execute(insert.toString());
      List<Map<String, Object>> rows = readRows(c, "orders");
      ReplicaWriter single = ReplicaWriter.create(c, Map.of("orders", "orders_single"));
      ReplicaWriter batched = ReplicaWriter.create(c, Map.of("orders", "orders_batched"));

      for (Map<String, Object> row : rows) {
        single.insert("orders", row);
      }
      long before = replaceStatements(c);
      batched.insertAll("orders", rows);
      assertEquals(3, replaceStatements(c) - before, "1,234 rows in statements of 500");

      ReplicaCheck.assertEqual(c, "orders", "orders_single");
      ReplicaCheck.assertEqual(c, "orders", "orders_batched");
      batched.insertAll("orders", rows); // a replay converges
      batched.insertAll("orders", List.of()); // nothing to do
      ReplicaCheck.assertEqual(c, "orders", "orders_batched");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void insertAll_laterRowsWin_partialImagesMix_andKeylessTablesKeepDuplicates(SandboxServer server)
      throws SQLException {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute(
          "CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(10), n INT DEFAULT 7)",
          "INSERT INTO items VALUES (1, 'b', 7), (2, 'c', 5), (3, 'd', 7)",
          "CREATE TABLE log (v VARCHAR(10), n INT)",
          "INSERT INTO log VALUES ('a', 1), ('a', 1), ('b', NULL)");
      ReplicaWriter writer = ReplicaWriter.create(c, "items", "log");
      writer.insertAll(
          "items",
          List.of(
              row("id", 1, "v", "a", "n", 7),
              row("id", 2, "v", "c", "n", 5),
              row("id", 1, "v", "b", "n", 7), // replaces the first row
              row("id", 3, "v", "d"))); // other columns: n takes its default
      ReplicaCheck.assertEqual(c, "items", "items_replica");

      List<Map<String, Object>> logRows = readRows(c, "log");
      writer.insertAll("log", logRows);
      ReplicaCheck.assertEqual(c, "log", "log_replica");
      assertEquals(3, db.count("log_replica"));
    }
  }

  /** Varied values, with fractions of seconds; every 50th row all NULL. */
  private static String orderValues(int i) {
    if (i % 50 == 0) {
      return "(" + i + ", NULL, NULL, NULL, NULL, NULL, NULL, NULL)";
    }
    return String.format(
        "(%d, 'Grüße 😀 %d ', %d.25, '2024-02-29 23:59:59.%06d', '12:34:56.%03d', x'00FF%04X',"
            + " b'101', '{\"a\": [%d]}')",
        i, i, i, i * 7, i % 1000, i, i);
  }

  /** Reads rows through plain JDBC, as a test's handler would hand them over. */
  private static List<Map<String, Object>> readRows(Connection c, String table)
      throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = r.getMetaData();
      while (r.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(
              meta.getColumnLabel(i),
              meta.getColumnType(i) == Types.TIME // java.sql.Time has no fractions
                  ? r.getObject(i, LocalTime.class)
                  : r.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static long replaceStatements(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW SESSION STATUS LIKE 'Com_replace'")) {
      r.next();
      return r.getLong(2);
    }
  }

  private static Map<String, Object> row(Object... namesAndValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      row.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return row;
  }
}
