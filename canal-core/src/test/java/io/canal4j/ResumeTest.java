package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Position;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.ReplicaApplier;
import io.canal4j.testkit.ForkedJvm;
import io.canal4j.testkit.ReplicaCheck;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import io.canal4j.testkit.Workload;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stop and crash a canal while writers keep writing; after every restart it resumes from its saved
 * position, replays only the transactions after it, and the replica converges to the source.
 */
class ResumeTest {
  private static final Logger log = LoggerFactory.getLogger(ResumeTest.class);
  private static final String[] TABLES = {"workload_a", "workload_b"};

  private static Canal.Builder canal(SandboxServer server, TestDatabase db, String name, Path pos) {
    return CanalTesting.canalFor(server, name)
        .include(db.name() + "\\.workload_.*")
        .exclude(db.name() + "\\..*_replica")
        .positionStore(PositionStore.file(pos))
        .savePolicy(SavePolicy.periodic(Duration.ofMillis(20)));
  }

  /** Runs a canal until it has applied everything written so far, then checks the replicas. */
  static void catchUpAndCheck(SandboxServer server, TestDatabase db, Path pos) throws Exception {
    try (Connection c = db.connect()) {
      ReplicaApplier applier = new ReplicaApplier(c, TABLES);
      Position target = CanalTesting.currentPosition(server);
      try (Canal canal = canal(server, db, "catchup", pos).handler(applier).build()) {
        canal.start();
        await(
            "catching up to " + target,
            Duration.ofSeconds(60),
            () -> canal.position() != null && canal.position().compareTo(target) >= 0);
      }
      for (String t : TABLES) {
        ReplicaCheck.assertEqual(db, t, applier.writer.replicaTable(t));
      }
    }
  }

  /**
   * Creates the workload tables and saves the server's current position before any row is written:
   * without a snapshot (a later issue), a new canal streams only what comes after its start.
   */
  private static void prepare(SandboxServer server, TestDatabase db, Path pos) throws Exception {
    try (Connection c = db.connect()) {
      for (String t : TABLES) {
        Workload.createStandardTable(c, t);
      }
      new ReplicaApplier(c, TABLES); // creates the replica tables
    }
    try (Canal canal = canal(server, db, "init", pos).handler(new EventHandler() {}).build()) {
      canal.start();
      await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
      assertTrue(
          PositionStore.file(pos).load().isPresent(),
          "a new canal saves its start position at once");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void stopAtRandomPoints_resumesAfterSavedPosition_andReplicaConverges(
      SandboxServer server, @TempDir Path dir) throws Exception {
    Path pos = dir.resolve("canal.pos");
    long seed = Long.getLong("canal4j.test.seed", System.nanoTime());
    log.info("stop points seed={}", seed);
    Random random = new Random(seed);
    try (TestDatabase db = server.createDatabase();
        Workload workload =
            Workload.builder(db)
                .seed(seed)
                .tables(TABLES)
                .createTables(false)
                .statementsPerTransaction(2, 6)
                .build()) {
      prepare(server, db, pos);
      workload.start();
      List<List<TransactionId>> runs = new ArrayList<>();
      List<Position> savedAfter = new ArrayList<>();
      int partialReplays = 0;
      try (Connection c = db.connect()) {
        ReplicaApplier applier = null;
        for (int run = 0; run < 6; run++) {
          int stopAfterRows = 20 + random.nextInt(300);
          Canal[] self = new Canal[1];
          applier =
              new ReplicaApplier(c, TABLES) {
                @Override
                public void onRow(RowsEvent event) throws Exception {
                  super.onRow(event);
                  if (rowsApplied >= stopAfterRows) {
                    self[0].close(); // from the handler: stops after this event, mid-transaction
                  }
                }
              };
          Canal canal = canal(server, db, "resume" + run, pos).handler(applier).build();
          self[0] = canal;
          canal.start();
          canal.termination().get(60, TimeUnit.SECONDS);
          assertEquals(CanalState.STOPPED, canal.state());
          runs.add(List.copyOf(applier.transactions));
          savedAfter.add(PositionStore.file(pos).load().orElseThrow().position());
          if (run > 0) {
            TransactionId first = runs.get(run).get(0);
            Position saved = savedAfter.get(run - 1);
            assertEquals(saved.file(), first.begin().file(), "run " + run);
            assertEquals(
                saved.offset(),
                first.begin().offset(),
                "run " + run + ": the first transaction delivered starts at the saved position");
            List<TransactionId> previous = runs.get(run - 1);
            if (first.equals(previous.get(previous.size() - 1))) {
              partialReplays++;
            }
          }
        }
      }
      workload.stop();
      assertTrue(partialReplays > 0, "some stop fell mid-transaction and was replayed");
      catchUpAndCheck(server, db, pos);
      assertTrue(workload.counts().transactions() > 0);
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void killMinus9_ofForkedCanal_whileWritersWrite_replicaConverges(
      SandboxServer server, @TempDir Path dir) throws Exception {
    Path pos = dir.resolve("forked.pos");
    try (TestDatabase db = server.createDatabase();
        Workload workload =
            Workload.builder(db)
                .tables(TABLES)
                .createTables(false)
                .statementsPerTransaction(1, 5)
                .build()) {
      prepare(server, db, pos);
      workload.start();
      Random random = new Random();
      for (int crash = 0; crash < 3; crash++) {
        try (ForkedJvm jvm =
            CanalTesting.forkCanal(server, db.name(), pos, "forked-canal-" + crash)) {
          int progress = 50 + random.nextInt(400);
          jvm.awaitLine("applied " + progress, Duration.ofSeconds(60));
          assertTrue(jvm.kill() != 0, "killed with SIGKILL");
        }
      }
      workload.stop();
      catchUpAndCheck(server, db, pos);
    }
  }
}
