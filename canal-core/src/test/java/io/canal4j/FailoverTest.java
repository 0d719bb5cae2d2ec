package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.CanalException;
import io.canal4j.error.ServerException;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testing.ReplicaApplier;
import io.canal4j.testkit.MariaDbSandbox;
import io.canal4j.testkit.MySqlSandbox;
import io.canal4j.testkit.ReplicaCheck;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import io.canal4j.testkit.Workload;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A canal moved to a replica of its server resumes from its GTID set, without a new snapshot and
 * without losing a change; pointed at a replica that lacks transactions it already delivered, it
 * refuses to start, naming both GTID sets.
 */
class FailoverTest {
  private static final String[] TABLES = {"workload_a", "workload_b"};

  @ParameterizedTest
  @EnumSource(ServerFlavor.class)
  void movedToAReplica_resumesByGtid_withoutLossOrSnapshot_aReplicaBehindIsRefused(
      ServerFlavor flavor, @TempDir Path dir) throws Exception {
    try (SandboxServer source = sandbox(flavor, "failover-source", "1");
        SandboxServer replica = sandbox(flavor, "failover-replica", "2")) {
      replicate(replica, source);
      Path pos = dir.resolve("failover.pos");
      try (TestDatabase db = source.createDatabase();
          Connection c = db.connect()) {
        for (String t : TABLES) {
          SnapshotTest.prefill(c, t, 3_000);
        }
        AtomicLong snapshotRows = new AtomicLong();
        ReplicaApplier applier = counting(c, snapshotRows);
        try (Workload writers =
            Workload.builder(db)
                .tables(TABLES)
                .createTables(false)
                .transactionsPerSecond(200)
                .build()
                .start()) {
          AtomicBoolean done = new AtomicBoolean();
          try (Canal canal =
              canal(source, db, "on-source", pos)
                  .snapshotProgress(p -> done.set(p.done()))
                  .handler(applier)
                  .build()) {
            canal.start();
            await("the snapshot", Duration.ofSeconds(60), done::get);
            long after = applier.rowsApplied;
            await(
                "changes streamed", Duration.ofSeconds(30), () -> applier.rowsApplied > after + 50);
          }
          // The writers' deletes may have come before the snapshot point: at least the prefilled
          // rows less every delete so far were there to read.
          long deleted = writers.counts().deleted();
          assertTrue(
              snapshotRows.get() >= 6_000 - deleted,
              "the snapshot on the source: " + snapshotRows + " rows (" + deleted + " deleted)");
          // The source goes on writing while the canal moves.
          long before = writers.counts().transactions();
          await(
              "writes while the canal is down",
              Duration.ofSeconds(30),
              () -> writers.counts().transactions() > before + 100);
        }
        awaitReplicaCaughtUp(replica, source);

        snapshotRows.set(0);
        ReplicaApplier moved = counting(c, snapshotRows);
        try (Canal canal = canal(replica, db, "on-replica", pos).handler(moved).build()) {
          canal.start();
          CanalTesting.awaitCaughtUp(canal, replica);
          assertEquals(CanalState.RUNNING, canal.state());
        }
        assertEquals(0, snapshotRows.get(), "no new snapshot on the replica");
        assertTrue(moved.rowsApplied > 0, "the changes made while the canal moved");
        for (String t : TABLES) {
          ReplicaCheck.assertEqual(db, t, moved.writer.replicaTable(t));
        }

        // A replica that stopped replicating lacks what the canal delivers from the source now.
        replica.execute(flavor == ServerFlavor.MARIADB ? "STOP SLAVE" : "STOP REPLICA");
        db.execute("UPDATE workload_a SET k = k + 1 ORDER BY id LIMIT 10");
        try (Canal canal =
            canal(source, db, "back-on-source", pos).handler(counting(c, snapshotRows)).build()) {
          canal.start();
          CanalTesting.awaitCaughtUp(canal, source);
        }
        Checkpoint saved = PositionStore.file(pos).load().orElseThrow();
        CanalException e =
            CanalTesting.failureOf(
                canal(replica, db, "on-stale-replica", pos)
                    .handler(new RecordingHandler())
                    .build());
        assertInstanceOf(ServerException.class, e);
        assertTrue(
            e.getMessage().contains("has GTIDs " + saved.position().gtids()), e.getMessage());
        assertTrue(e.getMessage().contains("has not executed (it has "), e.getMessage());
        assertTrue(e.getMessage().contains("let the replica catch up first"), e.getMessage());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ServerFlavor.class)
  void movedToAReplicaWhoseOffsetsRunBehind_followsTheDdlAfterItsSeed(
      ServerFlavor flavor, @TempDir Path dir) throws Exception {
    try (SandboxServer source = sandbox(flavor, "ddl-source", "1");
        SandboxServer replica = sandbox(flavor, "ddl-replica", "2")) {
      replicate(replica, source);
      Path pos = dir.resolve("failover.pos");
      try (TestDatabase db = source.createDatabase()) {
        db.execute("CREATE TABLE workload_a (id INT PRIMARY KEY, a INT)");
        // The source's binlog files run ahead of the replica's (FLUSH BINARY LOGS is never
        // replicated), so every position on the replica sorts before the source's by file.
        source.execute("FLUSH BINARY LOGS", "FLUSH BINARY LOGS");
        RecordingHandler first = new RecordingHandler();
        try (Canal canal =
            canal(source, db, "seeded", pos)
                .snapshotMode(SnapshotMode.NEVER)
                .handler(first)
                .build()) {
          canal.start();
          await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
          db.execute("INSERT INTO workload_a VALUES (1, 1)");
          await("the insert", Duration.ofSeconds(30), () -> first.rowCount() == 1);
          CanalTesting.awaitCaughtUp(canal, source);
        }
        // The checkpoint's schema history still has its seed's horizon: no DDL came after it.
        db.execute(
            "ALTER TABLE workload_a ADD COLUMN b INT",
            "INSERT INTO workload_a VALUES (2, 2, 2)",
            "ALTER TABLE workload_a ADD COLUMN c INT",
            "INSERT INTO workload_a VALUES (3, 3, 3, 3)");
        awaitReplicaCaughtUp(replica, source);

        RecordingHandler moved = new RecordingHandler();
        try (Canal canal = canal(replica, db, "moved", pos).handler(moved).build()) {
          canal.start();
          await(
              "both inserts, or a failure",
              Duration.ofSeconds(30),
              () -> moved.rowCount() >= 2 || canal.state() == CanalState.FAILED);
          assertEquals(
              CanalState.RUNNING,
              canal.state(),
              () -> "the canal on the replica: " + canal.termination());
        }
        List<String> rows = new ArrayList<>();
        moved.rows.forEach(
            e -> e.changes().forEach(ch -> rows.add(String.valueOf(ch.after().toMap()))));
        assertEquals(
            List.of("{id=2, a=2, b=2}", "{id=3, a=3, b=3, c=3}"),
            rows,
            "each row in its table's version: the ALTERs after the seed were followed");
      }
    }
  }

  private static Canal.Builder canal(SandboxServer server, TestDatabase db, String name, Path pos) {
    return CanalTesting.defaultsFor(server, name)
        .include(db.name() + "\\.workload_[ab]")
        .snapshotChunkRows(1_000)
        .positionStore(PositionStore.file(pos))
        .savePolicy(SavePolicy.periodic(Duration.ofMillis(50)));
  }

  private static SandboxServer sandbox(ServerFlavor flavor, String name, String serverId) {
    return flavor == ServerFlavor.MARIADB
        ? MariaDbSandbox.builder()
            .name(name)
            .serverOption("server-id", serverId)
            .serverOption("log-slave-updates", "1")
            .start()
        : MySqlSandbox.builder().name(name).serverOption("server-id", serverId).start();
  }

  /**
   * Makes {@code replica} replicate {@code source} by GTID from its first transaction, retrying a
   * lost connection to the source every second (the fault suite kills the source now and then).
   */
  static void replicate(SandboxServer replica, SandboxServer source) throws SQLException {
    if (replica.flavor() == ServerFlavor.MARIADB) {
      replica.execute(
          "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT="
              + source.port()
              + ", MASTER_USER='"
              + source.user()
              + "', MASTER_PASSWORD='"
              + source.password()
              + "', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1,"
              // MariaDB 11.4 replicates over TLS and verifies the certificate by default; the
              // sandboxes' own is self-signed.
              + " MASTER_SSL_VERIFY_SERVER_CERT=0",
          "START SLAVE");
    } else {
      replica.execute(
          "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT="
              + source.port()
              + ", SOURCE_USER='"
              + source.user()
              + "', SOURCE_PASSWORD='"
              + source.password()
              + "', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=1",
          "START REPLICA");
    }
  }

  /** Waits until the replica has applied every transaction the source has written. */
  static void awaitReplicaCaughtUp(SandboxServer replica, SandboxServer source)
      throws SQLException {
    boolean maria = replica.flavor() == ServerFlavor.MARIADB;
    String gtids = single(source, maria ? "SELECT @@gtid_binlog_pos" : "SELECT @@gtid_executed");
    String wait =
        maria
            ? "SELECT MASTER_GTID_WAIT('" + gtids + "', 60)"
            : "SELECT WAIT_FOR_EXECUTED_GTID_SET('" + gtids + "', 60)";
    String waited = single(replica, wait);
    if (!"0".equals(waited)) {
      StringBuilder status = new StringBuilder();
      try (Connection c = replica.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(maria ? "SHOW SLAVE STATUS" : "SHOW REPLICA STATUS")) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i);
            if (name.contains("Running") || name.contains("Error") || name.contains("Gtid")) {
              status.append("\n  ").append(name).append(": ").append(rs.getString(i));
            }
          }
        }
      }
      throw new AssertionError(
          "the replica has not applied " + gtids + " within 60 s (" + waited + "):" + status);
    }
  }

  static String single(SandboxServer server, String sql) throws SQLException {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** A replica applier that counts the SNAPSHOT rows it is given. */
  private static ReplicaApplier counting(Connection c, AtomicLong snapshotRows)
      throws SQLException {
    return new ReplicaApplier(c, TABLES) {
      @Override
      public void onRow(RowsEvent event) throws Exception {
        if (event.action() == RowAction.SNAPSHOT) {
          snapshotRows.addAndGet(event.changes().size());
        }
        super.onRow(event);
      }
    };
  }
}
