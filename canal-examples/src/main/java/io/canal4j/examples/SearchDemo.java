package io.canal4j.examples;

import io.canal4j.Canal;
import io.canal4j.CanalState;
import io.canal4j.elasticsearch.ElasticsearchIndexer;
import io.canal4j.elasticsearch.IndexMapping;
import io.canal4j.elasticsearch.IndexerStats;
import io.canal4j.testkit.MariaDbSandbox;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A one-command search demo: a MariaDB sandbox and an in-JVM OpenSearch node, a shop database kept
 * busy with orders, and a canal with an {@link ElasticsearchIndexer} that keeps one index per table
 * equal to it (the existing rows first, then the binlog). Every two seconds it searches the indices
 * over plain HTTP, and at the end it checks that every index holds exactly its table's rows.
 *
 * <p>Run with {@code mvn -B -ntp -q install -DskipTests && mvn -B -ntp -q -pl canal-examples
 * exec:java -Dexec.mainClass=io.canal4j.examples.SearchDemo}; add {@code -Ddemo.duration=60s} to
 * write for longer than 20 s. It exits with 1 if an index does not equal its table.
 */
public final class SearchDemo {
  private static final Duration WRITE_EVERY = Duration.ofMillis(500);
  private static final Duration REPORT_EVERY = Duration.ofSeconds(2);
  private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(30);

  /** The columns the final check compares, per table (customers' email is not indexed). */
  private static final Map<String, List<String>> COMPARED =
      Map.of(
          "customers", List.of("name", "city"),
          "products", List.of("name", "description", "price", "stock"),
          "orders", List.of("customer_id", "product_id", "quantity", "total", "status"));

  /**
   * The binlog client logs its connection through java.util.logging, in two-line records among the
   * demo's; kept here because JUL holds loggers weakly.
   */
  private static final java.util.logging.Logger BINLOG_CLIENT_LOG =
      java.util.logging.Logger.getLogger("com.github.shyiko.mysql.binlog");

  private SearchDemo() {}

  /**
   * What the demo found at the end.
   *
   * @param checks one per table, in {@link Shop#TABLES} order
   * @param stats the indexer's counts
   * @param transactions the transactions written while the canal ran
   */
  public record Result(List<IndexCheck> checks, IndexerStats stats, int transactions) {
    public boolean indexEqualsTables() {
      return checks.stream().allMatch(IndexCheck::equal);
    }
  }

  /**
   * One table against its index.
   *
   * @param differences ids missing from the index, extra in it, or with other values; empty if
   *     equal
   */
  public record IndexCheck(String table, int rows, int documents, List<String> differences) {
    public boolean equal() {
      return rows == documents && differences.isEmpty();
    }

    @Override
    public String toString() {
      return String.format(
          "%-9s %3d rows, %3d documents: %s",
          table,
          rows,
          documents,
          equal()
              ? "equal"
              : "DIFFERENT " + differences.subList(0, Math.min(5, differences.size())));
    }
  }

  public static void main(String[] args) throws Exception {
    BINLOG_CLIENT_LOG.setLevel(java.util.logging.Level.WARNING);
    String duration = args.length > 0 ? args[0] : System.getProperty("demo.duration", "20s");
    Result result = run(System.out, Duration.parse("PT" + duration));
    System.exit(result.indexEqualsTables() ? 0 : 1);
  }

  /**
   * Runs the demo, printing to {@code out}, writing to the shop for {@code writeFor} (and at least
   * one transaction of each kind: ten, about 5 s).
   */
  public static Result run(PrintStream out, Duration writeFor) throws Exception {
    long t0 = System.nanoTime();
    try (OpenSearchNode node = OpenSearchNode.startInBackground(); // meanwhile MariaDB starts
        MariaDbSandbox server = MariaDbSandbox.builder().name("search-demo").start();
        Shop shop = Shop.create(server)) {
      out.printf(
          "MariaDB %s on port %d: database shop with %d customers, %d products, %d orders%n",
          server.version(),
          server.port(),
          shop.count("customers"),
          shop.count("products"),
          shop.count("orders"));
      String endpoint = node.endpoint();
      out.printf(
          "OpenSearch 2.19 on %s (started in %.1f s)%n", endpoint, seconds(node.startTime()));
      SearchQueries search = new SearchQueries(endpoint);
      try (ElasticsearchIndexer indexer =
              ElasticsearchIndexer.builder()
                  .endpoint(endpoint)
                  .index("shop\\.customers", IndexMapping.to("customers").exclude("email"))
                  .index("shop\\.products", "products")
                  .index("shop\\.orders", "orders")
                  .flushInterval(Duration.ofMillis(200)) // default 1 s; small batches here
                  .build();
          Canal canal =
              Canal.builder()
                  .name("search-demo")
                  .host(server.host())
                  .port(server.port())
                  .user(server.user())
                  .password(server.password())
                  .include("shop\\..*")
                  .handler(indexer)
                  .manualCommit() // the indexer commits what the cluster applied
                  .build()) {
        canal.start();
        awaitRunning(canal);
        out.printf(
            "canal search-demo: the existing rows, then the binlog, into indices %s;"
                + " writing for %d s, searching every %d s%n",
            String.join(", ", Shop.TABLES), writeFor.toSeconds(), REPORT_EVERY.toSeconds());
        int transactions = write(out, shop, search, canal, writeFor);
        long lastWrite = System.nanoTime();
        List<IndexCheck> checks = awaitCaughtUp(shop, search, canal);
        out.printf(
            "writes stopped after %d transactions; %s %.1f s after the last write%n",
            transactions,
            checks.stream().allMatch(IndexCheck::equal)
                ? "the indices caught up"
                : "the indices had NOT caught up",
            seconds(Duration.ofNanos(System.nanoTime() - lastWrite)));
        IndexerStats stats = indexer.stats();
        out.println("indexer: " + stats);
        checks.forEach(c -> out.println("check: " + c));
        Result result = new Result(checks, stats, transactions);
        out.printf(
            "%s (%.0f s in all)%n",
            result.indexEqualsTables()
                ? "every index equals its table"
                : "an index DIFFERS from its table",
            seconds(Duration.ofNanos(System.nanoTime() - t0)));
        return result;
      }
    }
  }

  private static void awaitRunning(Canal canal) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (canal.state() != CanalState.RUNNING) {
      if (canal.state().isFinal() || System.nanoTime() > deadline) {
        canal.termination().join(); // throws with the reason
        throw new IllegalStateException("canal did not start: " + canal.state());
      }
      Thread.sleep(20);
    }
  }

  /**
   * Writes one transaction every {@link #WRITE_EVERY} for {@code writeFor}, and at least one cycle
   * of the shop's kinds of change, reporting what search sees meanwhile.
   */
  private static int write(
      PrintStream out, Shop shop, SearchQueries search, Canal canal, Duration writeFor)
      throws SQLException, IOException, InterruptedException {
    long start = System.nanoTime();
    long end = start + writeFor.toNanos();
    long nextReport = start + REPORT_EVERY.toNanos();
    Map<String, Integer> written = new TreeMap<>();
    int transactions = 0;
    while (true) {
      if (canal.state().isFinal()) {
        canal.termination().join(); // throws with the reason
      }
      written.merge(shop.writeOne(), 1, Integer::sum);
      transactions++;
      if (System.nanoTime() >= nextReport) {
        Duration at = Duration.ofNanos(System.nanoTime() - start);
        try {
          report(out, at, written, shop, search);
        } catch (IOException e) { // a live view only: the final check is what counts
          out.printf("[%4.1f s] the search failed: %.200s%n", seconds(at), e.getMessage());
        }
        written.clear();
        nextReport += REPORT_EVERY.toNanos();
      }
      // Stop when the next write would be late (so that the catch-up is timed from the last),
      // but not before every kind of change was written once, however slow the machine.
      if (transactions >= Shop.CYCLE && System.nanoTime() + WRITE_EVERY.toNanos() >= end) {
        break;
      }
      Thread.sleep(WRITE_EVERY.toMillis());
    }
    return transactions;
  }

  private static void report(
      PrintStream out, Duration at, Map<String, Integer> written, Shop shop, SearchQueries search)
      throws SQLException, IOException, InterruptedException {
    List<String> what = new ArrayList<>();
    written.forEach((kind, n) -> what.add(n == 1 ? kind : kind + " (" + n + ")"));
    out.printf("[%4.1f s] wrote %s%n", seconds(at), String.join(", ", what));

    Object orders =
        search.search(
            "orders",
            "{\"size\":0,\"track_total_hits\":true,\"aggs\":{"
                + "\"status\":{\"terms\":{\"field\":\"status.keyword\"}},"
                + "\"revenue\":{\"sum\":{\"field\":\"total\"}}}}");
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String status : List.of("placed", "paid", "shipped", "delivered")) {
      counts.put(status, 0L);
    }
    for (Object bucket : Json.array(orders, "aggregations", "status", "buckets")) {
      counts.put((String) Json.at(bucket, "key"), Json.number(bucket, "doc_count"));
    }
    List<String> byStatus = new ArrayList<>();
    counts.forEach((status, n) -> byStatus.add(status + " " + n));
    Object revenue = Json.at(orders, "aggregations", "revenue", "value");
    out.printf(
        "         orders    table %3d, index %3d | %s | revenue %s%n",
        shop.count("orders"),
        Json.number(orders, "hits", "total", "value"),
        String.join(", ", byStatus),
        revenue instanceof BigDecimal r ? r.setScale(2, RoundingMode.HALF_UP) : "-");

    Object lamps =
        search.search(
            "products",
            "{\"size\":3,\"track_total_hits\":true,"
                + "\"query\":{\"multi_match\":{\"query\":\"lamp\","
                + "\"fields\":[\"name^2\",\"description\"]}},"
                // unmapped_type: the index may exist before its first document's fields are mapped
                + "\"sort\":[\"_score\",{\"id\":{\"order\":\"asc\",\"unmapped_type\":\"long\"}}]}");
    List<String> top = new ArrayList<>();
    for (Object hit : Json.array(lamps, "hits", "hits")) {
      Map<String, Object> p = Json.object(hit, "_source");
      top.add(p.get("name") + " " + p.get("price") + " (" + p.get("stock") + " left)");
    }
    out.printf(
        "         products  table %3d, index %3d | \"lamp\": %d hits: %s%n",
        shop.count("products"),
        search.count("products"),
        Json.number(lamps, "hits", "total", "value"),
        String.join(", ", top));
  }

  /** Compares every table with its index until all are equal or {@link #CATCH_UP_LIMIT} passed. */
  private static List<IndexCheck> awaitCaughtUp(Shop shop, SearchQueries search, Canal canal)
      throws SQLException, IOException, InterruptedException {
    long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
    while (true) {
      if (canal.state().isFinal()) {
        canal.termination().join(); // throws with the reason
      }
      search.refresh(Shop.TABLES.toArray(String[]::new));
      List<IndexCheck> checks = new ArrayList<>();
      for (String table : Shop.TABLES) {
        checks.add(compare(table, shop, search));
      }
      if (checks.stream().allMatch(IndexCheck::equal) || System.nanoTime() > deadline) {
        return checks;
      }
      Thread.sleep(100);
    }
  }

  private static IndexCheck compare(String table, Shop shop, SearchQueries search)
      throws SQLException, IOException, InterruptedException {
    List<String> columns = COMPARED.get(table);
    Map<String, Map<String, Object>> rows = shop.rows(table, columns);
    Map<String, Map<String, Object>> docs = search.documents(table); // index name = table name
    List<String> differences = new ArrayList<>();
    for (var row : rows.entrySet()) {
      Map<String, Object> doc = docs.get(row.getKey());
      if (doc == null) {
        differences.add(row.getKey() + " missing");
        continue;
      }
      Map<String, Object> expected = normalized(row.getValue());
      Map<String, Object> actual = new LinkedHashMap<>();
      for (String c : columns) {
        actual.put(c, doc.get(c));
      }
      if (!expected.equals(normalized(actual))) {
        differences.add(row.getKey() + ": table " + row.getValue() + ", index " + actual);
      }
    }
    for (String id : docs.keySet()) {
      if (!rows.containsKey(id)) {
        differences.add(id + " extra");
      }
    }
    return new IndexCheck(table, rows.size(), docs.size(), List.copyOf(differences));
  }

  /** Numbers as their plain decimal text (12.50 = 12.5), everything else as text. */
  private static Map<String, Object> normalized(Map<String, Object> values) {
    Map<String, Object> m = new LinkedHashMap<>();
    values.forEach(
        (k, v) ->
            m.put(
                k,
                v instanceof Number n
                    ? new BigDecimal(n.toString()).stripTrailingZeros().toPlainString()
                    : Objects.toString(v, null)));
    return m;
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
