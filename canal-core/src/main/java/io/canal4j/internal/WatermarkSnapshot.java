package io.canal4j.internal;

import io.canal4j.Row;
import io.canal4j.RowChange;
import io.canal4j.TransactionId;
import io.canal4j.dump.Chunk;
import io.canal4j.dump.TableReader;
import io.canal4j.error.CanalException;
import io.canal4j.error.ServerException;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.DdlTables;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.JdbcValues;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock-free snapshot: the DBLog algorithm (Andreakis and Papapanagiotou, Netflix, 2019) with
 * the server's own watermarks instead of writes to a watermark table, so it needs no privilege
 * beyond streaming and SELECT.
 *
 * <p>The binlog streams from the first position the whole time, every event delivered as usual.
 * Readers on their own threads read the chunks of the plan, each at its own moment, with no lock. A
 * chunk's rows are held back until the stream has passed the chunk's high watermark; then the rows
 * whose key the stream changed since the chunk's low watermark are dropped (the stream has
 * delivered their newer state, including deletes) and the rest are delivered: each is the row as it
 * is at that point of the stream, and the stream's later events follow it. A replica that applies
 * events in order ends equal to the source, and no row ever goes back in time.
 *
 * <p>Per chunk:
 *
 * <ul>
 *   <li><b>Low watermark</b>: the reader registers; from the stream's last transaction end on,
 *       every key the stream changes counts against the chunk. The read must see every transaction
 *       the stream has delivered by then, which the binlog alone does not promise (a transaction
 *       reaches the binlog, and the stream, before InnoDB commits it). On MySQL the reader waits
 *       until {@code gtid_executed} holds the stream's GTID set; on MariaDB it reads in a
 *       consistent snapshot whose exact binlog position must be at or after the stream's.
 *   <li><b>High watermark</b>: MySQL, {@code SHOW MASTER STATUS} after the read (every transaction
 *       the read saw is before it); MariaDB, the consistent snapshot's own position.
 * </ul>
 *
 * A DDL statement on the table between the two (or any change to a table without a primary key,
 * whose rows have no identity to drop by) makes the rows unusable: the chunk is read again.
 *
 * <p>Threads: {@link #register} and {@link #read} run on reader threads; everything else on the
 * canal's thread, inside the binlog read loop. The key log is guarded by {@code this}.
 */
final class WatermarkSnapshot {
  private static final Logger log = LoggerFactory.getLogger("io.canal4j.Canal");
  private static final int BATCH = Snapshotter.BATCH;
  private static final int MAX_ATTEMPTS = 20;
  private static final long VISIBLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
  private static final int ER_LOCK_DEADLOCK = 1213;
  private static final int ER_TABLE_DEF_CHANGED = 1412;
  private static final int ER_BAD_FIELD = 1054;
  private static final int ER_NO_SUCH_TABLE = 1146;

  /** A read that raced with DDL: its rows are not used, the chunk is read again. */
  private static final class StaleRead extends Exception {
    private static final long serialVersionUID = 1L;

    StaleRead(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * A test seam: runs on the reader's thread after a chunk's rows were read and before its high
   * watermark, so that a test can change rows in exactly that window.
   */
  static volatile java.util.function.Consumer<Chunk> afterRead;

  private final CanalConfig config;
  private final ServerInfo server;
  private final String prefix;
  private final String where;
  private final ConnectionFactory connections;
  private final SnapshotPlan plan;
  private final SaveTracker saves;
  private final Runnable onFinished;
  private final boolean zeroDatesAsText;
  private final Set<TableId> tables = new HashSet<>();
  private final SnapshotDelivery delivery;

  private final LinkedBlockingDeque<Work> todo = new LinkedBlockingDeque<>();
  private final BlockingQueue<Result> results;
  private final List<Thread> readers = new ArrayList<>();
  private final List<Connection> readerConnections = new ArrayList<>();
  private volatile boolean closed;
  private volatile Throwable readerFailure;
  private volatile BooleanSupplier streamIdle = () -> false;

  // The key log, guarded by this: what the stream changed, in stream order.
  private final ArrayList<Entry> keyLog = new ArrayList<>();
  private long logBase; // the sequence number of keyLog.get(0)
  private long boundarySeq; // the log's end at the stream's last transaction end
  private Position boundary; // the stream's last transaction end
  private int epoch; // one per binlog connection: a reconnect replays from the last end
  private final TreeMap<Long, Integer> active = new TreeMap<>(); // registered seqs still needed

  // Canal thread only.
  private final List<Result> waiting = new ArrayList<>();
  private final Map<TableSchema, int[]> keyColumns = new IdentityHashMap<>();
  private int remaining;
  private boolean finished;

  /** A chunk to read, and how often it was read before. */
  private record Work(Chunk chunk, int index, int attempts) {}

  /** What a reader got: the rows of a chunk between its watermarks. */
  private record Result(
      Work work, Registration low, TableSchema schema, List<Object[]> rows, Position high) {}

  private record Registration(long seq, Position position, int epoch) {}

  /** A change the stream delivered: a key of a table, or a mark (DDL, keyless row). */
  private record Entry(TableId table, Object key) {}

  private static final Object DDL = new Object();
  private static final Object KEYLESS = new Object();

  /** A primary-key value with value equality for every canonical type (byte[] too). */
  private static final class Key {
    private final Object[] values;
    private final int hash;

    Key(Object[] values) {
      this.values = values;
      this.hash = Arrays.deepHashCode(values);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && Arrays.deepEquals(values, k.values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * @param from where the stream starts; on MySQL it must carry the GTID set the stream resumes by
   * @param onFinished runs on the canal's thread once every chunk is delivered
   */
  WatermarkSnapshot(
      CanalConfig config,
      ServerInfo server,
      String prefix,
      String where,
      ConnectionFactory connections,
      SnapshotPlan plan,
      SaveTracker saves,
      Position from,
      Runnable onFinished) {
    this.config = config;
    this.server = server;
    this.prefix = prefix;
    this.where = where;
    this.connections = connections;
    this.plan = plan;
    this.saves = saves;
    this.onFinished = onFinished;
    this.zeroDatesAsText = config.zeroDates() == io.canal4j.ZeroDates.AS_TEXT;
    this.results = new ArrayBlockingQueue<>(config.snapshotThreads());
    this.delivery = new SnapshotDelivery(config, prefix, from);
    this.boundary = from;
    for (int i = 0; i < plan.chunks().size(); i++) {
      Chunk c = plan.chunks().get(i);
      tables.add(c.table());
      if (!plan.isDone(i)) {
        todo.add(new Work(c, i, 0));
        remaining++;
      }
    }
  }

  /**
   * Checks that this server can take a watermark snapshot.
   *
   * @throws ServerException naming the fix when it cannot
   */
  static void checkPossible(ServerInfo server, String where, String user) {
    if (server.flavor() == Flavor.MYSQL && !server.gtidMode()) {
      throw ServerException.permanent(
          "the lock-free (watermark) snapshot needs gtid_mode=ON on MySQL to know which"
              + " transactions a chunk read saw, and "
              + where
              + " runs without GTIDs. Enable GTIDs (gtid_mode=ON, enforce_gtid_consistency=ON),"
              + " or GRANT RELOAD ON *.* TO '"
              + user
              + "' and use snapshotMethod(POINT), which holds FLUSH TABLES WITH READ LOCK for a"
              + " moment",
          null);
    }
  }

  /**
   * Plans the chunks of every streamed table, lock-free.
   *
   * @throws ServerException naming them when streamed tables have no primary key: the stream may
   *     change such a table's rows before the snapshot delivers them, and without a key nobody can
   *     tell which row a change is about
   */
  static SnapshotPlan plan(
      ConnectionFactory connections, TableFilter filter, int chunkRows, String user)
      throws SQLException {
    InformationSchemaCache info = io.canal4j.schema.TableSchemaCache.informationSchema(connections);
    List<TableSchema> schemas = new ArrayList<>();
    List<TableId> keyless = new ArrayList<>();
    for (TableId id : info.tables()) {
      if (filter.test(id)) {
        TableSchema schema = info.load(id);
        schemas.add(schema);
        if (schema.primaryKey().isEmpty()) {
          keyless.add(id);
        }
      }
    }
    if (!keyless.isEmpty()) {
      throw ServerException.permanent(
          "the lock-free (watermark) snapshot needs a primary key on every table it reads, and "
              + keyless
              + " have none: the binlog may change their rows before the snapshot delivers them,"
              + " and without a key no one can tell which row a change is about. Add a primary"
              + " key, exclude the tables, or GRANT RELOAD ON *.* TO '"
              + user
              + "' and use snapshotMethod(POINT), which reads every table at one point",
          null);
    }
    List<Chunk> chunks = new ArrayList<>();
    try (Connection c = connections.open()) {
      JdbcValues.prepareSession(c);
      for (TableSchema schema : schemas) {
        chunks.addAll(TableReader.plan(c, schema, chunkRows));
      }
    }
    return new SnapshotPlan(chunks, new java.util.BitSet(), true);
  }

  /** The plan's text for the checkpoint; under manual commit without done chunks. */
  String planText() {
    return config.manualCommit() ? plan.undone().format() : plan.format();
  }

  /** Starts the readers. */
  void start() {
    delivery.start(plan.chunks().size(), plan.doneCount());
    log.info(
        "{}lock-free snapshot (watermarks): {} of {} chunk(s) to read with {} reader(s) while"
            + " streaming",
        prefix,
        remaining,
        plan.chunks().size(),
        config.snapshotThreads());
    int n = remaining == 0 ? 0 : config.snapshotThreads();
    for (int i = 0; i < n; i++) {
      Runnable loop = this::readerLoop;
      Thread t =
          config.threadFactory() != null
              ? config.threadFactory().newThread(loop)
              : new Thread(loop);
      t.setName("canal-" + config.name() + "-snapshot-" + i);
      t.setDaemon(true);
      readers.add(t);
      t.start();
    }
  }

  /** Whether every chunk was delivered. */
  boolean finished() {
    return finished;
  }

  /** How to tell that the binlog connection has nothing to read right now. */
  void streamIdle(BooleanSupplier idle) {
    this.streamIdle = idle;
  }

  /** Stops the readers (idempotent, from any thread). */
  void close() {
    closed = true;
    for (Thread t : readers) {
      t.interrupt();
    }
    synchronized (readerConnections) {
      for (Connection c : readerConnections) {
        try {
          c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
          log.debug("{}closing a snapshot reader: {}", prefix, e.toString());
        }
      }
    }
  }

  // ---------------------------------------------------------------- stream side (canal thread)

  /**
   * A new binlog connection streams from {@code from}. From the last transaction end (the usual
   * case) the keys of a transaction cut off are dropped, as it is read again; from anywhere else,
   * the chunks in flight count for nothing and are read again.
   */
  synchronized void sessionStarted(Position from) {
    if (from.equals(boundary)) {
      int keep = (int) (boundarySeq - logBase);
      if (keep < keyLog.size()) {
        keyLog.subList(keep, keyLog.size()).clear();
      }
      return;
    }
    epoch++;
    long end = logBase + keyLog.size(); // sequence numbers never repeat
    keyLog.clear();
    logBase = end;
    boundarySeq = end;
    boundary = from;
    active.clear();
  }

  /** Row changes the stream is about to deliver. */
  void rows(TableSchema schema, List<RowChange> changes) {
    if (finished || !tables.contains(schema.id())) {
      return;
    }
    int[] key = keyColumns.computeIfAbsent(schema, WatermarkSnapshot::keyColumns);
    TableId id = schema.id();
    synchronized (this) {
      for (RowChange c : changes) {
        if (key.length == 0) {
          keyLog.add(new Entry(id, KEYLESS));
          continue;
        }
        if (c.before() != null) {
          keyLog.add(new Entry(id, key(c.before(), key)));
        }
        if (c.after() != null) {
          keyLog.add(new Entry(id, key(c.after(), key)));
        }
      }
    }
  }

  /** A DDL statement the stream is about to deliver. */
  void ddl(String database, String sql) {
    if (finished) {
      return;
    }
    List<TableId> named;
    try {
      named = DdlTables.namedTables(database, sql);
    } catch (RuntimeException e) {
      named = List.of();
    }
    synchronized (this) {
      if (named.isEmpty()) {
        keyLog.add(new Entry(null, DDL)); // e.g. DROP DATABASE: counts against every table
      }
      for (TableId t : named) {
        keyLog.add(new Entry(t, DDL));
      }
    }
  }

  /**
   * The stream is between transactions: {@code committed} is the last transaction end, {@code
   * reached} the end of the last event. Delivers the chunks whose high watermark the stream has
   * passed; while chunks are being read and the connection has nothing to read, waits for them.
   *
   * @throws CanalException when a reader failed, or a chunk could not be read consistently
   */
  void boundary(Position committed, Position reached) {
    synchronized (this) {
      boundarySeq = logBase + keyLog.size();
      boundary = committed;
      if (active.isEmpty()) {
        keyLog.clear();
        logBase = boundarySeq;
      }
    }
    if (finished) {
      return;
    }
    try {
      while (true) {
        // Readers stop when the queue is full: memory holds at most 3 × threads chunks (being
        // read, queued, waiting for the stream).
        for (Result r;
            waiting.size() < config.snapshotThreads() && (r = results.poll()) != null; ) {
          waiting.add(r);
        }
        failIfReaderFailed();
        boolean behind = false;
        for (Iterator<Result> it = waiting.iterator(); it.hasNext(); ) {
          Result r = it.next();
          if (r.low.epoch != currentEpoch()) {
            it.remove();
            retry(r, "the binlog connection was re-opened");
          } else if (reached != null && r.high.compareTo(reached) <= 0) {
            it.remove();
            deliver(r, reached);
          } else {
            behind = true;
          }
        }
        if (remaining == 0) {
          finish(committed);
          return;
        }
        if (behind || waiting.size() >= config.snapshotThreads() || !streamIdle.getAsBoolean()) {
          return; // the stream must move on first
        }
        // Nothing to stream for the moment: wait for a reader instead of for the next heartbeat.
        Result r = results.poll(200, TimeUnit.MILLISECONDS);
        if (r == null) {
          return;
        }
        waiting.add(r);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized int currentEpoch() {
    return epoch;
  }

  private void failIfReaderFailed() {
    Throwable t = readerFailure;
    if (t == null) {
      return;
    }
    if (t instanceof CanalException e) {
      throw e;
    }
    if (t instanceof SQLException e) {
      throw ServerErrors.translate(e, where, config.user(), "reading a snapshot chunk");
    }
    throw new CanalException("a snapshot reader failed: " + t, t);
  }

  private void deliver(Result r, Position at) {
    Work w = r.work;
    Set<Key> changed = new HashSet<>();
    String stale = null;
    synchronized (this) {
      release(r.low.seq);
      for (long s = Math.max(r.low.seq, logBase); s < logBase + keyLog.size(); s++) {
        Entry e = keyLog.get((int) (s - logBase));
        if (e.table != null && !e.table.equals(w.chunk.table())) {
          continue;
        }
        if (e.key == DDL) {
          stale = "a DDL statement changed the table during the read";
          break;
        }
        if (e.key == KEYLESS) {
          stale = "the table has no primary key and was written to during the read";
          break;
        }
        changed.add((Key) e.key);
      }
      trim();
    }
    if (stale != null) {
      retry(r, stale);
      return;
    }
    if (r.schema == null) {
      log.warn(
          "{}table {} of the snapshot is gone; the stream has its DROP", prefix, w.chunk.table());
    } else {
      int[] key = keyColumns(r.schema);
      delivery.transaction(new TransactionId(null, at));
      List<Row> batch = new ArrayList<>(Math.min(BATCH, r.rows.size()));
      for (Object[] values : r.rows) {
        if (key.length > 0 && !changed.isEmpty() && changed.contains(key(values, key))) {
          continue; // the stream delivered this row's newer state
        }
        batch.add(new Row(r.schema, values, null));
        if (batch.size() == BATCH) {
          delivery.deliver(r.schema, batch);
          batch = new ArrayList<>(BATCH);
        }
      }
      delivery.deliver(r.schema, batch);
    }
    plan.markDone(w.index);
    remaining--;
    delivery.chunkDone();
  }

  private void retry(Result r, String why) {
    Work w = r.work;
    synchronized (this) {
      trim();
    }
    if (w.attempts + 1 >= MAX_ATTEMPTS) {
      throw ServerException.permanent(
          "the snapshot read chunk "
              + w.chunk.format()
              + " of "
              + w.chunk.table()
              + " "
              + MAX_ATTEMPTS
              + " times and could not use it once: "
              + why
              + ". "
              + (why.contains("primary key")
                  ? "Give the table a primary key, or"
                  : "Wait for the DDL to finish, or")
              + " take the snapshot with one point (snapshotMethod(POINT), which needs RELOAD)",
          null);
    }
    log.debug("{}reading chunk {} again: {}", prefix, w.chunk.format(), why);
    todo.addFirst(new Work(w.chunk, w.index, w.attempts + 1));
  }

  private void finish(Position committed) {
    finished = true;
    close();
    log.info(
        "{}snapshot done: {} rows in {} chunk(s) in {} s, without a lock; streaming goes on from {}",
        prefix,
        delivery.rows(),
        delivery.chunksRead(),
        delivery.seconds(),
        committed);
    saves.snapshotFinished(committed);
    saves.transactionEnd(committed, true); // onPosSynced(force), and a checkpoint without plan
    onFinished.run();
  }

  /** Forgets a registration; guarded by this. */
  private void release(long seq) {
    Integer n = active.get(seq);
    if (n != null) {
      if (n == 1) {
        active.remove(seq);
      } else {
        active.put(seq, n - 1);
      }
    }
  }

  /** Drops the log entries no registration needs; guarded by this. */
  private void trim() {
    long keep = active.isEmpty() ? boundarySeq : Math.min(active.firstKey(), boundarySeq);
    int drop = (int) Math.min(keyLog.size(), Math.max(0, keep - logBase));
    if (drop > 0) {
      keyLog.subList(0, drop).clear();
      logBase += drop;
    }
  }

  private static int[] keyColumns(TableSchema schema) {
    List<String> pk = schema.primaryKey();
    int[] idx = new int[pk.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = schema.indexOf(pk.get(i));
    }
    return idx;
  }

  private static Key key(Row row, int[] columns) {
    Object[] v = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      v[i] = row.get(columns[i]);
    }
    return new Key(v);
  }

  private static Key key(Object[] values, int[] columns) {
    Object[] v = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      v[i] = values[columns[i]];
    }
    return new Key(v);
  }

  // ---------------------------------------------------------------- reader side

  /** The low watermark: changes from the stream's last transaction end on count. */
  private synchronized Registration register() {
    active.merge(boundarySeq, 1, Integer::sum);
    return new Registration(boundarySeq, boundary, epoch);
  }

  private void readerLoop() {
    Connection c = null;
    try {
      c = connections.open();
      synchronized (readerConnections) {
        readerConnections.add(c);
      }
      JdbcValues.prepareSession(c);
      try (Statement s = c.createStatement()) {
        s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        s.execute("SET SESSION lock_wait_timeout = 60");
      }
      InformationSchemaCache info = new InformationSchemaCache(borrowed(c));
      while (!closed) {
        Work w = todo.poll(100, TimeUnit.MILLISECONDS);
        if (w == null) {
          continue;
        }
        Result r = read(c, info, w);
        if (r == null) {
          continue; // the read failed in a way worth another try; the chunk is queued again
        }
        while (!closed && !results.offer(r, 100, TimeUnit.MILLISECONDS)) {
          // the canal's thread delivers when the stream gets there
        }
      }
    } catch (InterruptedException e) {
      // closed
    } catch (Throwable t) {
      if (!closed) {
        readerFailure = t;
      }
    } finally {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // a reader aborted by close()
        }
      }
    }
  }

  /** Reads one chunk between its watermarks; null when it should be read again. */
  private Result read(Connection c, InformationSchemaCache info, Work w)
      throws SQLException, InterruptedException {
    Registration low = register();
    boolean ok = false;
    try {
      Result r =
          server.flavor() == Flavor.MYSQL
              ? readMysql(c, info, w, low)
              : readMariaDb(c, info, w, low);
      ok = true;
      return r;
    } catch (SQLException e) {
      int code = e.getErrorCode();
      boolean raced =
          code == ER_TABLE_DEF_CHANGED
              || code == ER_LOCK_WAIT_TIMEOUT
              || code == ER_LOCK_DEADLOCK
              || code == ER_BAD_FIELD
              || code == ER_NO_SUCH_TABLE;
      if (raced && w.attempts + 1 < MAX_ATTEMPTS) {
        log.debug("{}reading chunk {} again: {}", prefix, w.chunk.format(), e.getMessage());
        todo.addFirst(new Work(w.chunk, w.index, w.attempts + 1));
        return null;
      }
      throw e;
    } catch (StaleRead e) {
      if (w.attempts + 1 >= MAX_ATTEMPTS) {
        throw ServerException.permanent(
            "the snapshot read chunk "
                + w.chunk.format()
                + " of "
                + w.chunk.table()
                + " "
                + MAX_ATTEMPTS
                + " times, and each time "
                + e.getMessage()
                + ": wait for the DDL to finish, or take the snapshot at one point"
                + " (snapshotMethod(POINT), which needs RELOAD)",
            null);
      }
      log.debug("{}reading chunk {} again: {}", prefix, w.chunk.format(), e.getMessage());
      todo.addFirst(new Work(w.chunk, w.index, w.attempts + 1));
      return null;
    } finally {
      if (!ok) {
        synchronized (this) {
          release(low.seq);
        }
      }
    }
  }

  private Result readMysql(Connection c, InformationSchemaCache info, Work w, Registration low)
      throws SQLException, InterruptedException {
    GtidSet streamed = low.position.gtids();
    long deadline = System.nanoTime() + VISIBLE_WAIT_NANOS;
    for (long pause = 1; ; pause = Math.min(50, pause * 2)) {
      GtidSet executed;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_executed")) {
        rs.next();
        executed = GtidSet.parse(Flavor.MYSQL, rs.getString(1));
      }
      if (streamed == null || executed.containsAll(streamed)) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw ServerException.permanent(
            "gtid_executed on "
                + where
                + " did not reach the GTIDs the canal has streamed ("
                + streamed
                + ") within 30 s: the server wrote transactions to the binlog that it does not"
                + " commit",
            null);
      }
      TimeUnit.MILLISECONDS.sleep(pause); // a commit in flight finishes within milliseconds
    }
    TableSchema schema = load(info, w.chunk.table());
    List<Object[]> rows = readRows(c, schema, w.chunk);
    testSeam(w.chunk);
    Position high = ServerProbe.currentPosition(c, server, where);
    return new Result(w, low, schema, rows, high);
  }

  private Result readMariaDb(Connection c, InformationSchemaCache info, Work w, Registration low)
      throws SQLException, InterruptedException, StaleRead {
    // information_schema shows today's tables, not the snapshot's: the table is loaded before the
    // snapshot and again after it, and a change in between (DDL that MariaDB binlogs only once it
    // is done) discards the read.
    TableSchema schema = load(info, w.chunk.table());
    long deadline = System.nanoTime() + VISIBLE_WAIT_NANOS;
    for (long pause = 1; ; pause = Math.min(50, pause * 2)) {
      try (Statement s = c.createStatement()) {
        s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
      }
      Position point = snapshotPosition(c);
      if (point.compareTo(low.position) >= 0) {
        try {
          List<Object[]> rows = readRows(c, schema, w.chunk);
          commit(c);
          testSeam(w.chunk);
          if (!java.util.Objects.equals(schema, load(info, w.chunk.table()))) {
            throw new StaleRead("the table changed during the read");
          }
          return new Result(w, low, schema, rows, point);
        } finally {
          commit(c); // ends the snapshot and its table locks
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("ROLLBACK");
      }
      if (System.nanoTime() > deadline) {
        throw ServerException.permanent(
            "the consistent snapshots on "
                + where
                + " stayed before the binlog position the canal has streamed ("
                + low.position
                + ") for 30 s",
            null);
      }
      TimeUnit.MILLISECONDS.sleep(pause); // a commit in flight finishes within milliseconds
    }
  }

  private static void commit(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("COMMIT");
    }
  }

  private Position snapshotPosition(Connection c) throws SQLException {
    String file = null;
    long offset = -1;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
      while (rs.next()) {
        switch (rs.getString(1).toLowerCase(Locale.ROOT)) {
          case "binlog_snapshot_file" -> file = rs.getString(2);
          case "binlog_snapshot_position" -> offset = rs.getLong(2);
          default -> {}
        }
      }
    }
    if (file == null || file.isEmpty() || offset < 0) {
      throw ServerException.permanent(
          "the server at "
              + where
              + " does not report binlog_snapshot_file/position for a consistent snapshot",
          null);
    }
    return Position.of(server.flavor(), file, offset);
  }

  private static void testSeam(Chunk chunk) {
    java.util.function.Consumer<Chunk> seam = afterRead;
    if (seam != null) {
      seam.accept(chunk);
    }
  }

  private static TableSchema load(InformationSchemaCache info, TableId id) {
    try {
      return info.load(id);
    } catch (io.canal4j.error.SchemaException e) {
      return null; // dropped: the stream has its DROP
    }
  }

  private List<Object[]> readRows(Connection c, TableSchema schema, Chunk chunk)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    if (schema == null) {
      return rows;
    }
    TableReader.read(
        c,
        schema,
        chunk,
        zeroDatesAsText,
        values -> {
          if (closed) {
            throw new SQLException("the canal is stopping");
          }
          rows.add(values);
        });
    return rows;
  }

  /** The reader's own connection for information_schema reads, left open by their close(). */
  private static ConnectionFactory borrowed(Connection c) {
    Connection view =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("close")) {
                    return null;
                  }
                  try {
                    return method.invoke(c, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return () -> view;
  }
}
