package io.canal4j.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.elasticsearch.testing.Await;
import io.canal4j.elasticsearch.testing.SearchNode;
import io.canal4j.testkit.ForkedJvm;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import io.canal4j.testkit.Workload;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer's process killed with SIGKILL mid-snapshot and mid-stream while writers keep writing
 * (with key changes and DDL), restarted from its position file each time: at the end the index
 * equals the tables. The search node lives on in this JVM, so the index holds exactly what was
 * applied before each kill, and the position file exactly what the indexer committed.
 */
@Disabled(
    "OPEN (issue 12): not yet passing reliably. Its first failures (1,010 rows without a document"
        + " on MariaDB) came from the test's reader, which returned at most 10,000 hits; with the"
        + " scroll reader one MariaDB run passed and one, overlapping another run at load 20, had"
        + " 2,571 rows without a document; on MySQL one run never finished its snapshot in 2 min."
        + " Run it by hand with -Dtest=IndexerCrashTest after removing this line")
class IndexerCrashTest {
  private static final Logger log = LoggerFactory.getLogger(IndexerCrashTest.class);
  private static final List<String> TABLES = List.of("crash_a", "crash_b");
  private static final int ROWS_PER_TABLE = 10_000;
  private static final int SNAPSHOT_KILLS = 2;

  static List<SandboxServer> servers() {
    return IndexerTest.servers().toList();
  }

  @ParameterizedTest
  @MethodSource("servers")
  void sigkillMidSnapshotAndMidStream_restartedEachTime_indexEqualsTables(
      SandboxServer server, @TempDir Path dir) throws Exception {
    long seed = Long.getLong("canal4j.test.seed", System.nanoTime());
    log.info("kill points seed={}", seed);
    Random random = new Random(seed);
    SearchNode node = SearchNode.shared();
    Path pos = dir.resolve("indexer.pos");
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      for (String t : TABLES) {
        prefill(c, t);
      }
      int midSnapshotKills = 0;
      try (Workload writes =
          Workload.builder(db)
              .tables(TABLES)
              .createTables(false)
              .keyUpdates(10)
              .ddlEvery(60)
              .transactionsPerSecond(100)
              .build()
              .start()) {
        for (int run = 0; run <= SNAPSHOT_KILLS + 1; run++) {
          try (ForkedJvm jvm = fork(server, db, pos, node, run)) {
            if (run < SNAPSHOT_KILLS) {
              long rows = 1_000 + random.nextInt(4_000);
              jvm.awaitLine(
                  l ->
                      l.equals("snapshot done")
                          || (l.startsWith("snapshot rows ")
                              && Long.parseLong(l.substring(14)) >= rows),
                  Duration.ofSeconds(90));
            } else if (run == SNAPSHOT_KILLS) {
              jvm.awaitLine("snapshot done", Duration.ofSeconds(120));
              jvm.awaitLine("commits " + (100 * (1 + random.nextInt(3))), Duration.ofSeconds(60));
            } else {
              jvm.awaitLine("commits 100", Duration.ofSeconds(120));
              writes.stop();
              Await.noDifferences(
                  "index vs tables after " + (SNAPSHOT_KILLS + 1) + " kills",
                  Duration.ofSeconds(90),
                  () -> IndexerTest.differences(c, db, node, TABLES));
            }
            boolean snapshotDone = jvm.lines().contains("snapshot done");
            assertTrue(jvm.kill() != 0, "killed with SIGKILL");
            if (run < SNAPSHOT_KILLS && !snapshotDone) {
              midSnapshotKills++;
            }
          }
        }
        assertTrue(writes.ddlStatements() > 0, "the writers altered the tables");
      }
      assertTrue(midSnapshotKills >= 1, "kills during the snapshot: " + midSnapshotKills);
    }
  }

  private static ForkedJvm fork(
      SandboxServer server, TestDatabase db, Path pos, SearchNode node, int run) throws Exception {
    return ForkedJvm.builder(IndexerCrashMain.class)
        .name("es-crash-" + server.flavor() + "-" + run)
        .jvmOptions("-Xmx256m")
        .args(
            server.host(),
            String.valueOf(server.port()),
            server.user(),
            server.password(),
            db.name(),
            pos.toString(),
            node.url())
        .start();
  }

  private static void prefill(Connection c, String table) throws Exception {
    Workload.createStandardTable(c, table);
    try (Statement s = c.createStatement()) {
      for (int from = 1; from <= ROWS_PER_TABLE; from += 1000) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = from; i < from + 1000 && i <= ROWS_PER_TABLE; i++) {
          sql.append(i == from ? "" : ", ")
              .append('(')
              .append(i * 3L)
              .append(", ")
              .append(i % 97)
              .append(", 'row ")
              .append(i)
              .append(" é€😀', ")
              .append(BigDecimal.valueOf(i, 2))
              .append(", '2024-02-29 12:34:56.789012')");
        }
        s.execute(sql.toString());
      }
    }
  }
}
