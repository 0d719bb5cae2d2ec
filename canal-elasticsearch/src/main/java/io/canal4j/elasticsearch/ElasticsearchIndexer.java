package io.canal4j.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.canal4j.BinlogGap;
import io.canal4j.Committer;
import io.canal4j.DdlEvent;
import io.canal4j.EventHandler;
import io.canal4j.Row;
import io.canal4j.RowAction;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.XidEvent;
import io.canal4j.elasticsearch.internal.BulkItem;
import io.canal4j.elasticsearch.internal.BulkSender;
import io.canal4j.elasticsearch.internal.Lanes;
import io.canal4j.elasticsearch.internal.SearchClient;
import io.canal4j.elasticsearch.internal.TableDocuments;
import io.canal4j.elasticsearch.internal.TruncateStatements;
import io.canal4j.elasticsearch.internal.Versions;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventHandler} that keeps Elasticsearch (7, 8, 9) or OpenSearch (1, 2, 3) indices equal
 * to tables: every row a document, written with {@code _bulk}, versioned by its binlog position.
 *
 * <pre>{@code
 * ElasticsearchIndexer indexer =
 *     ElasticsearchIndexer.builder()
 *         .endpoint("http://localhost:9200")
 *         .index("shop\\.orders", "orders")
 *         .index("shop\\.customers", IndexMapping.to("customers").exclude("password_hash"))
 *         .build();
 * Canal canal = Canal.builder()...include("shop\\..*").handler(indexer).manualCommit().build();
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>The latest state, whatever the replays.</b> Each write carries {@code
 *       version_type=external} with a version that grows with the binlog ({@code Versions}): a
 *       replayed or late older write is refused by the cluster with a version conflict, which
 *       counts as applied. Deletes are versioned too.
 *   <li><b>At-least-once.</b> With {@link io.canal4j.Canal.Builder#manualCommit()}, a position is
 *       committed only once every bulk item before it was applied (or handed to the dead-letter
 *       sink): a crash at any moment replays what was not applied, and nothing is lost. Without
 *       manual commit every save point waits until all items are applied, which is as safe and
 *       slower.
 *   <li><b>Nothing dropped silently.</b> Items answered 429 or 5xx, lost connections and timeouts
 *       are retried with backoff, only the failed items; any other refused item stops the canal
 *       with the document id, table, position and the cluster's reason, or goes to a {@link
 *       DeadLetterSink}, counted and logged.
 * </ul>
 *
 * One indexer serves one canal at a time. Call {@link #close()} after the canal ended.
 */
public final class ElasticsearchIndexer implements EventHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchIndexer.class);
  private static final Pattern DDL_KIND = TruncateStatements.PATTERN;

  private record Rule(Pattern tables, IndexMapping mapping) {}

  private final Builder config;
  private final List<Rule> rules;
  private final JsonFactory json = new JsonFactory();
  private final BulkSender.Counters counters = new BulkSender.Counters();
  private final Map<TableId, IndexMapping> mappingByTable = new HashMap<>();
  private final Map<TableSchema, TableDocuments> documents = new HashMap<>();
  private final Set<TableId> unmappedLogged = new HashSet<>();
  private TableSchema lastTable;
  private TableDocuments lastDocuments;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
  private final JsonGenerator generator;
  private SearchClient client;
  private Lanes lanes;
  private boolean manual;
  private String name;
  private long lastFileSequence = -1;
  private String lastServer;
  private String lastFile;

  private ElasticsearchIndexer(Builder b) {
    this.config = b;
    this.rules = List.copyOf(b.rules);
    try {
      generator = json.createGenerator(buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    generator.setRootValueSeparator(null);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Counts since the indexer started. */
  public IndexerStats stats() {
    return counters.snapshot();
  }

  @Override
  public void onStart(Committer committer) {
    if (lanes != null) {
      lanes.close(); // a canal before this one
    }
    name = config.name != null ? config.name : nameFromThread();
    manual = committer.manual();
    if (!manual) {
      LOG.info(
          "[{}] the canal was built without manualCommit(): every save point waits until the bulk"
              + " requests in flight are applied. Add manualCommit() to the canal for throughput",
          name);
    }
    client =
        new SearchClient(
            config.endpoints,
            config.authorization,
            config.ssl,
            config.connectTimeout,
            config.requestTimeout);
    BulkSender sender =
        new BulkSender(
            client,
            json,
            config.deadLetters,
            config.backoffInitial,
            config.backoffMax,
            counters,
            LOG,
            name);
    lanes =
        new Lanes(
            config.concurrency,
            sender,
            committer,
            config.bulkActions,
            config.bulkBytes,
            config.flushInterval,
            2,
            Executors.defaultThreadFactory(),
            LOG,
            name);
    LOG.info(
        "[{}] indexing into {} ({} lanes, bulks of {} actions / {} bytes / {} ms)",
        name,
        config.endpoints,
        config.concurrency,
        config.bulkActions,
        config.bulkBytes,
        config.flushInterval.toMillis());
  }

  private static String nameFromThread() {
    String t = Thread.currentThread().getName();
    return t.startsWith("canal-") ? t.substring("canal-".length()) : "indexer";
  }

  @Override
  public void onRow(RowsEvent event) throws InterruptedException {
    lanes.check();
    TableDocuments docs = documentsFor(event.table());
    if (docs == null) {
      return;
    }
    Position at = event.position();
    boolean snapshot = event.action() == RowAction.SNAPSHOT;
    if (!snapshot) {
      checkGrowing(at);
    }
    List<RowChange> changes = event.changes();
    for (int i = 0; i < changes.size(); i++) {
      RowChange c = changes.get(i);
      long version = Versions.of(config.epoch, snapshot ? at.binlogPoint() : at, snapshot ? 0 : i);
      switch (event.action()) {
        case SNAPSHOT, INSERT -> index(docs, c.after(), at, version);
        case DELETE -> delete(docs, c.before(), at, version);
        case UPDATE -> {
          String before = docs.id(c.before());
          String after = docs.id(c.after());
          if (!before.equals(after)
              || !Objects.equals(docs.routing(c.before()), docs.routing(c.after()))) {
            delete(docs, c.before(), at, version); // the key or the routing changed
          }
          index(docs, c.after(), at, version);
        }
      }
    }
    if (snapshot) {
      lanes.mark(at); // covers this event's rows and the chunks before it
    }
  }

  @Override
  public void onXid(XidEvent event) {
    lanes.check();
    lanes.mark(event.position());
  }

  @Override
  public void onDdl(DdlEvent event) throws InterruptedException {
    lanes.check();
    var m = DDL_KIND.matcher(event.statement());
    if (m.lookingAt()) {
      List<TableId> gone = new ArrayList<>();
      if (m.group(2) != null) { // DROP DATABASE
        for (TableId t : mappingByTable.keySet()) {
          if (t.database().equalsIgnoreCase(m.group(3) == null ? "" : m.group(3))
              && mappingByTable.get(t) != null) {
            gone.add(t);
          }
        }
      }
      for (TableId t : event.tables()) {
        if (mappingFor(t) != null) {
          gone.add(t);
        }
      }
      if (!gone.isEmpty()) {
        lanes.awaitApplied(); // what came before the statement is in the index
        for (TableId t : gone) {
          emptied(t, event);
        }
      }
    }
    lanes.mark(event.position());
  }

  private void emptied(TableId table, DdlEvent event) throws InterruptedException {
    String index = mappingFor(table).indexFor(table.database(), table.table());
    if (!config.deleteOnTruncate) {
      LOG.warn(
          "[{}] {} at {} emptied table {}: its documents stay in index {}. Build the indexer with"
              + " deleteOnTruncate() to delete them (the index must hold this table's documents"
              + " only), or delete them yourself",
          name,
          firstWords(event.statement()),
          event.position(),
          table,
          index);
      return;
    }
    byte[] body = "{\"query\":{\"match_all\":{}}}".getBytes(StandardCharsets.UTF_8);
    String path = "/" + index + "/_delete_by_query?conflicts=proceed&refresh=true";
    while (true) {
      try {
        SearchClient.Response r = client.send("POST", path, body, "application/json");
        if (r.status() == 200 || r.status() == 404) { // 404: no such index, nothing to delete
          LOG.info(
              "[{}] {} at {} emptied table {}: deleted its documents from index {}",
              name,
              firstWords(event.statement()),
              event.position(),
              table,
              index);
          return;
        }
        if (r.status() != 429 && r.status() < 500) {
          throw new IndexerException(
              "deleting the documents of emptied table "
                  + table
                  + " from index "
                  + index
                  + " failed: "
                  + r.status()
                  + " "
                  + r.text());
        }
        LOG.warn("[{}] delete-by-query on {} answered {}; again in 1 s", name, index, r.status());
      } catch (IOException e) {
        LOG.warn("[{}] delete-by-query on {} failed ({}); again in 1 s", name, index, e.toString());
      }
      Thread.sleep(1000);
    }
  }

  private static String firstWords(String statement) {
    String s = statement.strip();
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }

  @Override
  public void onPosSynced(Position position, boolean force) throws InterruptedException {
    lanes.check();
    if (force || !manual) {
      lanes.awaitApplied();
    }
    lanes.mark(position);
  }

  @Override
  public void onBinlogGap(BinlogGap gap) {
    LOG.warn(
        "[{}] the binlog the canal resumed from was purged ({}): documents of rows deleted in the"
            + " gap stay in the index; a re-snapshot rewrites the others",
        name,
        gap);
  }

  /** Stops the sender threads; what they still held was not committed, so a restart replays it. */
  @Override
  public void close() {
    Lanes l = lanes;
    if (l != null) {
      l.close();
    }
  }

  // ---- documents

  private IndexMapping mappingFor(TableId table) {
    return mappingByTable.computeIfAbsent(
        table,
        t -> {
          for (Rule r : rules) {
            if (r.tables().matcher(t.database() + "." + t.table()).matches()) {
              return r.mapping();
            }
          }
          return null;
        });
  }

  private TableDocuments documentsFor(TableSchema table) {
    IndexMapping mapping = mappingFor(table.id());
    if (mapping == null) {
      if (unmappedLogged.add(table.id())) {
        LOG.info("[{}] table {} has no index mapping: its rows are not indexed", name, table.id());
      }
      return null;
    }
    if (table != lastTable) { // most events are of the table before; skip hashing its columns
      lastDocuments = documents.computeIfAbsent(table, t -> new TableDocuments(t, mapping));
      lastTable = table;
    }
    return lastDocuments;
  }

  private void checkGrowing(Position at) {
    long seq;
    try {
      seq = Versions.fileSequence(at.file());
    } catch (IllegalArgumentException e) {
      throw new IndexerException(e.getMessage() + ": the indexer needs numbered binlog files", e);
    }
    boolean otherServer =
        lastServer != null && at.serverUuid() != null && !lastServer.equals(at.serverUuid());
    if (seq < lastFileSequence || otherServer) {
      throw new IndexerException(
          "binlog positions went back from "
              + lastFile
              + " to "
              + at.file()
              + (otherServer ? " on another server (" + at.serverUuid() + ")" : "")
              + " (a fail-over, or RESET MASTER): versions made from them are older than those in"
              + " the index, so the cluster would take every change as stale. Build the indexer"
              + " with versionEpoch("
              + (config.epoch + 1)
              + ") and restart, or index into new indices");
    }
    lastFileSequence = seq;
    lastFile = at.file();
    if (at.serverUuid() != null) {
      lastServer = at.serverUuid();
    }
  }

  private void index(TableDocuments docs, Row row, Position at, long version)
      throws InterruptedException {
    String id = docs.id(row);
    String routing = docs.routing(row);
    buffer.reset();
    int sourceOffset;
    try {
      action(docs, "index", id, routing, version, docs.pipeline());
      generator.flush();
      sourceOffset = buffer.size();
      docs.writeSource(row, generator, json);
      generator.writeRaw('\n');
      generator.flush();
    } catch (IOException e) {
      throw new IndexerException(
          "a row of " + docs.table().id() + " could not be written as JSON: " + e.getMessage(), e);
    }
    add(
        new BulkItem(
            docs.table().id(),
            docs.index(),
            id,
            false,
            at,
            version,
            buffer.toByteArray(),
            sourceOffset));
  }

  private void delete(TableDocuments docs, Row row, Position at, long version)
      throws InterruptedException {
    String id = docs.id(row);
    buffer.reset();
    try {
      action(docs, "delete", id, docs.routing(row), version, null);
      generator.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] lines = buffer.toByteArray();
    add(new BulkItem(docs.table().id(), docs.index(), id, true, at, version, lines, lines.length));
  }

  private void action(
      TableDocuments docs, String action, String id, String routing, long version, String pipeline)
      throws IOException {
    JsonGenerator g = generator;
    g.writeStartObject();
    g.writeFieldName(action);
    g.writeStartObject();
    g.writeStringField("_index", docs.index());
    g.writeStringField("_id", id);
    g.writeNumberField("version", version);
    g.writeStringField("version_type", "external");
    if (routing != null) {
      g.writeStringField("routing", routing);
    }
    if (pipeline != null) {
      g.writeStringField("pipeline", pipeline);
    }
    g.writeEndObject();
    g.writeEndObject();
    g.writeRaw('\n');
  }

  private void add(BulkItem item) throws InterruptedException {
    lanes.add(lanes.laneOf(item.index(), item.id()), item);
  }

  @Override
  public String toString() {
    return "ElasticsearchIndexer" + config.endpoints + " " + mappings();
  }

  private Map<String, IndexMapping> mappings() {
    Map<String, IndexMapping> m = new LinkedHashMap<>();
    for (Rule r : rules) {
      m.put(r.tables().pattern(), r.mapping());
    }
    return m;
  }

  /**
   * Settings of an {@link ElasticsearchIndexer}. Each may be set once; {@link #build()} names what
   * is missing.
   */
  public static final class Builder {
    private final List<URI> endpoints = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final Set<String> set = new HashSet<>();
    private String authorization;
    private SSLContext ssl;
    private String name;
    private int bulkActions = 1000;
    private long bulkBytes = 5L << 20;
    private Duration flushInterval = Duration.ofSeconds(1);
    private int concurrency = 2;
    private Duration backoffInitial = Duration.ofMillis(100);
    private Duration backoffMax = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int epoch;
    private DeadLetterSink deadLetters;
    private boolean deleteOnTruncate;

    private Builder() {}

    private void once(String setting) {
      if (!set.add(setting)) {
        throw new IllegalStateException(setting + " is already set");
      }
    }

    /** The cluster's HTTP addresses, e.g. {@code http://localhost:9200}; tried in turn. */
    public Builder endpoint(String... urls) {
      once("endpoint");
      if (urls.length == 0) {
        throw new IllegalArgumentException("endpoint(...) needs at least one URL");
      }
      for (String u : urls) {
        URI uri;
        try {
          uri = URI.create(Objects.requireNonNull(u, "url"));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "endpoint '" + u + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          throw new IllegalArgumentException(
              "endpoint '" + u + "' is not an http:// or https:// URL with a host");
        }
        endpoints.add(uri);
      }
      return this;
    }

    /**
     * Documents of the tables whose {@code db.table} matches {@code tables} (a regex, full match)
     * go to the index {@code index} (a name or a template with {@code {db}} and {@code {table}}).
     * The first matching mapping wins; rows of tables no mapping matches are not indexed.
     */
    public Builder index(String tables, String index) {
      return index(tables, IndexMapping.to(index));
    }

    /** Documents of the tables matching {@code tables} follow {@code mapping}. */
    public Builder index(String tables, IndexMapping mapping) {
      Objects.requireNonNull(tables, "tables");
      Objects.requireNonNull(mapping, "mapping");
      try {
        rules.add(new Rule(Pattern.compile(tables), mapping));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("table pattern is not a regex: " + tables, e);
      }
      return this;
    }

    /** HTTP basic authentication. */
    public Builder basicAuth(String user, String password) {
      once("authentication");
      String pair = Objects.requireNonNull(user, "user") + ":" + Objects.requireNonNull(password);
      authorization =
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** An API key, in the encoded form Elasticsearch hands out (base64 of {@code id:key}). */
    public Builder apiKey(String encoded) {
      once("authentication");
      authorization = "ApiKey " + Objects.requireNonNull(encoded, "encoded");
      return this;
    }

    /** TLS settings for {@code https://} endpoints (default: the JVM's trust store). */
    public Builder sslContext(SSLContext context) {
      once("sslContext");
      ssl = Objects.requireNonNull(context, "context");
      return this;
    }

    /** The name in log lines and thread names (default: the canal's name). */
    public Builder name(String name) {
      once("name");
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** A bulk request closes at this many actions (default 1,000). */
    public Builder bulkActions(int actions) {
      once("bulkActions");
      if (actions < 1 || actions > 100_000) {
        throw new IllegalArgumentException("bulkActions must be in 1..100000, not " + actions);
      }
      bulkActions = actions;
      return this;
    }

    /** A bulk request closes at this many bytes (default 5 MiB). */
    public Builder bulkBytes(long bytes) {
      once("bulkBytes");
      if (bytes < 1024 || bytes > (100L << 20)) {
        throw new IllegalArgumentException("bulkBytes must be in 1 KiB..100 MiB, not " + bytes);
      }
      bulkBytes = bytes;
      return this;
    }

    /** A bulk request that is not full is sent after this long (default 1 s). */
    public Builder flushInterval(Duration interval) {
      once("flushInterval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("flushInterval must be positive");
      }
      flushInterval = interval;
      return this;
    }

    /** Bulk requests in flight at once, one per lane of documents (default 2). */
    public Builder concurrency(int lanes) {
      once("concurrency");
      if (lanes < 1 || lanes > 64) {
        throw new IllegalArgumentException("concurrency must be in 1..64, not " + lanes);
      }
      concurrency = lanes;
      return this;
    }

    /**
     * Wait before sending failed items again, doubling up to {@code max} (default 100 ms..10 s).
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      once("retryBackoff");
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("retryBackoff needs 0 < initial <= max");
      }
      backoffInitial = initial;
      backoffMax = max;
      return this;
    }

    /** How long to wait for a connection (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      once("connectTimeout");
      connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How long a bulk request may take before it counts as failed and is sent again (60 s). */
    public Builder requestTimeout(Duration timeout) {
      once("requestTimeout");
      requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * The high bits of every document version (0..255, default 0). Raise it after the binlog
     * positions started again (a fail-over to another server, {@code RESET MASTER}), so that new
     * versions are above those already in the index.
     */
    public Builder versionEpoch(int epoch) {
      once("versionEpoch");
      if (epoch < 0 || epoch > Versions.MAX_EPOCH) {
        throw new IllegalArgumentException("versionEpoch must be in 0..255, not " + epoch);
      }
      this.epoch = epoch;
      return this;
    }

    /** Documents the cluster refuses for good go here instead of stopping the canal. */
    public Builder deadLetters(DeadLetterSink sink) {
      once("deadLetters");
      deadLetters = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * A {@code TRUNCATE} or {@code DROP TABLE} of an indexed table deletes the table's documents
     * from its index ({@code _delete_by_query}), so the index must hold that table's documents
     * only. Default: the documents stay, with a warning.
     */
    public Builder deleteOnTruncate() {
      once("deleteOnTruncate");
      deleteOnTruncate = true;
      return this;
    }

    public ElasticsearchIndexer build() {
      if (endpoints.isEmpty()) {
        throw new IllegalStateException("endpoint(...) is required: the cluster's HTTP address");
      }
      if (rules.isEmpty()) {
        throw new IllegalStateException(
            "no table is mapped to an index: add index(\"db\\\\.table\", \"index\")");
      }
      return new ElasticsearchIndexer(this);
    }
  }
}
