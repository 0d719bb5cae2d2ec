package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 10,000 row changes in multi-statement transactions over three tables, one excluded: the handler
 * sees exactly the included changes, in commit order, with the right names, values and classes, and
 * one onXid per commit, including commits that touched only the excluded table.
 */
class StreamingTest {
  private static final int TARGET_CHANGES = 10_000;
  private static final DateTimeFormatter DATETIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  /** What the test wrote, as the handler should see it. */
  record Expected(
      String table, RowAction action, Map<String, Object> before, Map<String, Object> after) {}

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void includedChanges_arriveInCommitOrder_withNamesValuesAndTypes(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      String d = db.name();
      db.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(64) NOT NULL,"
              + " amount DECIMAL(10,2), created DATETIME(6), flags TINYINT UNSIGNED)",
          "CREATE TABLE items (order_id INT NOT NULL, line SMALLINT NOT NULL, sku VARCHAR(32),"
              + " qty INT, PRIMARY KEY (order_id, line))",
          "CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(100))");
      RecordingHandler handler = new RecordingHandler();
      try (Canal canal =
          CanalTesting.canalFor(server, "streaming")
              .include(d + "\\..*")
              .exclude(d + "\\.audit")
              .handler(handler)
              .build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        int xidsBefore = handler.xids.size();

        List<Expected> expected = new ArrayList<>();
        int commits = writeWorkload(db, d, expected);
        await(
            commits + " commits",
            Duration.ofSeconds(120),
            () -> handler.xids.size() - xidsBefore >= commits);

        assertEquals(commits, handler.xids.size() - xidsBefore, "one onXid per commit");
        List<Expected> actual = new ArrayList<>();
        Set<String> classes = new HashSet<>();
        for (RowsEvent e : handler.rows) {
          assertTrue(e.tableId().database().equals(d), "only this test's database: " + e);
          assertTrue(!e.tableId().table().equals("audit"), "excluded table delivered: " + e);
          for (RowChange c : e.changes()) {
            actual.add(
                new Expected(
                    e.tableId().table(),
                    e.action(),
                    c.before() == null ? null : c.before().toMap(),
                    c.after() == null ? null : c.after().toMap()));
            Row r = c.latest();
            r.toMap()
                .values()
                .forEach(v -> classes.add(v == null ? "null" : v.getClass().getSimpleName()));
          }
        }
        assertEquals(expected.size(), actual.size(), "number of included row changes");
        for (int i = 0; i < expected.size(); i++) {
          assertEquals(expected.get(i), actual.get(i), "change #" + i);
        }
        assertTrue(expected.size() >= TARGET_CHANGES, "wrote " + expected.size());
        assertTrue(
            handler.threads.stream().allMatch(t -> t.equals("canal-streaming")),
            "handler runs on the canal's thread");
        // Row indexes within a transaction count 0, 1, 2, ...
        Map<TransactionId, Integer> next = new LinkedHashMap<>();
        for (RowsEvent e : handler.rows) {
          for (RowChange c : e.changes()) {
            int want = next.getOrDefault(e.transaction(), 0);
            assertEquals(want, c.index(), "row index in " + e.transaction());
            next.put(e.transaction(), want + 1);
          }
        }
        // Transactions are identified by GTID on both servers (MariaDB always; MySQL sandbox has
        // gtid_mode=ON).
        assertTrue(
            handler.xids.stream().skip(xidsBefore).allMatch(x -> x.transaction().gtid() != null));
        assertNull(canal.termination().getNow(null));
      }
    }
  }

  /**
   * Row and commit positions are where the server wrote the events, as its own SHOW BINLOG EVENTS
   * says, also on MariaDB 11.4+, which writes end_log_pos 0 for the events of a transaction.
   */
  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void rowAndCommitPositions_areWhereTheServerWroteTheEvents(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      String d = db.name();
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
      RecordingHandler handler = new RecordingHandler();
      try (Canal canal =
          CanalTesting.canalFor(server, "positions").include(d + "\\.t").handler(handler).build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        int xidsBefore = handler.xids.size();
        String[] start = CanalTesting.masterStatus(server);
        try (Connection c = db.connect();
            Statement st = c.createStatement()) {
          c.setAutoCommit(false);
          for (int tx = 0; tx < 3; tx++) {
            for (int i = 0; i < 3; i++) {
              st.executeUpdate("INSERT INTO t VALUES (" + (tx * 10 + i) + ", 'x')");
            }
            c.commit();
          }
        }
        await("3 commits", Duration.ofSeconds(30), () -> handler.xids.size() - xidsBefore >= 3);
        Set<String> rowsEvents = new HashSet<>();
        Set<String> commitEnds = new HashSet<>();
        Set<String> files = new HashSet<>();
        handler.rows.forEach(e -> files.add(e.position().file()));
        for (String file : files) {
          String from = file.equals(start[0]) ? start[1] : "4";
          try (Connection c = server.connect();
              Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + file + "' FROM " + from)) {
            while (rs.next()) {
              String type = rs.getString("Event_type");
              if (type.startsWith("Write_rows")) {
                rowsEvents.add(file + ":" + rs.getLong("Pos"));
              } else if (type.equals("Xid")) {
                commitEnds.add(file + ":" + rs.getLong("End_log_pos"));
              }
            }
          }
        }
        List<String> rows =
            handler.rows.stream()
                .map(e -> e.position().file() + ":" + e.position().offset())
                .toList();
        assertEquals(9, rows.size(), "one rows event per INSERT: " + rows);
        assertEquals(rowsEvents, new HashSet<>(rows), "rows events start where the server says");
        List<String> commits =
            handler.xids.stream()
                .skip(xidsBefore)
                .map(x -> x.position().file() + ":" + x.position().offset())
                .toList();
        assertEquals(commitEnds, new HashSet<>(commits), "commits end where the server says");
      }
    }
  }

  /** Writes transactions mixing the three tables; returns the number of commits. */
  private static int writeWorkload(TestDatabase db, String d, List<Expected> expected)
      throws SQLException {
    Random random = new Random(42);
    Map<Long, Map<String, Object>> orders = new LinkedHashMap<>();
    Map<String, Map<String, Object>> items = new LinkedHashMap<>();
    int commits = 0;
    long nextOrder = 1;
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      PreparedStatement insOrder =
          c.prepareStatement(
              "INSERT INTO "
                  + d
                  + ".orders (id, customer, amount, created, flags) VALUES (?,?,?,?,?)");
      PreparedStatement updOrder =
          c.prepareStatement("UPDATE " + d + ".orders SET amount = ?, flags = ? WHERE id = ?");
      PreparedStatement delOrder = c.prepareStatement("DELETE FROM " + d + ".orders WHERE id = ?");
      PreparedStatement insItem =
          c.prepareStatement(
              "INSERT INTO " + d + ".items (order_id, line, sku, qty) VALUES (?,?,?,?)");
      PreparedStatement insAudit =
          c.prepareStatement("INSERT INTO " + d + ".audit (note) VALUES (?)");
      while (expected.size() < TARGET_CHANGES) {
        int kind = random.nextInt(10);
        if (kind == 0) {
          // A transaction that touches only the excluded table.
          insAudit.setString(1, "audit " + commits);
          insAudit.executeUpdate();
        } else {
          int statements = 1 + random.nextInt(5);
          for (int s = 0; s < statements; s++) {
            int op = random.nextInt(10);
            if (op < 5 || orders.isEmpty()) {
              long id = nextOrder++;
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("id", id);
              row.put(
                  "customer", "customer-" + random.nextInt(1000) + (id % 7 == 0 ? " ☃ 😀" : ""));
              row.put("amount", BigDecimal.valueOf(random.nextInt(1_000_000), 2));
              row.put(
                  "created",
                  LocalDateTime.of(
                      2024,
                      1 + random.nextInt(12),
                      1 + random.nextInt(28),
                      random.nextInt(24),
                      random.nextInt(60),
                      random.nextInt(60),
                      random.nextInt(1_000_000) * 1000));
              row.put("flags", random.nextInt(256));
              if (id % 11 == 0) {
                row.put("amount", null);
              }
              insOrder.setLong(1, id);
              insOrder.setString(2, (String) row.get("customer"));
              insOrder.setBigDecimal(3, (BigDecimal) row.get("amount"));
              // As text: Connector/J truncates LocalDateTime fractions on MariaDB (which it takes
              // for 5.5.5 from the handshake).
              insOrder.setString(4, DATETIME.format((LocalDateTime) row.get("created")));
              insOrder.setInt(5, (Integer) row.get("flags"));
              insOrder.executeUpdate();
              orders.put(id, row);
              expected.add(new Expected("orders", RowAction.INSERT, null, copy((row))));
              int lines = random.nextInt(3);
              for (int l = 1; l <= lines; l++) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("order_id", (int) id);
                item.put("line", l);
                item.put("sku", "SKU-" + random.nextInt(100));
                item.put("qty", random.nextInt(100) - 50);
                insItem.setInt(1, (int) id);
                insItem.setInt(2, l);
                insItem.setString(3, (String) item.get("sku"));
                insItem.setInt(4, (Integer) item.get("qty"));
                insItem.executeUpdate();
                items.put(id + "/" + l, item);
                expected.add(new Expected("items", RowAction.INSERT, null, copy(item)));
              }
            } else if (op < 8) {
              Long id = pick(orders, random);
              Map<String, Object> before = orders.get(id);
              Map<String, Object> after = new LinkedHashMap<>(before);
              after.put("amount", BigDecimal.valueOf(-random.nextInt(1_000_000), 2));
              after.put("flags", 255 - random.nextInt(3));
              updOrder.setBigDecimal(1, (BigDecimal) after.get("amount"));
              updOrder.setInt(2, (Integer) after.get("flags"));
              updOrder.setLong(3, id);
              updOrder.executeUpdate();
              orders.put(id, after);
              expected.add(new Expected("orders", RowAction.UPDATE, copy((before)), copy((after))));
            } else {
              Long id = pick(orders, random);
              Map<String, Object> before = orders.remove(id);
              delOrder.setLong(1, id);
              delOrder.executeUpdate();
              expected.add(new Expected("orders", RowAction.DELETE, copy((before)), null));
            }
          }
          if (random.nextInt(4) == 0) {
            insAudit.setString(1, "mixed " + commits);
            insAudit.executeUpdate();
          }
        }
        c.commit();
        commits++;
      }
    }
    return commits;
  }

  private static Long pick(Map<Long, Map<String, Object>> orders, Random random) {
    int skip = random.nextInt(orders.size());
    return orders.keySet().stream().skip(skip).findFirst().orElseThrow();
  }

  /** A snapshot of a row map; null values (SQL NULL) are kept. */
  private static Map<String, Object> copy(Map<String, Object> row) {
    return new LinkedHashMap<>(row);
  }
}
