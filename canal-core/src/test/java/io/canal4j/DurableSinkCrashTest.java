package io.canal4j;

import static io.canal4j.testing.ForkedOutput.appliedAfter;
import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.DurableSinkMain;
import io.canal4j.testing.ReplicaApplier;
import io.canal4j.testkit.ForkedJvm;
import io.canal4j.testkit.ReplicaCheck;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.SandboxServers;
import io.canal4j.testkit.TestDatabase;
import io.canal4j.testkit.Workload;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durability promise, tested as a crash would break it: a sink that keeps only what it made
 * durable ({@link DurableSinkMain}: flushed at save points, or committed under manual commit), in a
 * forked JVM SIGKILLed several times during the snapshot and once while streaming, with writers
 * changing the tables throughout. The replica, rebuilt from what the sink made durable plus a
 * catch-up from the last checkpoint, equals the source. A checkpoint that marked a snapshot chunk
 * done before the sink made its rows durable shows here as rows missing from the replica.
 */
class DurableSinkCrashTest {
  private static final Logger log = LoggerFactory.getLogger(DurableSinkCrashTest.class);
  private static final String[] TABLES = {"workload_a", "workload_b"};
  private static final int ROWS_PER_TABLE = 12_000;

  /**
   * Kills during the snapshot, each after 2,000 to 8,000 of this run's rows: two of them cannot
   * reach the end of 24,000, so both land mid-snapshot (a third was dropped to keep the build under
   * its time limit: the lock-free cases spent 20-30 s on it).
   */
  private static final int SNAPSHOT_KILLS = 2;

  /**
   * The writers' rate: a lock-free snapshot delivers a chunk once the stream has passed its
   * watermark, and this sink applies every change, so unthrottled writers would leave the stream
   * (and the snapshot) behind for minutes.
   */
  private static final int WRITES_PER_SECOND = 300;

  private static final Pattern POINT_RESUMED =
      Pattern.compile("resuming the snapshot: (\\d+) of (\\d+) chunks");
  private static final Pattern WATERMARK_RESUMED =
      Pattern.compile("the lock-free snapshot did not finish.* the (\\d+) of (\\d+) chunk");

  /**
   * Each of the six combinations of readers, method and commit mode on two of the three servers
   * (all six where fewer servers are configured): every server sees both methods and both commit
   * modes, and the build is spared a third of the suite's kills.
   */
  static Stream<Arguments> configurations() {
    List<SandboxServer> servers = SandboxServers.all().toList();
    List<Object[]> combinations = new ArrayList<>();
    for (String commit : List.of("AUTO", "MANUAL")) {
      combinations.add(new Object[] {1, SnapshotMethod.POINT, commit});
      combinations.add(new Object[] {4, SnapshotMethod.POINT, commit});
      combinations.add(new Object[] {2, SnapshotMethod.WATERMARKS, commit});
    }
    List<Arguments> chosen = new ArrayList<>();
    for (int s = 0; s < servers.size(); s++) {
      for (int k = 0; k < combinations.size(); k++) {
        boolean skipped = servers.size() == 3 && (k + k / 3) % 3 == s;
        if (!skipped) {
          Object[] c = combinations.get(k);
          chosen.add(Arguments.of(servers.get(s), c[0], c[1], c[2]));
        }
      }
    }
    return chosen.stream();
  }

  @ParameterizedTest(name = "{0}, {1} reader(s), {2}, {3} commit")
  @MethodSource("configurations")
  void sigkillDuringSnapshotAndStream_durableReplicaEqualsSource(
      SandboxServer server, int readers, SnapshotMethod method, String commit, @TempDir Path dir)
      throws Exception {
    long seed = Long.getLong("canal4j.test.seed", System.nanoTime());
    log.info("kill points seed={}", seed);
    Random random = new Random(seed);
    Path pos = dir.resolve("durable.pos");
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      for (String t : TABLES) {
        SnapshotTest.prefill(c, t, ROWS_PER_TABLE);
      }
      new ReplicaApplier(c, TABLES); // creates the replica tables
      int midSnapshotKills = 0;
      int chunksResumed = 0;
      try (Workload writers =
          Workload.builder(db)
              .tables(TABLES)
              .createTables(false)
              .transactionsPerSecond(WRITES_PER_SECOND)
              .build()
              .start()) {
        for (int run = 0; run <= SNAPSHOT_KILLS; run++) {
          String name = "durable-" + method + "-" + readers + "-" + commit + "-" + run;
          try (ForkedJvm jvm =
              ForkedJvm.builder(DurableSinkMain.class)
                  .name(name)
                  .outputFile(CanalTesting.forkedLog(name, server))
                  .args(
                      server.host(),
                      String.valueOf(server.port()),
                      server.user(),
                      server.password(),
                      db.name(),
                      pos.toString(),
                      String.valueOf(readers),
                      method.name(),
                      commit)
                  .start()) {
            if (run < SNAPSHOT_KILLS) {
              long rows = 2_000 + random.nextInt(6_000);
              jvm.awaitLine(
                  l ->
                      l.startsWith("snapshot done")
                          || (l.startsWith("snapshot rows ")
                              && Long.parseLong(l.substring(14)) >= rows),
                  Duration.ofSeconds(90));
              if (run == 0) {
                // The first kill waits for a checkpoint that covers chunks, so that a restart has
                // durable chunks to resume from (a 4-reader snapshot can deliver 2,000 rows before
                // it finishes one chunk of 1,000).
                await(
                    "a saved checkpoint covering a chunk (or the snapshot's end)",
                    Duration.ofSeconds(90),
                    () ->
                        CanalTesting.savedChunks(pos) >= 1
                            || jvm.lines().stream().anyMatch(l -> l.startsWith("snapshot done")));
              }
            } else {
              jvm.awaitLine("snapshot done", Duration.ofSeconds(120));
              jvm.awaitLine(appliedAfter("snapshot done"), Duration.ofSeconds(60));
            }
            boolean done = jvm.lines().stream().anyMatch(l -> l.startsWith("snapshot done"));
            assertTrue(jvm.kill() != 0, "killed with SIGKILL");
            if (!done) {
              midSnapshotKills++;
            }
            chunksResumed += resumedChunks(jvm.lines(), method);
          }
        }
        writers.stop();
      }
      assertTrue(midSnapshotKills >= 2, "kills during the snapshot: " + midSnapshotKills);
      assertTrue(
          chunksResumed > 0,
          "some restart resumed the snapshot with chunks the sink had made durable");
      catchUpAndCheck(server, db, pos);
    }
  }

  /** How many chunks a run's resume line says were durable before it (0 without one). */
  private static int resumedChunks(List<String> lines, SnapshotMethod method) {
    for (String line : lines) {
      Matcher m =
          (method == SnapshotMethod.POINT ? POINT_RESUMED : WATERMARK_RESUMED).matcher(line);
      if (m.find()) {
        int a = Integer.parseInt(m.group(1));
        int all = Integer.parseInt(m.group(2));
        return method == SnapshotMethod.POINT ? a : all - a;
      }
    }
    return 0;
  }

  /**
   * Resumes from the last checkpoint in this JVM with a sink that keeps everything (the snapshot's
   * chunks not yet durable, if any, then the stream) until it has delivered them and read what the
   * server wrote, then compares.
   */
  private static void catchUpAndCheck(SandboxServer server, TestDatabase db, Path pos)
      throws Exception {
    // Under manual commit the last chunks may not be acknowledged yet: the catch-up reads them.
    boolean snapshotLeft = PositionStore.file(pos).load().orElseThrow().snapshotProgress() != null;
    AtomicBoolean snapshotDone = new AtomicBoolean();
    try (Connection c = db.connect()) {
      ReplicaApplier applier = new ReplicaApplier(c, TABLES);
      List<String> failures = new ArrayList<>();
      try (Canal canal =
          CanalTesting.defaultsFor(server, "durable-catchup")
              .include(db.name() + "\\.workload_.*")
              .exclude(db.name() + "\\..*_replica")
              .snapshotChunkRows(1_000)
              .snapshotProgress(p -> snapshotDone.set(p.done()))
              .positionStore(PositionStore.file(pos))
              .handler(applier)
              .build()) {
        canal.start();
        if (snapshotLeft) {
          await("the snapshot's last chunks", Duration.ofSeconds(60), snapshotDone::get);
        }
        CanalTesting.awaitCaughtUp(canal, server);
        if (canal.state() != CanalState.RUNNING) {
          failures.add("catch-up canal is " + canal.state());
        }
      }
      assertTrue(failures.isEmpty(), failures.toString());
      for (String t : TABLES) {
        ReplicaCheck.assertEqual(db, t, applier.writer.replicaTable(t));
      }
    }
  }
}
