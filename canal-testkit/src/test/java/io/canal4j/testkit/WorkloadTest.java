package io.canal4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadTest {

  @Test
  void sameSeed_givesSameCountsAndRows_otherSeedDiffers() throws SQLException {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    try (TestDatabase first = server.createDatabase();
        TestDatabase second = server.createDatabase();
        TestDatabase third = server.createDatabase()) {
      Workload a = Workload.builder(first).seed(42).build();
      Workload b = Workload.builder(second).seed(42).build();
      Workload c = Workload.builder(third).seed(43).build();
      a.runTransactions(60);
      b.runTransactions(60);
      c.runTransactions(60);

      assertEquals(a.counts(), b.counts());
      assertEquals(60, a.counts().transactions());
      assertNotEquals(a.counts(), c.counts());
      try (Connection connection = server.connect()) {
        for (String table : Workload.DEFAULT_TABLES) {
          ReplicaCheck.assertEqual(
              connection, first.name() + "." + table, second.name() + "." + table);
        }
      }
      long rows = first.count("workload_a") + first.count("workload_b");
      assertEquals(a.counts().inserted() - a.counts().deleted(), rows);
      a.close();
      b.close();
      c.close();
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void backgroundRun_stopsWithConsistentCounts(SandboxServer server) throws SQLException {
    try (TestDatabase db = server.createDatabase();
        Workload workload =
            Workload.builder(db).tables("orders").statementsPerTransaction(2, 4).build()) {
      workload.start();
      assertNull(
          Poll.until(
              Duration.ofSeconds(30),
              Duration.ofMillis(20),
              () -> workload.counts().transactions() >= 20));
      workload.stop();
      assertFalse(workload.isRunning());
      Workload.Counts counts = workload.counts();
      assertEquals(counts.inserted() - counts.deleted(), db.count("orders"));
      assertTrue(counts.rowChanges() >= 2 * counts.transactions());
      workload.runTransactions(1); // continues where the background run stopped
      assertEquals(counts.transactions() + 1, workload.counts().transactions());
    }
  }

  @Test
  void faultMode_changesKeysAltersTables_ridesOutAServerKill_andEndsInTheStandardShape()
      throws Exception {
    try (SandboxServer server = Servers.dedicated(ServerFlavor.MARIADB)) {
      server.execute("CREATE DATABASE faults");
      Workload workload =
          Workload.builder(server, "faults")
              .seed(7)
              .mix(10, 0, 0)
              .keyUpdates(10)
              .ddlEvery(25)
              .surviveOutages(Duration.ofSeconds(60))
              .build()
              .start();
      assertNull(
          Poll.until(
              Duration.ofSeconds(30),
              Duration.ofMillis(20),
              () -> workload.ddlStatements() >= 2 && workload.counts().transactions() >= 60));
      server.kill();
      server.start(); // same data directory and port
      long before = workload.counts().transactions();
      assertNull(
          Poll.until(
              Duration.ofSeconds(60),
              Duration.ofMillis(20),
              () -> workload.counts().transactions() >= before + 60));
      workload.stop(); // no failure: the outage was ridden out
      assertEquals(1, workload.outages());
      try (Connection c = server.connect()) {
        for (String table : Workload.DEFAULT_TABLES) {
          assertEquals(
              "0",
              Servers.query(
                  c,
                  "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'faults'"
                      + " AND TABLE_NAME = '"
                      + table
                      + "' AND COLUMN_NAME = 'extra'"),
              "the column the DDL added is dropped at stop: " + table);
          // Inserts take the next id; a key update moves a row to a new one, so with only these
          // two operations some ids below the highest are missing.
          long rows = Long.parseLong(Servers.query(c, "SELECT COUNT(*) FROM faults." + table));
          long highest = Long.parseLong(Servers.query(c, "SELECT MAX(id) FROM faults." + table));
          assertTrue(highest > rows, table + ": " + rows + " rows up to id " + highest);
        }
      }
    }
  }

  @Test
  void backgroundFailure_isRethrownByStop_withSeed() throws SQLException {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    try (TestDatabase db = server.createDatabase()) {
      Workload workload =
          Workload.builder(db).seed(7).tables("missing").createTables(false).build();
      workload.start();
      assertNull(
          Poll.until(Duration.ofSeconds(30), Duration.ofMillis(20), () -> !workload.isRunning()));
      IllegalStateException e = assertThrows(IllegalStateException.class, workload::stop);
      assertTrue(e.getMessage().contains("canal4j.test.seed=7"), e.getMessage());
      assertTrue(e.getCause() instanceof SQLException);
      assertThrows(
          SQLException.class,
          () ->
              Workload.builder(db)
                  .seed(7)
                  .tables("missing")
                  .createTables(false)
                  .build()
                  .runTransactions(1));
    }
  }

  @Test
  void builder_rejectsBadSettings() {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    assertThrows(IllegalStateException.class, () -> Workload.builder(server, "x").seed(1).seed(2));
    assertThrows(
        IllegalArgumentException.class, () -> Workload.builder(server, "x").tables("a", "a"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Workload.builder(server, "x").statementsPerTransaction(3, 2));
    assertThrows(IllegalArgumentException.class, () -> Workload.builder(server, "x").mix(0, 0, 0));
  }
}
