package io.canal4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReplicaCheckTest {

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void copiedRows_pass_andOneChangedReplicaRow_failsNamingItsKey(SandboxServer server)
      throws SQLException {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2),"
              + " created DATETIME(6), data BLOB, flags BIT(3), doc JSON,"
              + " total DECIMAL(12,2) AS (price * 2) STORED)",
          "INSERT INTO orders (id, name, price, created, data, flags, doc) VALUES"
              + " (1, 'Grüße 😀', 12.50, '2024-02-29 23:59:59.123456', x'00FF10', b'101',"
              + " '{\"a\": [1, 2]}'),"
              + " (2, 'trailing ', 0.10, NULL, NULL, b'000', NULL),"
              + " (3, NULL, NULL, '1970-01-01 00:00:01', '', NULL, 'null')");
      ReplicaWriter writer = ReplicaWriter.create(c, "orders");
      assertEquals("orders_replica", writer.replicaTable("orders"));
      copyRows(c, "orders", writer);

      ReplicaCheck.assertEqual(c, "orders", "orders_replica");

      db.execute("UPDATE orders_replica SET name = 'trailing' WHERE id = 2");
      AssertionError e =
          assertThrows(
              AssertionError.class, () -> ReplicaCheck.assertEqual(c, "orders", "orders_replica"));
      assertTrue(e.getMessage().contains("1 differing row(s)"), e.getMessage());
      assertTrue(e.getMessage().contains("key id=2"), e.getMessage());
      assertTrue(e.getMessage().contains("name='trailing '"), e.getMessage());
      assertTrue(e.getMessage().contains("name='trailing',"), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void replayedChanges_converge(SandboxServer server) throws SQLException {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute("CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(10))");
      ReplicaWriter writer = ReplicaWriter.create(c, Map.of("items", "items_copy"));
      db.execute(
          "INSERT INTO items VALUES (1, 'a'), (2, 'b')",
          "UPDATE items SET id = 3, v = 'c' WHERE id = 1",
          "DELETE FROM items WHERE id = 2",
          "INSERT INTO items VALUES (4, 'd')",
          "UPDATE items SET v = 'e' WHERE id = 4");
      for (int delivery = 1; delivery <= 2; delivery++) { // at-least-once: all of it again
        writer.insert("items", row(1, "a"));
        writer.insert("items", row(2, "b"));
        writer.update("items", row(1, "a"), row(3, "c"));
        writer.delete("items", row(2, "b"));
        writer.insert("items", row(4, "d"));
        writer.update("items", Map.of("id", 4), Map.of("v", "e")); // binlog_row_image=MINIMAL
        ReplicaCheck.assertEqual(c, "items", "items_copy");
      }
      writer.update("items", row(9, "x"), row(9, "y")); // missing row: upserted
      assertEquals(3, db.count("items_copy"));
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void tablesWithoutKey_compareAsMultisets(SandboxServer server) throws SQLException {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute(
          "CREATE TABLE log (v VARCHAR(10), n INT)",
          "INSERT INTO log VALUES ('a', 1), ('a', 1), ('b', NULL)");
      ReplicaWriter writer = ReplicaWriter.create(c, "log");
      copyRows(c, "log", writer);
      ReplicaCheck.assertEqual(c, "log", "log_replica");

      writer.delete("log", Map.of("v", "a", "n", 1)); // deletes one of the two
      ReplicaCheck.Diff diff = ReplicaCheck.compare(c, "log", "log_replica");
      assertEquals(1, diff.differingRows(), diff.toString());
      assertEquals(2, diff.replicaRows());
      assertTrue(diff.toString().contains("(missing)"), diff.toString());
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void differentColumns_orTimeout_fail(SandboxServer server) throws SQLException {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE a (id INT PRIMARY KEY)",
          "CREATE TABLE b (id INT PRIMARY KEY)",
          "INSERT INTO a VALUES (1)");
      AssertionError timeout =
          assertThrows(
              AssertionError.class,
              () -> ReplicaCheck.awaitEqual(db, "a", "b", Duration.ofMillis(300)));
      assertTrue(timeout.getMessage().contains("key id=1"), timeout.getMessage());

      db.execute("INSERT INTO b VALUES (1)");
      ReplicaCheck.awaitEqual(db, "a", "b", Duration.ofSeconds(5));

      db.execute("ALTER TABLE b ADD COLUMN extra INT");
      AssertionError columns =
          assertThrows(AssertionError.class, () -> ReplicaCheck.assertEqual(db, "a", "b"));
      assertTrue(columns.getMessage().contains("columns differ"), columns.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void floats_differingBeyondSixDigits_areReported(SandboxServer server) throws SQLException {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE a (id INT PRIMARY KEY, f FLOAT)",
          "CREATE TABLE b LIKE a",
          "INSERT INTO a VALUES (1, 1.0000001)",
          "INSERT INTO b VALUES (1, 1.0000002)");
      AssertionError e =
          assertThrows(AssertionError.class, () -> ReplicaCheck.assertEqual(db, "a", "b"));
      assertTrue(e.getMessage().contains("f=1.0000001192092896"), e.getMessage());
    }
  }

  /** Reads rows through plain JDBC and hands them to the writer, as a test's handler would. */
  private static void copyRows(Connection c, String table, ReplicaWriter writer)
      throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = rows.getMetaData();
      while (rows.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rows.getObject(i));
        }
        writer.insert(table, row);
      }
    }
  }

  private static Map<String, Object> row(int id, String v) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("v", v);
    return row;
  }
}
