package io.canal4j.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.Canal;
import io.canal4j.PositionStore;
import io.canal4j.elasticsearch.testing.Await;
import io.canal4j.elasticsearch.testing.FaultyProxy;
import io.canal4j.elasticsearch.testing.IndexCheck;
import io.canal4j.elasticsearch.testing.SearchNode;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.SandboxServers;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import io.canal4j.testkit.Workload;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The indexer against a real OpenSearch node and a real server, end to end. */
class IndexerTest {
  static Stream<SandboxServer> servers() {
    return SandboxServers.both();
  }

  static Canal.Builder canal(SandboxServer server, TestDatabase db, String name) {
    return Canal.builder()
        .name(name)
        .host(server.host())
        .port(server.port())
        .user(server.user())
        .password(server.password())
        .include(Pattern.quote(db.name()) + "\\..*");
  }

  static String index(TestDatabase db, String table) {
    return db.name().toLowerCase(Locale.ROOT) + "-" + table;
  }

  static List<String> differences(
      Connection c, TestDatabase db, SearchNode node, List<String> tables) throws Exception {
    List<String> all = new ArrayList<>();
    for (String t : tables) {
      for (String d : IndexCheck.differences(c, db.name(), t, "id", node, index(db, t))) {
        all.add(t + ": " + d);
      }
    }
    return all;
  }

  @ParameterizedTest
  @MethodSource("servers")
  void snapshotThenStream_underWritesWithKeyChangesAndDdl_indexEqualsTables(
      SandboxServer server, @TempDir Path dir) throws Exception {
    SearchNode node = SearchNode.shared();
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect();
        Workload writes =
            Workload.builder(db)
                .keyUpdates(10)
                .ddlEvery(40)
                .transactionsPerSecond(150) // a few seconds: during the snapshot and after it
                .build()) {
      writes.runTransactions(300); // rows for the snapshot
      AtomicLong afterSnapshot = new AtomicLong(-1);
      ElasticsearchIndexer indexer =
          ElasticsearchIndexer.builder()
              .endpoint(node.url())
              .index(Pattern.quote(db.name()) + "\\..*", "{db}-{table}")
              .bulkActions(50)
              .flushInterval(Duration.ofMillis(100))
              .build();
      try (indexer;
          Canal canal =
              canal(server, db, "es-e2e")
                  .positionStore(PositionStore.file(dir.resolve("es.pos")))
                  .snapshotChunkRows(100)
                  .snapshotProgress(
                      p -> {
                        if (p.done()) {
                          afterSnapshot.compareAndSet(-1, writes.counts().transactions());
                        }
                      })
                  .handler(indexer)
                  .manualCommit()
                  .build()) {
        canal.start();
        writes.start();
        // Deletes must reach the stream, not only the snapshot: a server slow to take its
        // snapshot point would otherwise see the whole workload as snapshot rows.
        Await.until(
            "the snapshot, then 300 more transactions",
            Duration.ofSeconds(90),
            () ->
                afterSnapshot.get() >= 0
                    && writes.counts().transactions() >= afterSnapshot.get() + 300);
        writes.stop();
        Await.noDifferences(
            "index vs tables",
            Duration.ofSeconds(60),
            () -> differences(c, db, node, writes.tables()));
        IndexerStats stats = indexer.stats();
        assertTrue(writes.ddlStatements() > 0, "the workload altered its tables");
        assertTrue(stats.deleted() > 0, "deletes reached the index: " + stats);
        assertEquals(0, stats.deadLettered(), stats.toString());
      }
    }
  }

  @Test
  void clusterAnswers429And503ForAWhile_onlyFailedItemsAreSentAgain_nothingLost(@TempDir Path dir)
      throws Exception {
    SearchNode node = SearchNode.shared();
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect();
        FaultyProxy proxy = new FaultyProxy(node.url());
        Workload writes = Workload.builder(db).keyUpdates(10).transactionsPerSecond(150).build()) {
      writes.runTransactions(300);
      proxy.answer(503, 3).rejectItems(3, 10).answer(429, 3).rejectItems(2, 5);
      ElasticsearchIndexer indexer =
          ElasticsearchIndexer.builder()
              .endpoint(proxy.url())
              .index(Pattern.quote(db.name()) + "\\..*", "{db}-{table}")
              .bulkActions(40)
              .flushInterval(Duration.ofMillis(100))
              .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
              .build();
      try (indexer;
          Canal canal =
              canal(server, db, "es-throttled")
                  .positionStore(PositionStore.file(dir.resolve("es.pos")))
                  .handler(indexer)
                  .manualCommit()
                  .build()) {
        canal.start();
        writes.start();
        Await.until(
            "the workload's 900th transaction and every fault used",
            Duration.ofSeconds(60),
            () -> writes.counts().transactions() >= 900 && proxy.faultsLeft() == 0);
        writes.stop();
        Await.noDifferences(
            "index vs tables",
            Duration.ofSeconds(60),
            () -> differences(c, db, node, writes.tables()));
        IndexerStats stats = indexer.stats();
        assertEquals(6, proxy.requestsRejected());
        assertTrue(proxy.itemsRejected() > 0, "items rejected");
        assertEquals(proxy.itemsRejected(), stats.retried(), stats.toString());
        assertEquals(0, stats.deadLettered(), stats.toString());
      }
    }
  }
}
