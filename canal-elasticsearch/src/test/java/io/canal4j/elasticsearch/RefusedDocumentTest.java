package io.canal4j.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.Canal;
import io.canal4j.CanalState;
import io.canal4j.Checkpoint;
import io.canal4j.PositionStore;
import io.canal4j.elasticsearch.testing.Await;
import io.canal4j.elasticsearch.testing.SearchNode;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.SandboxServers;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents the cluster refuses, and tables the indexer cannot key: never dropped silently. */
class RefusedDocumentTest {
  private static final String INTEGER_V =
      "{\"mappings\":{\"properties\":{\"v\":{\"type\":\"integer\"}}}}";

  private static SandboxServer server() {
    return SandboxServers.shared(ServerFlavor.MARIADB);
  }

  private static String causes(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" | ");
    }
    return sb.toString();
  }

  @Test
  void mappingError_stopsTheCanal_namingDocumentTablePositionAndFix(@TempDir Path dir)
      throws Exception {
    SearchNode node = SearchNode.shared();
    try (TestDatabase db = server().createDatabase()) {
      node.call("PUT", "/" + IndexerTest.index(db, "t"), INTEGER_V);
      db.execute(
          "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))",
          "INSERT INTO t VALUES (1, '12'), (2, 'not a number')");
      Path pos = dir.resolve("es.pos");
      try (ElasticsearchIndexer indexer = indexer(node, db, null);
          Canal canal =
              IndexerTest.canal(server(), db, "es-refused")
                  .positionStore(PositionStore.file(pos))
                  .handler(indexer)
                  .manualCommit()
                  .build()) {
        canal.start();
        ExecutionException e =
            assertThrows(
                ExecutionException.class, () -> canal.termination().get(60, TimeUnit.SECONDS));
        assertEquals(CanalState.FAILED, canal.state());
        String m = causes(e);
        assertTrue(m.contains("refused to index document 2 of table " + db.name() + ".t"), m);
        assertTrue(m.contains("mapper_parsing_exception"), m);
        assertTrue(m.contains("binlog position "), m);
        assertTrue(m.contains("Fix the index's mapping"), m);
        assertTrue(m.contains("deadLetters(...)"), m);
      }
      // Nothing saved says the snapshot is done: a restart reads it again.
      Optional<Checkpoint> saved = PositionStore.file(pos).load();
      assertTrue(
          saved.isEmpty() || saved.get().snapshotProgress() != null,
          "saved after the refusal: " + saved);
    }
  }

  @Test
  void deadLetterSink_takesTheRefusedDocument_andTheCanalGoesOn() throws Exception {
    SearchNode node = SearchNode.shared();
    try (TestDatabase db = server().createDatabase()) {
      String index = IndexerTest.index(db, "t");
      node.call("PUT", "/" + index, INTEGER_V);
      db.execute(
          "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))",
          "INSERT INTO t VALUES (1, '12'), (2, 'not a number')");
      List<FailedDocument> dead = new CopyOnWriteArrayList<>();
      try (ElasticsearchIndexer indexer = indexer(node, db, dead::add);
          Canal canal =
              IndexerTest.canal(server(), db, "es-dead").handler(indexer).manualCommit().build()) {
        canal.start();
        Await.until("the dead letter", Duration.ofSeconds(30), () -> dead.size() == 1);
        db.execute("INSERT INTO t VALUES (3, '7')", "UPDATE t SET v = 'x' WHERE id = 1");
        Await.until(
            "document 3",
            Duration.ofSeconds(30),
            () -> node.documents(index).containsKey("3") && dead.size() == 2);
        assertEquals(CanalState.RUNNING, canal.state());
        FailedDocument d = dead.get(0);
        assertEquals("2", d.id());
        assertEquals(db.name(), d.table().database());
        assertEquals(400, d.status());
        assertTrue(d.reason().startsWith("mapper_parsing_exception"), d.reason());
        assertTrue(d.source().contains("\"not a number\""), d.source());
        assertEquals("1", dead.get(1).id()); // the update to 'x'
        assertEquals(2, indexer.stats().deadLettered());
        assertEquals("12", String.valueOf(node.documents(index).get("1").get("v")));
      }
    }
  }

  @Test
  void tableWithoutPrimaryKey_isRefusedNamingTheFix_andIdColumnsServeInstead() throws Exception {
    SearchNode node = SearchNode.shared();
    try (TestDatabase db = server().createDatabase()) {
      db.execute(
          "CREATE TABLE nokey (code VARCHAR(10) NOT NULL, v INT, UNIQUE KEY (code))",
          "INSERT INTO nokey VALUES ('a', 1)");
      try (ElasticsearchIndexer indexer = indexer(node, db, null);
          Canal canal =
              IndexerTest.canal(server(), db, "es-nokey").handler(indexer).manualCommit().build()) {
        canal.start();
        ExecutionException e =
            assertThrows(
                ExecutionException.class, () -> canal.termination().get(60, TimeUnit.SECONDS));
        String m = causes(e);
        assertTrue(m.contains("table " + db.name() + ".nokey has no primary key"), m);
        assertTrue(m.contains("IndexMapping.id(...)"), m);
      }
      String index = IndexerTest.index(db, "nokey");
      try (ElasticsearchIndexer indexer =
              ElasticsearchIndexer.builder()
                  .endpoint(node.url())
                  .index(
                      Pattern.quote(db.name()) + "\\..*",
                      IndexMapping.to("{db}-{table}").id("code"))
                  .flushInterval(Duration.ofMillis(50))
                  .build();
          Canal canal =
              IndexerTest.canal(server(), db, "es-idcol").handler(indexer).manualCommit().build()) {
        canal.start();
        Await.until(
            "document a", Duration.ofSeconds(30), () -> node.documents(index).containsKey("a"));
      }
    }
  }

  private static ElasticsearchIndexer indexer(
      SearchNode node, TestDatabase db, DeadLetterSink sink) {
    ElasticsearchIndexer.Builder b =
        ElasticsearchIndexer.builder()
            .endpoint(node.url())
            .index(Pattern.quote(db.name()) + "\\..*", "{db}-{table}")
            .flushInterval(Duration.ofMillis(50));
    if (sink != null) {
      b.deadLetters(sink);
    }
    return b.build();
  }
}
