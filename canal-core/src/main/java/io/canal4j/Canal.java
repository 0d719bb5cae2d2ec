package io.canal4j;

import io.canal4j.dump.Chunk;
import io.canal4j.error.ConfigurationException;
import io.canal4j.internal.CanalRunner;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.TrustStores;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchemaCache;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Streams the committed row changes of a MySQL or MariaDB server to an {@link EventHandler}, on its
 * own thread, from where it last stopped.
 *
 * <pre>{@code
 * Canal canal = Canal.builder()
 *     .host("127.0.0.1").port(3306).user("canal").password("secret")
 *     .include("shop\\.orders")
 *     .positionStore(PositionStore.file(Path.of("orders.pos")))
 *     .handler(myHandler)
 *     .build();
 * canal.start();           // returns at once
 * ...
 * canal.close();           // graceful: finishes the event in hand, saves the position
 * }</pre>
 *
 * A canal is started once; {@link #close()} is idempotent and safe from any thread, including the
 * handler's. {@link #termination()} completes when the canal stops, exceptionally with the cause
 * when it failed. See {@link EventHandler} for the delivery contract.
 *
 * <p>Size: about 70 lines of behaviour; the rest is the builder, a documented setter per setting.
 * The engine behind it lives in {@code io.canal4j.internal}.
 */
public final class Canal implements AutoCloseable {
  private final CanalRunner runner;

  private Canal(CanalConfig config) {
    this.runner = new CanalRunner(config);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the canal's thread and returns at once. Server problems (unreachable, bad password,
   * binlog off, missing privileges) are reported through {@link #termination()} and the state
   * {@link CanalState#FAILED}.
   *
   * @throws IllegalStateException if the canal was started before
   */
  public void start() {
    runner.start();
  }

  /**
   * Stops the canal gracefully: the event in hand is finished, the position saved ({@link
   * EventHandler#onPosSynced} with {@code force}), and the connection closed. Waits for that unless
   * called from the canal's own thread (a handler), where it returns at once and the canal stops
   * after the handler returns. Idempotent; if the waiting thread is interrupted, it stops waiting
   * and keeps its interrupt flag.
   */
  @Override
  public void close() {
    runner.close();
  }

  public CanalState state() {
    return runner.state();
  }

  /**
   * Completes normally when the canal stopped after {@link #close()}, exceptionally with a {@link
   * io.canal4j.error.CanalException} when it failed. {@code termination().join()} waits for it.
   */
  public CompletableFuture<Void> termination() {
    return runner.termination();
  }

  /** For {@link Builder#manualCommit()}: tells the canal which positions are durable. */
  public Committer committer() {
    return runner.committer();
  }

  /** The position after the last transaction the handler was given, or null before the first. */
  public Position position() {
    return runner.position();
  }

  public String name() {
    return runner.name();
  }

  @Override
  public String toString() {
    return "Canal[" + runner.name() + ", " + runner.state() + "]";
  }

  /**
   * Builds a {@link Canal}. Each setter checks its argument at once and may be called only once;
   * {@link #build()} names any required setting that is missing. Required: the server ({@link
   * #host} or {@link #jdbcUrl}), {@link #user} and {@link #handler}.
   */
  public static final class Builder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private final Set<String> set = new HashSet<>();
    private String name = "canal";
    private String host;
    private int port = 3306;
    private String user;
    private String password = "";
    private long serverId = ThreadLocalRandom.current().nextLong(100_000, 1L << 31);
    private final List<String> includes = new ArrayList<>();
    private final List<String> excludes = new ArrayList<>();
    private EventHandler handler;
    private PositionStore positionStore;
    private TableSchemaCache schemaCache;
    private SavePolicy savePolicy = SavePolicy.defaultPolicy();
    private boolean manualCommit;
    private boolean allowPartialRowImages;
    private boolean skipUnparseableDdl;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration heartbeatInterval = Duration.ofSeconds(5);
    private Duration backoffInitial = Duration.ofMillis(500);
    private Duration backoffMax = Duration.ofSeconds(30);
    private ThreadFactory threadFactory;
    private final Map<String, String> jdbcProperties = new LinkedHashMap<>();
    private ZeroDates zeroDates = ZeroDates.AS_NULL;
    private SnapshotMode snapshotMode = SnapshotMode.INITIAL;
    private int snapshotThreads = 1;
    private int snapshotChunkRows = 10_000;
    private SnapshotReader snapshotReader = SnapshotReader.JDBC;
    private SnapshotMethod snapshotMethod = SnapshotMethod.AUTO;
    private Duration snapshotLockTimeout = Duration.ofSeconds(10);
    private PurgedBinlogPolicy onPurgedBinlog = PurgedBinlogPolicy.FAIL;
    private Consumer<SnapshotProgress> snapshotProgress = p -> {};
    private SslMode sslMode = SslMode.PREFERRED;
    private Path trustStore;
    private String trustStorePassword;
    private Path dumpTool;
    private Consumer<Chunk> afterChunkRead;

    private Builder() {}

    private void once(String setting) {
      if (!set.add(setting)) {
        throw new ConfigurationException(setting + " was already set");
      }
    }

    /** Names the canal in its thread names and log lines (default {@code canal}). */
    public Builder name(String name) {
      once("name");
      if (name == null || !NAME.matcher(name).matches()) {
        throw new ConfigurationException(
            "name must be 1-64 letters, digits, '_', '.' or '-': " + name);
      }
      this.name = name;
      return this;
    }

    /** The server's host name or address. */
    public Builder host(String host) {
      once("host");
      if (set.contains("jdbcUrl")) {
        throw new ConfigurationException("set either host/port or jdbcUrl, not both");
      }
      if (host == null || host.isBlank()) {
        throw new ConfigurationException("host must not be empty");
      }
      this.host = host;
      return this;
    }

    /** The server's port (default 3306). */
    public Builder port(int port) {
      once("port");
      if (set.contains("jdbcUrl")) {
        throw new ConfigurationException("set either host/port or jdbcUrl, not both");
      }
      if (port < 1 || port > 65535) {
        throw new ConfigurationException("port must be 1-65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The server as a JDBC URL, {@code jdbc:mysql://host:port[/db][?props]} (or {@code
     * jdbc:mariadb://}); its properties are passed to the canal's JDBC connections.
     */
    public Builder jdbcUrl(String url) {
      once("jdbcUrl");
      if (set.contains("host") || set.contains("port")) {
        throw new ConfigurationException("set either host/port or jdbcUrl, not both");
      }
      if (url == null || !(url.startsWith("jdbc:mysql://") || url.startsWith("jdbc:mariadb://"))) {
        throw new ConfigurationException(
            "jdbcUrl must start with jdbc:mysql:// or jdbc:mariadb://, got: " + url);
      }
      URI uri;
      try {
        uri = URI.create(url.substring("jdbc:".length()));
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("jdbcUrl is not a valid URL: " + url, e);
      }
      if (uri.getHost() == null) {
        throw new ConfigurationException("jdbcUrl names no host: " + url);
      }
      this.host = uri.getHost();
      this.port = uri.getPort() > 0 ? uri.getPort() : 3306;
      if (uri.getRawQuery() != null) {
        for (String kv : uri.getRawQuery().split("&")) {
          int eq = kv.indexOf('=');
          if (eq > 0) {
            jdbcProperties.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
        }
      }
      return this;
    }

    /** The user; needs REPLICATION SLAVE, REPLICATION CLIENT and SELECT. */
    public Builder user(String user) {
      once("user");
      if (user == null || user.isEmpty()) {
        throw new ConfigurationException("user must not be empty");
      }
      this.user = user;
      return this;
    }

    /** The password (default empty). Never logged. */
    public Builder password(String password) {
      once("password");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * The replica server id the canal connects with; unique among the server's replicas (default:
     * random in [100000, 2^31)).
     */
    public Builder serverId(long serverId) {
      once("serverId");
      if (serverId < 1 || serverId > 0xFFFF_FFFFL) {
        throw new ConfigurationException("serverId must be 1..4294967295: " + serverId);
      }
      this.serverId = serverId;
      return this;
    }

    /**
     * Tables to stream, as regexes matched against the whole {@code db.table} (e.g. {@code
     * shop\\..*}). Default: all tables.
     */
    public Builder include(String... patterns) {
      once("include");
      includes.addAll(checkPatterns("include", patterns));
      return this;
    }

    /** Tables not to stream, as {@code db.table} regexes; exclude wins over include. */
    public Builder exclude(String... patterns) {
      once("exclude");
      excludes.addAll(checkPatterns("exclude", patterns));
      return this;
    }

    private static List<String> checkPatterns(String setting, String... patterns) {
      if (patterns == null || patterns.length == 0) {
        throw new ConfigurationException(setting + " needs at least one pattern");
      }
      for (String p : patterns) {
        try {
          Pattern.compile(Objects.requireNonNull(p, setting + " pattern"));
        } catch (PatternSyntaxException e) {
          throw new ConfigurationException(setting + " pattern is not a regex: " + p, e);
        }
      }
      return List.of(patterns);
    }

    /** Receives the events; required. */
    public Builder handler(EventHandler handler) {
      once("handler");
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Where the position is kept between runs (default: in memory, lost at exit). */
    public Builder positionStore(PositionStore store) {
      once("positionStore");
      this.positionStore = Objects.requireNonNull(store, "positionStore");
      return this;
    }

    /**
     * Where table schemas come from (default: a schema history, {@link TableSchemaCache#history},
     * saved with each checkpoint).
     */
    public Builder schemaCache(TableSchemaCache cache) {
      once("schemaCache");
      this.schemaCache = Objects.requireNonNull(cache, "schemaCache");
      return this;
    }

    /** How often unforced save points happen (default {@link SavePolicy#defaultPolicy()}). */
    public Builder savePolicy(SavePolicy policy) {
      once("savePolicy");
      this.savePolicy = Objects.requireNonNull(policy, "savePolicy");
      return this;
    }

    /**
     * The handler acknowledges durable positions through its {@link Committer}; the saved position
     * never passes the last acknowledged one (default: every delivered transaction counts).
     */
    public Builder manualCommit() {
      once("manualCommit");
      this.manualCommit = true;
      return this;
    }

    /**
     * Accept a server with {@code binlog_row_image=MINIMAL} or {@code NOBLOB}. Its row images leave
     * columns out (unchanged ones, or BLOB/TEXT); such columns read as absent ({@link
     * Row#isPresent(String)} is false), never as NULL. Without this setting the canal refuses such
     * a server at start.
     */
    public Builder allowPartialRowImages() {
      once("allowPartialRowImages");
      this.allowPartialRowImages = true;
      return this;
    }

    /**
     * Skip DDL statements that canal4j cannot parse, with a warning, instead of stopping at the
     * first one that names a streamed table (or a table of the same database). The tables such a
     * statement names are then read from information_schema when next needed, checked against the
     * binlog; a replay of events older than the statement may then misname renamed columns. Only
     * for the default schema history; a {@link #schemaCache} of your own decides for itself.
     */
    public Builder skipUnparseableDdl() {
      once("skipUnparseableDdl");
      this.skipUnparseableDdl = true;
      return this;
    }

    /** How long to wait for the server to answer a connect (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      once("connectTimeout");
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    /**
     * How often the server sends a heartbeat on an idle stream, which lets the canal notice a dead
     * connection and save its position while idle (default 5 s; zero disables).
     */
    public Builder heartbeatInterval(Duration interval) {
      once("heartbeatInterval");
      Objects.requireNonNull(interval, "heartbeatInterval");
      if (interval.isNegative()) {
        throw new ConfigurationException("heartbeatInterval must not be negative: " + interval);
      }
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * The wait before reconnecting after a lost connection, doubling per failed attempt up to
     * {@code max} (default 500 ms up to 30 s).
     */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      once("reconnectBackoff");
      this.backoffInitial = positive("reconnectBackoff initial", initial);
      this.backoffMax = positive("reconnectBackoff max", max);
      if (max.compareTo(initial) < 0) {
        throw new ConfigurationException("reconnectBackoff max is less than initial");
      }
      return this;
    }

    /**
     * Makes the canal's threads: its own (default: named {@code canal-<name>}, non-daemon), and its
     * helpers (snapshot readers), which are renamed {@code canal-<name>-<role>} and made daemons.
     */
    public Builder threadFactory(ThreadFactory factory) {
      once("threadFactory");
      this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
      return this;
    }

    /**
     * What DATE, DATETIME and TIMESTAMP values that are no calendar date (zero, partly zero, past
     * the month's end: possible only under a permissive sql_mode) are delivered as (default {@link
     * ZeroDates#AS_NULL}; {@link ZeroDates#AS_TEXT} gives MySQL's text form as a String).
     */
    public Builder zeroDates(ZeroDates zeroDates) {
      once("zeroDates");
      this.zeroDates = Objects.requireNonNull(zeroDates, "zeroDates");
      return this;
    }

    /**
     * Whether a canal without a saved position first delivers the existing rows (default {@link
     * SnapshotMode#INITIAL}).
     */
    public Builder snapshotMode(SnapshotMode mode) {
      once("snapshotMode");
      this.snapshotMode = Objects.requireNonNull(mode, "snapshotMode");
      return this;
    }

    /**
     * How many connections read the snapshot at once (default 1). One reader on MariaDB needs no
     * lock; more readers, or any snapshot on MySQL, hold {@code FLUSH TABLES WITH READ LOCK} for
     * the moment it takes to open them and read the captured databases' schema, which needs the
     * RELOAD privilege.
     */
    public Builder snapshotThreads(int threads) {
      once("snapshotThreads");
      if (threads < 1 || threads > 64) {
        throw new ConfigurationException("snapshotThreads must be in 1..64: " + threads);
      }
      this.snapshotThreads = threads;
      return this;
    }

    /** How the snapshot reads the rows (default {@link SnapshotReader#JDBC}). */
    public Builder snapshotReader(SnapshotReader reader) {
      once("snapshotReader");
      this.snapshotReader = Objects.requireNonNull(reader, "snapshotReader");
      return this;
    }

    /**
     * The dump executable that {@code snapshotReader(DUMP_TOOL)} runs: a {@code mariadb-dump} or
     * {@code mysqldump}. Default: {@code mariadb-dump}, else {@code mysqldump}, found on the PATH
     * when the snapshot starts. {@link #build()} checks that the file is executable.
     */
    public Builder dumpTool(Path executable) {
      once("dumpTool");
      this.dumpTool = Objects.requireNonNull(executable, "dumpTool");
      return this;
    }

    /**
     * A test's hook into the lock-free snapshot: runs on a reader's thread after a chunk's rows
     * were read and before its high watermark. Not an API: tests reach it through their {@code
     * TestHooks}.
     */
    Builder afterChunkRead(Consumer<Chunk> hook) {
      this.afterChunkRead = Objects.requireNonNull(hook, "afterChunkRead");
      return this;
    }

    /**
     * How the snapshot's rows are made consistent with the binlog (default {@link
     * SnapshotMethod#AUTO}: one point when the user may lock, else lock-free watermarks).
     */
    public Builder snapshotMethod(SnapshotMethod method) {
      once("snapshotMethod");
      this.snapshotMethod = Objects.requireNonNull(method, "snapshotMethod");
      return this;
    }

    /**
     * How long a snapshot at one point waits for {@code FLUSH TABLES WITH READ LOCK} (default 10 s,
     * whole seconds, at least 1). The lock waits for running statements, and writes queue behind it
     * meanwhile. When it is not granted in time, {@link SnapshotMethod#AUTO} takes the lock-free
     * snapshot and {@link SnapshotMethod#POINT} stops with a message.
     */
    public Builder snapshotLockTimeout(Duration timeout) {
      once("snapshotLockTimeout");
      Duration d = positive("snapshotLockTimeout", timeout);
      if (d.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new ConfigurationException("snapshotLockTimeout must be at least 1 s: " + d);
      }
      this.snapshotLockTimeout = d;
      return this;
    }

    /**
     * What to do when the binlog to resume from was purged (default {@link
     * PurgedBinlogPolicy#FAIL}): stop naming the gap, read the tables again ({@link
     * PurgedBinlogPolicy#RESNAPSHOT}), or go on from the current position with the changes in the
     * gap lost ({@link PurgedBinlogPolicy#SKIP_TO_CURRENT}). Checked at every start; a stream that
     * reconnects to a purged binlog stops, and the next start applies the policy.
     */
    public Builder onPurgedBinlog(PurgedBinlogPolicy policy) {
      once("onPurgedBinlog");
      this.onPurgedBinlog = Objects.requireNonNull(policy, "onPurgedBinlog");
      return this;
    }

    /**
     * TLS for the binlog stream and the JDBC connections (default {@link SslMode#PREFERRED}: TLS
     * when the server offers it, unverified). {@link SslMode#VERIFY_CA} and {@link
     * SslMode#VERIFY_IDENTITY} check the certificate against {@link #trustStore} (or the JVM's
     * default trust store).
     */
    public Builder sslMode(SslMode mode) {
      once("sslMode");
      this.sslMode = Objects.requireNonNull(mode, "sslMode");
      return this;
    }

    /**
     * The CA certificates that {@link SslMode#VERIFY_CA} and {@link SslMode#VERIFY_IDENTITY}
     * accept: a PKCS#12 file (or JKS, named {@code *.jks}), e.g. made with {@code keytool
     * -importcert -file ca.pem -keystore trust.p12}. Default: the JVM's trust store. The password
     * is never logged.
     */
    public Builder trustStore(Path path, String password) {
      once("trustStore");
      this.trustStore = Objects.requireNonNull(path, "trustStore");
      this.trustStorePassword = Objects.requireNonNull(password, "trustStore password");
      return this;
    }

    /** About how many rows one snapshot chunk holds (default 10,000). */
    public Builder snapshotChunkRows(int rows) {
      once("snapshotChunkRows");
      if (rows < 1) {
        throw new ConfigurationException("snapshotChunkRows must be positive: " + rows);
      }
      this.snapshotChunkRows = rows;
      return this;
    }

    /**
     * Called on the canal's thread after every finished snapshot chunk (default: none; the canal
     * also logs the progress every 10 s). What it throws stops the canal like a handler failure.
     */
    public Builder snapshotProgress(Consumer<SnapshotProgress> listener) {
      once("snapshotProgress");
      this.snapshotProgress = Objects.requireNonNull(listener, "snapshotProgress");
      return this;
    }

    private void checkTls() {
      String fromUrl = jdbcProperties.remove("sslMode");
      if (fromUrl != null) {
        if (set.contains("sslMode")) {
          throw new ConfigurationException(
              "sslMode is set twice, in jdbcUrl ("
                  + fromUrl
                  + ") and with sslMode("
                  + sslMode
                  + "): keep one");
        }
        try {
          sslMode = SslMode.valueOf(fromUrl.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(
              "jdbcUrl has sslMode="
                  + fromUrl
                  + "; use one of "
                  + Arrays.toString(SslMode.values()));
        }
      }
      for (String k : jdbcProperties.keySet()) {
        if (k.equalsIgnoreCase("useSSL")
            || k.equalsIgnoreCase("requireSSL")
            || k.startsWith("trustCertificateKeyStore")) {
          throw new ConfigurationException(
              "jdbcUrl sets "
                  + k
                  + ", which the binlog stream would not follow: drop it and set"
                  + " sslMode(...) and trustStore(...) on the builder, for both connections");
        }
      }
      if (trustStore != null && !sslMode.verifies()) {
        throw new ConfigurationException(
            "trustStore("
                + trustStore
                + ") checks the server's certificate, which sslMode("
                + sslMode
                + ") does not: set sslMode(VERIFY_CA) or sslMode(VERIFY_IDENTITY), or"
                + " drop trustStore");
      }
      if (trustStore != null) {
        TrustStores.load(trustStore, trustStorePassword); // fails naming why
      }
      if (snapshotReader == SnapshotReader.DUMP_TOOL
          && sslMode != SslMode.PREFERRED
          && sslMode != SslMode.DISABLED) {
        throw new ConfigurationException(
            "snapshotReader(DUMP_TOOL) runs mariadb-dump, which does not follow sslMode("
                + sslMode
                + "): use SnapshotReader.JDBC");
      }
    }

    private static Duration positive(String setting, Duration d) {
      Objects.requireNonNull(d, setting);
      if (d.isNegative() || d.isZero()) {
        throw new ConfigurationException(setting + " must be positive: " + d);
      }
      return d;
    }

    /**
     * Checks that the required settings are there and builds the canal.
     *
     * @throws ConfigurationException naming every missing required setting, or settings that do not
     *     go together
     */
    public Canal build() {
      if (snapshotReader == SnapshotReader.DUMP_TOOL && snapshotThreads > 1) {
        throw new ConfigurationException(
            "snapshotReader(DUMP_TOOL) reads with one process; drop snapshotThreads("
                + snapshotThreads
                + ") or use SnapshotReader.JDBC");
      }
      if (dumpTool != null && snapshotReader != SnapshotReader.DUMP_TOOL) {
        throw new ConfigurationException(
            "dumpTool("
                + dumpTool
                + ") is run only by snapshotReader(DUMP_TOOL), and the reader is "
                + snapshotReader
                + ": set snapshotReader(DUMP_TOOL) or drop dumpTool");
      }
      if (dumpTool != null && !(Files.isRegularFile(dumpTool) && Files.isExecutable(dumpTool))) {
        throw new ConfigurationException(
            "dumpTool("
                + dumpTool
                + ") is not an executable file: name a mariadb-dump or mysqldump (e.g. from"
                + " `apt-get install mariadb-client`), or drop dumpTool to use the one on the"
                + " PATH");
      }
      if (snapshotReader == SnapshotReader.DUMP_TOOL
          && snapshotMethod == SnapshotMethod.WATERMARKS) {
        throw new ConfigurationException(
            "snapshotReader(DUMP_TOOL) reads in one transaction and cannot use"
                + " snapshotMethod(WATERMARKS); use SnapshotReader.JDBC for a lock-free snapshot");
      }
      if (onPurgedBinlog == PurgedBinlogPolicy.RESNAPSHOT && snapshotMode == SnapshotMode.NEVER) {
        throw new ConfigurationException(
            "onPurgedBinlog(RESNAPSHOT) reads the tables again, which snapshotMode(NEVER) forbids;"
                + " use snapshotMode(INITIAL), or another onPurgedBinlog policy");
      }
      if (skipUnparseableDdl && schemaCache != null) {
        throw new ConfigurationException(
            "skipUnparseableDdl() applies to the default schema history only; with your own"
                + " schemaCache(...) decide there what happens to unparseable DDL, and drop"
                + " skipUnparseableDdl()");
      }
      checkTls();
      List<String> missing = new ArrayList<>();
      if (host == null) {
        missing.add("host (or jdbcUrl)");
      }
      if (user == null) {
        missing.add("user");
      }
      if (handler == null) {
        missing.add("handler");
      }
      if (!missing.isEmpty()) {
        throw new ConfigurationException(
            "canal " + name + " is missing required settings: " + String.join(", ", missing));
      }
      CanalConfig config =
          new CanalConfig(
              name,
              handler,
              new CanalConfig.Source(
                  host,
                  port,
                  user,
                  password,
                  serverId,
                  connectTimeout,
                  Map.copyOf(jdbcProperties),
                  sslMode,
                  trustStore,
                  trustStorePassword),
              new CanalConfig.Tables(List.copyOf(includes), List.copyOf(excludes)),
              new CanalConfig.Saving(
                  positionStore != null ? positionStore : PositionStore.inMemory(),
                  savePolicy,
                  manualCommit,
                  onPurgedBinlog),
              schemaCache,
              new CanalConfig.Stream(heartbeatInterval, allowPartialRowImages, skipUnparseableDdl),
              new CanalConfig.Reconnect(backoffInitial, backoffMax),
              new CanalConfig.Snapshot(
                  snapshotMode,
                  snapshotThreads,
                  snapshotChunkRows,
                  snapshotProgress,
                  snapshotReader,
                  snapshotMethod,
                  snapshotLockTimeout,
                  dumpTool,
                  afterChunkRead),
              zeroDates,
              threadFactory);
      return new Canal(config);
    }
  }
}
