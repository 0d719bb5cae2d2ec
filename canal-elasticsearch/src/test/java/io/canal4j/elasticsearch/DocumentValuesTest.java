package io.canal4j.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canal4j.Canal;
import io.canal4j.elasticsearch.testing.Await;
import io.canal4j.elasticsearch.testing.Json;
import io.canal4j.elasticsearch.testing.SearchNode;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each value type as a document field, written by hand from the README's rule (not by the indexer's
 * code): once from the snapshot, once from the binlog, on both servers.
 */
class DocumentValuesTest {
  private static final String TABLE =
      "CREATE TABLE typed (a INT, b VARCHAR(20), small_dec DECIMAL(10,2),"
          + " big_dec DECIMAL(30,10), f DOUBLE, u BIGINT UNSIGNED, dt DATETIME(6),"
          + " ts TIMESTAMP(3) NULL, d DATE, t TIME(6), bin VARBINARY(8), j JSON,"
          + " e ENUM('x','y'), flag BIT(1), yr YEAR, secret VARCHAR(10), PRIMARY KEY (a, b))";
  private static final String VALUES =
      " VALUES (%d, 'p|q\\\\r', 12345678.91, 12345678901234567890.0123456789, 0.5,"
          + " 18446744073709551615, '2024-02-29 23:59:59.123456', '2024-03-01 00:00:00.5',"
          + " '2024-02-29', '-838:59:59', 0x00FF10, '{\"k\": [1, 2], \"o\": {\"z\": null, \"s\": \"x\"}}', 'y', 1,"
          + " 2024, 'hide'),"
          + " (%d, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
          + " NULL, NULL)";
  // u as unsigned_long, so the cluster takes 2^64-1; the _source keeps the exact digits anyway.
  private static final String INDEX_MAPPING =
      "{\"mappings\":{\"properties\":{\"u\":{\"type\":\"unsigned_long\"}}}}";

  static List<SandboxServer> servers() {
    return IndexerTest.servers().toList();
  }

  @ParameterizedTest
  @MethodSource("servers")
  void everyType_snapshotAndBinlog_asTheReadmeSays(SandboxServer server) throws Exception {
    SearchNode node = SearchNode.shared();
    try (TestDatabase db = server.createDatabase()) {
      String index = IndexerTest.index(db, "typed");
      node.call("PUT", "/" + index, INDEX_MAPPING);
      db.execute(TABLE, "SET time_zone = '+00:00'", "INSERT INTO typed" + VALUES.formatted(1, 2));
      ElasticsearchIndexer indexer =
          ElasticsearchIndexer.builder()
              .endpoint(node.url())
              .index(
                  Pattern.quote(db.name()) + "\\.typed",
                  IndexMapping.to("{db}-typed").exclude("secret").rename("f", "ratio").json("j"))
              .flushInterval(Duration.ofMillis(50))
              .build();
      try (indexer;
          Canal canal =
              IndexerTest.canal(server, db, "es-values").handler(indexer).manualCommit().build()) {
        canal.start();
        Await.until(
            "the snapshot's two documents",
            Duration.ofSeconds(30),
            () -> node.documents(index).size() == 2);
        try (var c = db.connect();
            var s = c.createStatement()) {
          s.execute("SET time_zone = '+00:00'");
          s.execute("INSERT INTO typed" + VALUES.formatted(3, 4));
        }
        Await.until(
            "the binlog's two documents",
            Duration.ofSeconds(30),
            () -> node.documents(index).size() == 4);
      }
      Map<String, Map<String, Object>> docs = node.documents(index);
      for (int a : new int[] {1, 3}) {
        assertEquals(full(a), docs.get(a + "|p\\|q\\\\r"), "row " + a + " " + docs.keySet());
      }
      for (int a : new int[] {2, 4}) {
        assertEquals(nulls(a), docs.get(a + "|"), "row " + a + " " + docs.keySet());
      }
    }
  }

  private static Map<String, Object> full(int a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", new BigDecimal(a));
    m.put("b", "p|q\\r");
    m.put("small_dec", new BigDecimal("12345678.91"));
    m.put("big_dec", "12345678901234567890.0123456789");
    m.put("ratio", new BigDecimal("0.5"));
    m.put("u", new BigDecimal("18446744073709551615"));
    m.put("dt", "2024-02-29T23:59:59.123456");
    m.put("ts", "2024-03-01T00:00:00.500Z");
    m.put("d", "2024-02-29");
    m.put("t", "-838:59:59");
    m.put("bin", "AP8Q");
    m.put("j", Json.read("{\"k\": [1, 2], \"o\": {\"z\": null, \"s\": \"x\"}}"));
    m.put("e", "y");
    m.put("flag", Boolean.TRUE);
    m.put("yr", new BigDecimal(2024));
    return m;
  }

  private static Map<String, Object> nulls(int a) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String k : full(a).keySet()) {
      m.put(k, null);
    }
    m.put("a", new BigDecimal(a));
    m.put("b", "");
    return m;
  }
}
