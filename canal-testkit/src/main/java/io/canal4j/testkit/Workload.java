package io.canal4j.testkit;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes seeded random transactions into tables of a standard shape, so a CDC test has realistic
 * traffic (multi-statement transactions across tables, inserts, updates and deletes, NULLs,
 * non-ASCII text) and a failure can be replayed exactly.
 *
 * <p>The seed is logged at INFO ({@code workload seed=...}); it defaults to the system property
 * {@value #SEED_PROPERTY}, else {@code System.nanoTime()}. Given the seed and the tables' starting
 * content, the statements and values are deterministic, and so are the {@link #counts()}: the
 * workload chooses rows to update and delete from the ids it has seen, never from server state.
 * Other writers must therefore leave its tables alone.
 *
 * <pre>{@code
 * Workload workload = Workload.builder(db).seed(42).build();
 * workload.runTransactions(100);       // or start() ... stop() for a background writer
 * }</pre>
 *
 * <p>One transaction runs at a time; {@link #runTransactions(int)} and {@link #start()} cannot
 * overlap.
 *
 * <p>For fault tests the workload can also change primary keys ({@link Builder#keyUpdates}), alter
 * its tables now and then ({@link Builder#ddlEvery}) and ride out a server that goes away ({@link
 * Builder#surviveOutages}). A transaction whose commit fails with the connection leaves the
 * workload unsure whether it committed: after such an outage it reloads the ids from the tables, so
 * the statements stay valid, but they are no longer deterministic, and {@link #counts()} counts
 * only the commits the server confirmed.
 *
 * <p>Size: the test kit's workload generator, one builder and one writer loop with its fault-mode
 * options; tests read it as a whole.
 */
public final class Workload implements AutoCloseable {
  /** System property holding the default seed, for replaying a failed run. */
  public static final String SEED_PROPERTY = "canal4j.test.seed";

  /** The tables used unless {@link Builder#tables(List)} says otherwise. */
  public static final List<String> DEFAULT_TABLES = List.of("workload_a", "workload_b");

  private static final Logger log = LoggerFactory.getLogger(Workload.class);
  private static final LocalDateTime EPOCH = LocalDateTime.of(2020, 1, 1, 0, 0);
  private static final long SPAN_MICROS = 5L * 366 * 24 * 3600 * 1_000_000;
  private static final String[] TEXT =
      ("a b c d e f g h i j k l m n o p q r s t u v w x y z A B C D E F 0 1 2 3 4 5 6 7 8 9 _ -"
              + " é ß ñ ø 中 文 😀")
          .split(" ");

  /** What a workload has committed so far. */
  public record Counts(long transactions, long inserted, long updated, long deleted) {
    /** Rows inserted, updated and deleted. */
    public long rowChanges() {
      return inserted + updated + deleted;
    }
  }

  private final ConnectionSupplier connections;
  private final String database;
  private final long seed;
  private final List<String> tables;
  private final boolean createTables;
  private final int minStatements;
  private final int maxStatements;
  private final int[] weights; // insert, update, delete, key update
  private final int ddlEvery; // a DDL after every n transactions; 0: none
  private final Duration outageLimit; // null: the first failure ends the workload
  private final long intervalNanos; // between transaction starts in the background; 0: none
  private final String prefix;

  private final Object runLock = new Object();
  private final Random random; // guarded by runLock
  private final Map<String, TableState> states = new LinkedHashMap<>(); // guarded by runLock
  private Connection connection; // guarded by runLock
  private boolean broken; // guarded by runLock
  private int sinceDdl; // transactions since the last DDL; guarded by runLock
  private volatile Counts counts = new Counts(0, 0, 0, 0);
  private volatile long ddlStatements;
  private volatile long outages;

  private Thread thread; // guarded by this
  private volatile boolean stopRequested;
  private volatile Throwable failure;

  private Workload(Builder b) {
    this.connections = b.connections;
    this.database = b.database;
    this.seed = b.seed != null ? b.seed : Long.getLong(SEED_PROPERTY, System.nanoTime());
    this.tables = b.tables != null ? b.tables : DEFAULT_TABLES;
    this.createTables = b.createTables == null || b.createTables;
    this.minStatements = b.minStatements != null ? b.minStatements : 1;
    this.maxStatements = b.maxStatements != null ? b.maxStatements : 5;
    int[] mix = b.weights != null ? b.weights : new int[] {50, 35, 15};
    this.weights = new int[] {mix[0], mix[1], mix[2], b.keyUpdates != null ? b.keyUpdates : 0};
    this.ddlEvery = b.ddlEvery != null ? b.ddlEvery : 0;
    this.outageLimit = b.outageLimit;
    this.intervalNanos = b.perSecond == null ? 0 : 1_000_000_000L / b.perSecond;
    this.random = new Random(seed);
    this.prefix = "workload " + (database != null ? database : "") + "#" + Long.toHexString(seed);
    log.info(
        "[{}] workload seed={} tables={} (replay with -D{}={})",
        prefix,
        seed,
        tables,
        SEED_PROPERTY,
        seed);
  }

  /** A workload on the tables of a test database. */
  public static Builder builder(TestDatabase database) {
    return new Builder(database::connect, database.name());
  }

  /** A workload on the tables of {@code database} on {@code server}. */
  public static Builder builder(SandboxServer server, String database) {
    Objects.requireNonNull(server, "server");
    return new Builder(server::connect, Objects.requireNonNull(database, "database"));
  }

  /**
   * A workload over connections from {@code connections}, switched to {@code database} (or left on
   * their default database if it is {@code null}).
   */
  public static Builder builder(ConnectionSupplier connections, String database) {
    return new Builder(Objects.requireNonNull(connections, "connections"), database);
  }

  /**
   * Creates a table of the workload's shape if it does not exist: {@code id BIGINT PRIMARY KEY, k
   * INT NOT NULL, v VARCHAR(64), amount DECIMAL(12,2), updated DATETIME(6)}, in utf8mb4.
   */
  public static void createStandardTable(Connection connection, String table) throws SQLException {
    Sql.execute(
        connection,
        "CREATE TABLE IF NOT EXISTS "
            + Sql.quoteName(table)
            + " (id BIGINT PRIMARY KEY, k INT NOT NULL, v VARCHAR(64), amount DECIMAL(12,2),"
            + " updated DATETIME(6)) DEFAULT CHARSET=utf8mb4");
  }

  /** The seed; pass it as {@code -Dcanal4j.test.seed} to replay. */
  public long seed() {
    return seed;
  }

  /** The tables written. */
  public List<String> tables() {
    return tables;
  }

  /** What has been committed so far. */
  public Counts counts() {
    return counts;
  }

  /** The DDL statements run so far ({@link Builder#ddlEvery}). */
  public long ddlStatements() {
    return ddlStatements;
  }

  /** The outages ridden out so far ({@link Builder#surviveOutages}). */
  public long outages() {
    return outages;
  }

  /**
   * Whether the background thread is running; it ends on {@link #stop()} or on a failure, which
   * {@link #stop()} then rethrows.
   */
  public synchronized boolean isRunning() {
    return thread != null && thread.isAlive();
  }

  /**
   * Commits {@code n} transactions on the calling thread.
   *
   * @throws IllegalStateException if the workload runs in the background, or failed before
   */
  public void runTransactions(int n) throws SQLException {
    synchronized (this) {
      if (thread != null) {
        throw new IllegalStateException("[" + prefix + "] is running in the background");
      }
    }
    for (int i = 0; i < n; i++) {
      runOne();
    }
  }

  /**
   * Runs transactions back to back on a new thread ({@code canal-workload-...}) until {@link
   * #stop()}.
   */
  public synchronized Workload start() {
    if (thread != null) {
      throw new IllegalStateException("[" + prefix + "] is already running");
    }
    stopRequested = false;
    thread = new Thread(this::runUntilStopped, "canal-workload-" + Long.toHexString(seed));
    thread.setDaemon(true);
    thread.start();
    log.info("[{}] started in the background", prefix);
    return this;
  }

  /**
   * Stops the background thread after its current transaction and waits for it. Does nothing if not
   * started.
   *
   * @throws IllegalStateException (or the original unchecked exception) if the background thread
   *     failed; the message names the seed
   */
  public void stop() {
    Thread running;
    synchronized (this) {
      running = thread;
    }
    if (running == null) {
      return;
    }
    stopRequested = true;
    try {
      running.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("[" + prefix + "] interrupted while stopping", e);
    }
    synchronized (this) {
      thread = null;
    }
    log.info("[{}] stopped: {}", prefix, counts);
    Throwable error = failure;
    failure = null;
    if (error instanceof RuntimeException r) {
      throw r;
    } else if (error instanceof Error e) {
      throw e;
    } else if (error != null) {
      throw new IllegalStateException(
          "[" + prefix + "] failed; replay with -D" + SEED_PROPERTY + "=" + seed, error);
    }
  }

  /** {@link #stop()} and closes the connection. */
  @Override
  public void close() {
    try {
      stop();
    } finally {
      synchronized (runLock) {
        closeConnection();
      }
    }
  }

  @Override
  public String toString() {
    return prefix + " " + counts;
  }

  private void runUntilStopped() {
    try {
      long next = System.nanoTime();
      while (!stopRequested) {
        runSurviving(this::runOne);
        if (intervalNanos > 0) {
          next += intervalNanos;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait); // the rate, not a wait for
          } else if (wait < -1_000_000_000L) {
            next = System.nanoTime(); // fell a second behind: no burst to catch up
          }
        }
      }
      if (ddlEvery > 0) {
        runSurviving(this::restoreStandardShape);
      }
    } catch (Throwable t) {
      failure = t;
      log.error("[{}] failed; replay with -D{}={}", prefix, SEED_PROPERTY, seed, t);
    } finally {
      synchronized (runLock) {
        closeConnection();
      }
    }
  }

  private interface Step {
    void run() throws SQLException;
  }

  /**
   * Runs a step; with {@link Builder#surviveOutages}, a failure (an outage) is followed by tries to
   * reconnect, with the ids reloaded from the tables, until the step succeeds or the outage has
   * lasted longer than the limit.
   */
  private void runSurviving(Step step) throws SQLException {
    if (outageLimit == null) {
      step.run();
      return;
    }
    long deadline = 0;
    long pauseMillis = 50;
    while (true) {
      try {
        step.run();
        return;
      } catch (SQLException e) {
        long now = System.nanoTime();
        if (deadline == 0) {
          deadline = now + outageLimit.toNanos();
          outages++;
          log.info(
              "[{}] outage ({}); reconnecting for up to {}", prefix, e.toString(), outageLimit);
        } else if (now - deadline > 0) {
          throw e;
        }
        synchronized (runLock) {
          closeConnection();
          broken = false;
          states.clear(); // reloaded from the tables: the last commit may or may not have happened
        }
        // The pace of reconnection tries, not a wait for a condition.
        LockSupport.parkNanos(pauseMillis * 1_000_000L);
        pauseMillis = Math.min(pauseMillis * 2, 1_000);
      }
    }
  }

  private void runOne() throws SQLException {
    synchronized (runLock) {
      if (broken) {
        throw new IllegalStateException("[" + prefix + "] failed earlier; its state is unknown");
      }
      try {
        Connection c = connection();
        if (ddlEvery > 0 && sinceDdl >= ddlEvery) {
          alterRandomTable(c);
          sinceDdl = 0;
          return;
        }
        int statements = minStatements + random.nextInt(maxStatements - minStatements + 1);
        long inserted = 0;
        long updated = 0;
        long deleted = 0;
        for (int i = 0; i < statements; i++) {
          TableState table = states.get(tables.get(random.nextInt(tables.size())));
          int op = pickOperation();
          if (op != 0 && table.isEmpty()) {
            op = 0;
          }
          switch (op) {
            case 0 -> {
              insert(c, table);
              inserted++;
            }
            case 1 -> {
              update(c, table);
              updated++;
            }
            case 3 -> {
              updateKey(c, table);
              updated++;
            }
            default -> {
              delete(c, table);
              deleted++;
            }
          }
        }
        c.commit();
        sinceDdl++;
        Counts before = counts;
        counts =
            new Counts(
                before.transactions + 1,
                before.inserted + inserted,
                before.updated + updated,
                before.deleted + deleted);
      } catch (SQLException | RuntimeException e) {
        broken = true;
        closeConnection(); // rolls back
        throw e;
      }
    }
  }

  private int pickOperation() {
    int r = random.nextInt(weights[0] + weights[1] + weights[2] + weights[3]);
    if (r < weights[0]) {
      return 0;
    } else if (r < weights[0] + weights[1]) {
      return 1;
    } else if (r < weights[0] + weights[1] + weights[2]) {
      return 2;
    }
    return 3;
  }

  /**
   * Adds the nullable column {@code extra INT} after {@code k} to a random table, or drops it where
   * it is: later row images then have another shape, which a consumer must follow.
   */
  private void alterRandomTable(Connection c) throws SQLException {
    TableState table = states.get(tables.get(random.nextInt(tables.size())));
    String ddl =
        table.hasExtra
            ? "ALTER TABLE " + table.quoted + " DROP COLUMN extra"
            : "ALTER TABLE " + table.quoted + " ADD COLUMN extra INT NULL AFTER k";
    try (Statement s = c.createStatement()) {
      s.execute(ddl); // commits by itself
    }
    table.hasExtra = !table.hasExtra;
    ddlStatements++;
  }

  /** Drops the column {@link #alterRandomTable} may have left, so the tables end as they began. */
  private void restoreStandardShape() throws SQLException {
    synchronized (runLock) {
      Connection c = connection();
      for (TableState table : states.values()) {
        if (table.hasExtra) {
          try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + table.quoted + " DROP COLUMN extra");
          }
          table.hasExtra = false;
          ddlStatements++;
        }
      }
    }
  }

  private void insert(Connection c, TableState table) throws SQLException {
    long id = table.nextId++;
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO "
                + table.quoted
                + " (id, k, v, amount, updated) VALUES (?, ?, ?, ?, ?)")) {
      s.setLong(1, id);
      bindValues(s, 2);
      expectOneRow(s.executeUpdate(), table, id);
    }
    table.add(id);
  }

  private void update(Connection c, TableState table) throws SQLException {
    long id = table.pick(random);
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE " + table.quoted + " SET k = ?, v = ?, amount = ?, updated = ? WHERE id = ?")) {
      bindValues(s, 1);
      s.setLong(5, id);
      expectOneRow(s.executeUpdate(), table, id);
    }
  }

  /** Moves a random row to a new primary key (and new values). */
  private void updateKey(Connection c, TableState table) throws SQLException {
    long id = table.removeRandom(random);
    long newId = table.nextId++;
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE "
                + table.quoted
                + " SET id = ?, k = ?, v = ?, amount = ?, updated = ? WHERE id = ?")) {
      s.setLong(1, newId);
      bindValues(s, 2);
      s.setLong(6, id);
      expectOneRow(s.executeUpdate(), table, id);
    }
    table.add(newId);
  }

  private void delete(Connection c, TableState table) throws SQLException {
    long id = table.removeRandom(random);
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM " + table.quoted + " WHERE id = ?")) {
      s.setLong(1, id);
      expectOneRow(s.executeUpdate(), table, id);
    }
  }

  /** Binds k, v, amount, updated from the random sequence, in this fixed order. */
  private void bindValues(PreparedStatement s, int first) throws SQLException {
    s.setInt(first, random.nextInt(1_000_000));
    if (random.nextInt(10) == 0) {
      s.setNull(first + 1, Types.VARCHAR);
    } else {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(25); n > 0; n--) {
        text.append(TEXT[random.nextInt(TEXT.length)]);
      }
      s.setString(first + 1, text.toString());
    }
    if (random.nextInt(10) == 0) {
      s.setNull(first + 2, Types.DECIMAL);
    } else {
      s.setBigDecimal(first + 2, BigDecimal.valueOf(random.nextLong() % 100_000_000_000L, 2));
    }
    long micros = Math.floorMod(random.nextLong(), SPAN_MICROS);
    s.setObject(first + 3, EPOCH.plus(micros, ChronoUnit.MICROS));
  }

  private void expectOneRow(int affected, TableState table, long id) {
    if (affected != 1) {
      throw new IllegalStateException(
          "["
              + prefix
              + "] row id="
              + id
              + " of "
              + table.quoted
              + " changed behind the"
              + " workload's back ("
              + affected
              + " rows affected)");
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = connections.get();
      try {
        if (database != null) {
          c.setCatalog(database);
        }
        c.setAutoCommit(true);
        if (states.isEmpty()) {
          for (String table : tables) {
            if (createTables) {
              createStandardTable(c, table);
            }
            states.put(table, TableState.load(c, table));
          }
        }
        c.setAutoCommit(false);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close(); // an open transaction is rolled back
      } catch (SQLException e) {
        log.debug("[{}] closing connection: {}", prefix, e.toString());
      }
      connection = null;
    }
  }

  /** The ids the workload believes a table holds; O(1) random pick and removal. */
  private static final class TableState {
    final String quoted;
    long nextId = 1;
    boolean hasExtra; // the column alterRandomTable adds
    private final List<Long> ids = new ArrayList<>();
    private final Map<Long, Integer> positions = new HashMap<>();

    private TableState(String quoted) {
      this.quoted = quoted;
    }

    static TableState load(Connection c, String table) throws SQLException {
      TableState state = new TableState(Sql.quoteName(table));
      try (Statement s = c.createStatement();
          ResultSet rows = s.executeQuery("SELECT id FROM " + state.quoted + " ORDER BY id")) {
        while (rows.next()) {
          state.add(rows.getLong(1));
          state.nextId = rows.getLong(1) + 1;
        }
      }
      try (Statement s = c.createStatement();
          ResultSet rows = s.executeQuery("SHOW COLUMNS FROM " + state.quoted + " LIKE 'extra'")) {
        state.hasExtra = rows.next();
      }
      return state;
    }

    boolean isEmpty() {
      return ids.isEmpty();
    }

    void add(long id) {
      positions.put(id, ids.size());
      ids.add(id);
    }

    long pick(Random random) {
      return ids.get(random.nextInt(ids.size()));
    }

    long removeRandom(Random random) {
      int position = random.nextInt(ids.size());
      long id = ids.get(position);
      long last = ids.remove(ids.size() - 1);
      if (last != id) {
        ids.set(position, last);
        positions.put(last, position);
      }
      positions.remove(id);
      return id;
    }
  }

  /** Configures a {@link Workload}; each setting may be given once. */
  public static final class Builder {
    private final ConnectionSupplier connections;
    private final String database;
    private Long seed;
    private List<String> tables;
    private Boolean createTables;
    private Integer minStatements;
    private Integer maxStatements;
    private int[] weights;
    private Integer keyUpdates;
    private Integer ddlEvery;
    private Duration outageLimit;
    private Integer perSecond;

    private Builder(ConnectionSupplier connections, String database) {
      this.connections = connections;
      this.database = database;
    }

    /** The random seed; default {@value Workload#SEED_PROPERTY} or {@code System.nanoTime()}. */
    public Builder seed(long seed) {
      requireUnset(this.seed, "seed");
      this.seed = seed;
      return this;
    }

    /** The tables to write; default {@link Workload#DEFAULT_TABLES}. */
    public Builder tables(List<String> tables) {
      requireUnset(this.tables, "tables");
      if (tables.isEmpty()) {
        throw new IllegalArgumentException("tables must not be empty");
      }
      if (new LinkedHashSet<>(tables).size() != tables.size()) {
        throw new IllegalArgumentException("tables must be distinct: " + tables);
      }
      tables.forEach(t -> Objects.requireNonNull(t, "table"));
      this.tables = List.copyOf(tables);
      return this;
    }

    /** {@link #tables(List)} from varargs. */
    public Builder tables(String... tables) {
      return tables(List.of(tables));
    }

    /**
     * Whether missing tables are created with {@link #createStandardTable}; default {@code true}.
     * Existing tables must have that shape (extra nullable columns are fine).
     */
    public Builder createTables(boolean create) {
      requireUnset(createTables, "createTables");
      this.createTables = create;
      return this;
    }

    /** Statements per transaction, uniformly in {@code [min, max]}; default 1 to 5. */
    public Builder statementsPerTransaction(int min, int max) {
      requireUnset(minStatements, "statementsPerTransaction");
      if (min < 1 || max < min) {
        throw new IllegalArgumentException("need 1 <= min <= max: " + min + ", " + max);
      }
      this.minStatements = min;
      this.maxStatements = max;
      return this;
    }

    /**
     * Relative weights of inserts, updates and deletes; default 50:35:15. An update or delete on an
     * empty table becomes an insert.
     */
    public Builder mix(int inserts, int updates, int deletes) {
      requireUnset(weights, "mix");
      if (inserts < 0 || updates < 0 || deletes < 0 || inserts + updates + deletes == 0) {
        throw new IllegalArgumentException("weights must be >= 0 with a positive sum");
      }
      this.weights = new int[] {inserts, updates, deletes};
      return this;
    }

    /**
     * The weight of primary-key updates ({@code UPDATE ... SET id = <new id>}), relative to the
     * {@link #mix} weights; default 0.
     */
    public Builder keyUpdates(int weight) {
      requireUnset(keyUpdates, "keyUpdates");
      if (weight < 0) {
        throw new IllegalArgumentException("weight must be >= 0: " + weight);
      }
      this.keyUpdates = weight;
      return this;
    }

    /**
     * After every {@code transactions} transactions, one DDL statement instead of a transaction: it
     * adds the nullable column {@code extra INT} after {@code k} to a random table, or drops it
     * again. A workload that {@link Workload#stop() stops} drops the column wherever it is left, so
     * the tables end in the standard shape. Default: no DDL.
     */
    public Builder ddlEvery(int transactions) {
      requireUnset(ddlEvery, "ddlEvery");
      if (transactions < 1) {
        throw new IllegalArgumentException("transactions must be positive: " + transactions);
      }
      this.ddlEvery = transactions;
      return this;
    }

    /**
     * Rides out a server that goes away (killed, restarted, failed over behind the connection
     * supplier) for up to {@code limit} per outage: the background workload reconnects and goes on
     * instead of ending with the first failure. Default: the first failure ends it.
     */
    public Builder surviveOutages(Duration limit) {
      requireUnset(outageLimit, "surviveOutages");
      if (limit.isNegative() || limit.isZero()) {
        throw new IllegalArgumentException("limit must be positive: " + limit);
      }
      this.outageLimit = limit;
      return this;
    }

    /**
     * At most this many transactions a second in the background ({@link Workload#start()});
     * default: as fast as the server takes them. A consumer that applies every change (a replica)
     * is slower than the writer, so tests that need the consumer to keep up cap the rate.
     */
    public Builder transactionsPerSecond(int perSecond) {
      requireUnset(this.perSecond, "transactionsPerSecond");
      if (perSecond < 1) {
        throw new IllegalArgumentException("transactionsPerSecond must be positive: " + perSecond);
      }
      this.perSecond = perSecond;
      return this;
    }

    /** The workload; no connection is opened until it first runs. */
    public Workload build() {
      return new Workload(this);
    }

    private static void requireUnset(Object value, String setting) {
      if (value != null) {
        throw new IllegalStateException(setting + " is already set");
      }
    }
  }
}
