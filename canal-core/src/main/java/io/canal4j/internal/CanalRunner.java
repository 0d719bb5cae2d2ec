package io.canal4j.internal;

import io.canal4j.CanalState;
import io.canal4j.Checkpoint;
import io.canal4j.Committer;
import io.canal4j.SnapshotMethod;
import io.canal4j.SnapshotMode;
import io.canal4j.SnapshotReader;
import io.canal4j.ZeroDates;
import io.canal4j.dump.SnapshotSession;
import io.canal4j.error.CanalException;
import io.canal4j.error.ConfigurationException;
import io.canal4j.error.HandlerException;
import io.canal4j.error.ServerException;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.internal.config.TrustStores;
import io.canal4j.internal.save.SaveTracker;
import io.canal4j.internal.save.SnapshotPlan;
import io.canal4j.internal.server.BinlogRetention;
import io.canal4j.internal.server.ServerErrors;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.server.ServerProbe;
import io.canal4j.internal.server.TlsErrors;
import io.canal4j.internal.snapshot.Snapshotter;
import io.canal4j.internal.stream.BinlogSession;
import io.canal4j.internal.stream.EventDispatcher;
import io.canal4j.internal.watermark.WatermarkSnapshot;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchemaCache;
import io.canal4j.schema.internal.SchemaHistoryCache;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The canal's thread: checks the server, decides where to start, streams, reconnects after
 * transient faults, and stops gracefully or on the first permanent failure.
 *
 * <p>States move only forward ({@code NEW -> STARTING -> RUNNING -> STOPPING -> STOPPED}, or to
 * {@code FAILED}), by compare-and-set, each transition logged once.
 */
public final class CanalRunner {
  private static final Logger log = LoggerFactory.getLogger("io.canal4j.Canal");

  private final CanalConfig config;
  private final String prefix;
  private final String where;
  private final AtomicReference<CanalState> state = new AtomicReference<>(CanalState.NEW);
  private final CompletableFuture<Void> termination = new CompletableFuture<>();
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final SaveTracker saves;
  private boolean snapshotted;
  private static final int ER_TABLE_DEF_CHANGED = 1412;
  private static final int ER_LOCK_WAIT_TIMEOUT = 1205;

  /**
   * Unknown column: MariaDB's answer to a snapshot read, at the snapshot's point, of a table that
   * lost a column since (MySQL says {@link #ER_TABLE_DEF_CHANGED}); the canal names the columns.
   */
  private static final int ER_BAD_FIELD = 1054;

  private volatile Thread thread;
  private volatile BinlogSession session;
  private volatile EventDispatcher dispatcher;
  private volatile WatermarkSnapshot watermark; // a lock-free snapshot to run with the stream

  public CanalRunner(CanalConfig config) {
    this.config = config;
    this.prefix = "[" + config.name() + "] ";
    this.where = config.host() + ":" + config.port();
    this.saves =
        new SaveTracker(
            config.handler(), config.positionStore(), config.savePolicy(), config.manualCommit());
  }

  public String name() {
    return config.name();
  }

  public CanalState state() {
    return state.get();
  }

  public CompletableFuture<Void> termination() {
    return termination.copy(); // callers cannot complete or cancel the canal's own future
  }

  public Committer committer() {
    return saves::acknowledge;
  }

  public Position position() {
    EventDispatcher d = dispatcher;
    return d == null ? null : d.committed();
  }

  public void start() {
    if (!transition(CanalState.NEW, CanalState.STARTING)) {
      throw new IllegalStateException(
          "canal " + config.name() + " was already started (state " + state.get() + ")");
    }
    log.info("{}starting: {}", prefix, config);
    Thread t =
        config.threadFactory() != null
            ? config.threadFactory().newThread(this::run)
            : new Thread(this::run, "canal-" + config.name());
    thread = t;
    t.start();
  }

  public void close() {
    if (transition(CanalState.NEW, CanalState.STOPPED)) {
      termination.complete(null);
      return;
    }
    // The stop is in force before STOPPING is visible: whoever sees STOPPING (a handler waiting for
    // it, say) can rely on nothing after the event in hand being delivered.
    CanalState before = state.get();
    if (before == CanalState.STARTING || before == CanalState.RUNNING) {
      log.info("{}closing", prefix);
    }
    stopSignal.countDown();
    EventDispatcher d = dispatcher;
    if (d != null) {
      d.stop();
    }
    if (!transition(CanalState.STARTING, CanalState.STOPPING)) {
      transition(CanalState.RUNNING, CanalState.STOPPING);
    }
    if (Thread.currentThread() == thread) {
      BinlogSession s = session;
      if (s != null) {
        s.disconnect(); // the read loop ends after the handler returns
      }
      return;
    }
    BinlogSession s = session;
    if (s != null) {
      s.disconnect();
    }
    try {
      termination.handle((v, e) -> null).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e); // handle() never completes exceptionally
    }
  }

  private boolean transition(CanalState from, CanalState to) {
    if (state.compareAndSet(from, to)) {
      log.info("{}{} -> {}", prefix, from, to);
      return true;
    }
    return false;
  }

  private boolean stopRequested() {
    return stopSignal.getCount() == 0;
  }

  private void run() {
    try {
      stream();
      saves.save(true);
      // stream() also returns on its own: SNAPSHOT_ONLY is done, or nothing was left to do.
      if (!transition(CanalState.RUNNING, CanalState.STOPPING)) {
        transition(CanalState.STARTING, CanalState.STOPPING);
      }
      transition(CanalState.STOPPING, CanalState.STOPPED);
      log.info("{}stopped at {}", prefix, saves.latest());
      termination.complete(null);
    } catch (Throwable t) {
      CanalException e =
          t instanceof CanalException c
              ? c
              : new CanalException("canal " + config.name() + " failed: " + t, t);
      for (CanalState from = state.get(); !from.isFinal(); from = state.get()) {
        if (state.compareAndSet(from, CanalState.FAILED)) {
          log.error("{}{} -> FAILED: {}", prefix, from, e.getMessage(), e);
          break;
        }
      }
      termination.completeExceptionally(e);
    }
  }

  private Connection openJdbc() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", config.user());
    p.setProperty("password", config.password());
    p.setProperty("sslMode", config.sslMode().name());
    if (config.trustStore() != null) {
      p.setProperty("trustCertificateKeyStoreUrl", config.trustStore().toUri().toString());
      p.setProperty("trustCertificateKeyStorePassword", config.trustStorePassword());
      p.setProperty("trustCertificateKeyStoreType", TrustStores.type(config.trustStore()));
    }
    try {
      return DriverManager.getConnection(config.jdbcUrl(), p);
    } catch (SQLException e) {
      ServerException tls = tlsError(e, where);
      if (tls != null) {
        throw tls;
      }
      throw e;
    }
  }

  /** What TLS explains of {@code t}, in the canal's settings; null when not about TLS. */
  private ServerException tlsError(Throwable t, String where) {
    return TlsErrors.explain(t, config.sslMode(), config.trustStore(), config.host(), where);
  }

  private void stream() throws InterruptedException {
    ServerInfo server;
    Position start;
    TableFilter filter = new TableFilter(config.includes(), config.excludes());
    TableSchemaCache schemas =
        config.schemaCache() != null
            ? config.schemaCache()
            : new SchemaHistoryCache(this::openJdbc, config.skipUnparseableDdl(), prefix);
    saves.saveHistoryOf(schemas);
    try (Connection c = openJdbc()) {
      server = ServerProbe.probe(c, where);
      log.info("{}server at {} is {}", prefix, where, server);
      if (!"FULL".equalsIgnoreCase(server.rowImage())) {
        if (!config.allowPartialRowImages()) {
          throw ServerException.permanent(
              "binlog_row_image is "
                  + server.rowImage()
                  + " on "
                  + where
                  + ": row images then leave columns out (unchanged ones, or BLOB/TEXT), so"
                  + " before images and updated rows are incomplete. Set binlog_row_image=FULL on"
                  + " the server, or build the canal with allowPartialRowImages() to accept rows"
                  + " whose missing columns read as absent (Row.isPresent is false)",
              null);
        }
        log.warn(
            "{}binlog_row_image is {}: rows may lack columns (Row.isPresent)",
            prefix,
            server.rowImage());
      }
      try {
        config.handler().onStart(committer());
      } catch (Exception e) {
        throw new HandlerException("the handler's onStart failed: " + e, null, e);
      }
      start = startPosition(c, server, schemas, filter, true);
      if (start == null) {
        return; // a snapshot stopped by close(), or SNAPSHOT_ONLY with a saved position
      }
      if (snapshotted && config.snapshotMode() == SnapshotMode.SNAPSHOT_ONLY) {
        log.info("{}snapshot delivered and its point saved; stopping (SNAPSHOT_ONLY)", prefix);
        return;
      }
    } catch (SQLException e) {
      throw ServerErrors.translate(e, where, config.user(), "checking the server");
    }
    EventDispatcher d =
        new EventDispatcher(
            prefix,
            config.handler(),
            filter,
            schemas,
            saves,
            config.zeroDates() == ZeroDates.AS_TEXT);
    dispatcher = d;
    if (stopRequested()) {
      d.stop(); // close() ran before this dispatcher was visible to it
    }
    WatermarkSnapshot w = watermark;
    if (w != null) {
      d.watch(w);
    }
    d.beginSession(null, start, false);
    if (w != null) {
      w.start();
    }
    try {
      streamFrom(d, server, schemas, filter, w);
    } finally {
      if (w != null) {
        w.close();
      }
    }
  }

  private void streamFrom(
      EventDispatcher d,
      ServerInfo server,
      TableSchemaCache schemas,
      TableFilter filter,
      WatermarkSnapshot w)
      throws InterruptedException {
    Duration backoff = config.reconnectInitialBackoff();
    int attempt = 0;
    while (!stopRequested()) {
      Position from = d.committed();
      if (schemas.history() != saves.latestHistory()) {
        // Events after the last transaction end (a CREATE ... SELECT, a table first read) moved
        // the history on; they are read again, so the history goes back to where they start.
        schemas.start(from, saves.latestHistory(), filter::test);
      }
      boolean byGtid = server.gtidMode() && from.hasGtids();
      BinlogSession s = new BinlogSession(config, d, server, prefix, heartbeat(w));
      if (w != null) {
        w.streamIdle(s::idle);
      }
      session = s;
      if (stopRequested()) {
        break;
      }
      long before = d.transactions();
      Exception fault =
          s.run(from, byGtid, () -> transition(CanalState.STARTING, CanalState.RUNNING));
      CanalException failed = d.failure();
      if (failed != null && !(failed instanceof ServerException se && se.isTransient())) {
        throw failed;
      }
      if (stopRequested()) {
        break;
      }
      CanalException e =
          failed != null
              ? failed
              : fault == null
                  ? new ServerException("the server closed the binlog stream", 0, null, true, null)
                  : tlsError(fault, where) != null
                      ? tlsError(fault, where)
                      : ServerErrors.translate(
                          fault,
                          where,
                          config.user(),
                          "streaming the binlog from " + from + (byGtid ? " (by GTID)" : ""));
      if (!(e instanceof ServerException se) || !se.isTransient()) {
        throw e;
      }
      if (!s.connected() && state.get() == CanalState.STARTING) {
        throw e; // never streamed: a bad setting rather than a passing fault
      }
      attempt = d.transactions() > before ? 1 : attempt + 1;
      if (attempt == 1) {
        backoff = config.reconnectInitialBackoff();
      }
      log.warn(
          "{}connection lost ({}); reconnecting from {} in {} ms (attempt {})",
          prefix,
          e.getMessage(),
          d.committed(),
          backoff.toMillis(),
          attempt);
      if (stopSignal.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
        break;
      }
      Duration doubled = backoff.multipliedBy(2);
      backoff =
          doubled.compareTo(config.reconnectMaxBackoff()) > 0
              ? config.reconnectMaxBackoff()
              : doubled;
    }
  }

  /**
   * The heartbeat for a new connection: while a lock-free snapshot runs, at most 100 ms, so that
   * chunks are delivered soon on an idle server too (the heartbeat says the server is idle).
   */
  private Duration heartbeat(WatermarkSnapshot w) {
    Duration configured = config.heartbeatInterval();
    if (w == null || w.finished()) {
      return configured;
    }
    Duration max = Duration.ofMillis(100);
    return configured.isZero() || configured.compareTo(max) > 0 ? max : configured;
  }

  /**
   * Starts a lock-free snapshot from the server's current position: plans the chunks, saves the
   * position with the plan, and lets the stream deliver the chunks as it goes.
   */
  private Position watermarkSnapshot(
      ServerInfo server, TableSchemaCache schemas, TableFilter filter) throws SQLException {
    WatermarkSnapshot.checkPossible(server, where, config.user(), null);
    Position from;
    try (Connection c = openJdbc()) {
      from = ServerProbe.currentPosition(c, server, where);
    }
    SnapshotPlan plan =
        WatermarkSnapshot.plan(this::openJdbc, filter, config.snapshotChunkRows(), config.user());
    schemas.start(from, null, filter::test);
    startWatermarks(server, from, plan, filter);
    saves.startedFresh(from); // the first checkpoint, with the plan
    return from;
  }

  /**
   * An unfinished snapshot at one point goes on lock-free: streaming from its first point brings
   * the chunks it delivered up to date, and the rest are read with watermarks.
   */
  private Position resumeLockFree(
      ServerInfo server, Position first, SnapshotPlan resume, TableFilter filter)
      throws SQLException {
    WatermarkSnapshot.checkPossible(server, where, config.user(), first);
    java.util.BitSet done = new java.util.BitSet();
    if (resume != null) {
      for (int i = 0; i < resume.chunks().size(); i++) {
        if (resume.isDone(i)) {
          done.set(i);
        }
      }
    }
    if (resume != null) {
      WatermarkSnapshot.requireKeys(this::openJdbc, resume, config.user());
    }
    SnapshotPlan plan =
        resume != null
            ? new SnapshotPlan(resume.chunks(), done, true)
            : WatermarkSnapshot.plan(
                this::openJdbc, filter, config.snapshotChunkRows(), config.user());
    saves.resumedFrom(first);
    startWatermarks(server, first, plan, filter);
    return first;
  }

  private void startWatermarks(
      ServerInfo server, Position from, SnapshotPlan plan, TableFilter filter) {
    WatermarkSnapshot.checkPossible(server, where, config.user(), from);
    WatermarkSnapshot w =
        new WatermarkSnapshot(
            config,
            server,
            prefix,
            where,
            this::openJdbc,
            filter,
            plan,
            saves,
            from,
            this::snapshotDone);
    saves.snapshotRunning(w::planText);
    watermark = w;
  }

  /** The lock-free snapshot delivered its last chunk (canal thread). */
  private void snapshotDone() {
    snapshotted = true;
    if (config.snapshotMode() == SnapshotMode.SNAPSHOT_ONLY) {
      log.info("{}snapshot delivered and its position saved; stopping (SNAPSHOT_ONLY)", prefix);
      stopSignal.countDown();
      EventDispatcher d = dispatcher;
      if (d != null) {
        d.stop();
      }
      BinlogSession s = session;
      if (s != null) {
        s.disconnect();
      }
    }
  }

  /**
   * Takes the initial snapshot and hands off: {@code onPosSynced(from, true)} and the checkpoint.
   *
   * @param first the point of an earlier snapshot that did not finish, whose history the schema
   *     cache holds, to stream from; null for a first snapshot, which streams from its own point
   * @return where streaming starts; null when the canal was closed during the snapshot
   */
  private Position snapshot(
      ServerInfo server,
      Position first,
      SnapshotPlan resume,
      TableSchemaCache schemas,
      TableFilter filter)
      throws SQLException {
    Snapshotter snapshot =
        new Snapshotter(
            config, server, prefix, where, this::openJdbc, filter, this::stopRequested, saves);
    Position point;
    Position[] from = {first};
    Position[] readAt = {null};
    try {
      point =
          snapshot.run(
              at -> {
                readAt[0] = at;
                if (first == null) {
                  schemas.start(at, null, filter::test);
                  from[0] = at;
                  if (config.snapshotReader() == SnapshotReader.DUMP_TOOL) {
                    saves.snapshotStarted(at, "v1;state=running"); // no chunks to resume by
                  }
                }
                transition(CanalState.STARTING, CanalState.RUNNING);
              },
              resume,
              new Consumer<SnapshotPlan>() {
                boolean planned;

                @Override
                public void accept(SnapshotPlan plan) {
                  // The plan at once; then, at save points as often as the save policy says, the
                  // chunks the handler made durable.
                  if (!planned) {
                    planned = true;
                    saves.pointSnapshotPlanned(from[0], plan);
                  } else {
                    saves.pointChunkDelivered(readAt[0]);
                  }
                }
              });
    } catch (InterruptedException e) {
      log.info("{}the canal's thread was interrupted during the snapshot: stopping", prefix);
      Thread.currentThread().interrupt();
      return null;
    } catch (ServerException e) {
      boolean denied = e.errorCode() == SnapshotSession.ER_SPECIFIC_ACCESS_DENIED;
      boolean timedOut = e.errorCode() == SnapshotSession.ER_LOCK_WAIT_TIMEOUT;
      if (!(denied || timedOut)
          || config.snapshotMethod() != SnapshotMethod.AUTO
          || config.snapshotReader() != SnapshotReader.JDBC
          || (timedOut && !WatermarkSnapshot.possible(server, first))) {
        throw e; // (a lock timeout stays the error when lock-free is not possible either)
      }
      if (denied) {
        log.warn(
            "{}user '{}' may not FLUSH TABLES WITH READ LOCK (RELOAD privilege), which a snapshot"
                + " at one point needs here: taking the lock-free watermark snapshot instead."
                + " GRANT RELOAD ON *.* TO '{}' to read at one point",
            prefix,
            config.user(),
            config.user());
      } else {
        log.warn(
            "{}FLUSH TABLES WITH READ LOCK was not granted within {} (running statements held"
                + " it up): taking the lock-free watermark snapshot instead",
            prefix,
            config.snapshotLockTimeout());
      }
      if (first == null) {
        return watermarkSnapshot(server, schemas, filter);
      }
      return resumeLockFree(server, first, resume, filter);
    } catch (SQLException e) {
      int code = e.getErrorCode();
      if (tableChanged(code)) {
        // Transient: the snapshot resumes from its checkpoint at a new point, after a backoff, with
        // the chunks not delivered yet and the tables as they are then (see startRetrying).
        throw new ServerException(
            "a table changed during the snapshot ("
                + e.getMessage()
                + "): a DDL statement ran on a table the snapshot had yet to read, or waited for"
                + " one it had read",
            code,
            e.getSQLState(),
            true,
            e);
      }
      throw ServerErrors.translate(e, where, config.user(), "reading the snapshot");
    }
    if (point == null) {
      return null;
    }
    saves.snapshotDelivered(from[0]); // onPosSynced(from, force=true), then the checkpoint
    snapshotted = true;
    return from[0];
  }

  /** A point snapshot's read failed because a DDL statement changed or locked its table. */
  private static boolean tableChanged(int errorCode) {
    return errorCode == ER_TABLE_DEF_CHANGED
        || errorCode == ER_LOCK_WAIT_TIMEOUT
        || errorCode == ER_BAD_FIELD;
  }

  private static java.util.BitSet doneOf(SnapshotPlan plan) {
    java.util.BitSet done = new java.util.BitSet();
    for (int i = 0; i < plan.chunks().size(); i++) {
      if (plan.isDone(i)) {
        done.set(i);
      }
    }
    return done;
  }

  /**
   * {@link #startPosition}, again after a transient fault (a lost connection) once a snapshot has
   * begun: it resumes from the checkpoint with the chunks not delivered, after the same backoff as
   * the stream's reconnects. A fault before any checkpoint is saved is reported at once.
   */
  private Position startRetrying(
      Connection first, ServerInfo server, TableSchemaCache schemas, TableFilter filter)
      throws SQLException {
    Duration backoff = config.reconnectInitialBackoff();
    Connection c = first;
    for (int attempt = 1; ; attempt++) {
      boolean hadCheckpoint = config.positionStore().load().isPresent();
      CanalException fault;
      try {
        return startPosition(c, server, schemas, filter, false);
      } catch (SQLException e) {
        fault = ServerErrors.translate(e, where, config.user(), "taking the snapshot");
      } catch (CanalException e) {
        fault = e;
      } finally {
        if (c != first) {
          c.close();
        }
      }
      boolean checkpoint = hadCheckpoint || config.positionStore().load().isPresent();
      // A table changed under a first snapshot's plan: taking it again is safe, and a canal that
      // started well should not stop for a DDL statement.
      boolean resumable =
          fault instanceof ServerException se
              && se.isTransient()
              && (checkpoint || tableChanged(se.errorCode()));
      if (!resumable || stopRequested()) {
        throw fault;
      }
      log.warn(
          "{}the snapshot was interrupted ({}); {} in {} ms (attempt {})",
          prefix,
          fault.getMessage(),
          checkpoint ? "resuming it from the checkpoint" : "taking it again",
          backoff.toMillis(),
          attempt);
      try {
        if (stopSignal.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
          return null;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      Duration doubled = backoff.multipliedBy(2);
      backoff =
          doubled.compareTo(config.reconnectMaxBackoff()) > 0
              ? config.reconnectMaxBackoff()
              : doubled;
      try {
        c = openJdbc();
      } catch (SQLException e) {
        c = null;
        CanalException f = ServerErrors.translate(e, where, config.user(), "reconnecting");
        if (!(f instanceof ServerException se) || !se.isTransient()) {
          throw f;
        }
        c = first; // not reachable yet: the next attempt fails fast and waits again
      }
    }
  }

  /**
   * The saved position needs binlog the server purged (it starts at {@code oldest} now): stops, or
   * goes on as {@link io.canal4j.PurgedBinlogPolicy} says, telling the handler first.
   */
  private Position afterPurge(
      Connection c,
      ServerInfo server,
      TableSchemaCache schemas,
      TableFilter filter,
      Position saved,
      Position oldest)
      throws SQLException {
    String gap =
        saved.hasGtids() && server.gtidMode()
            ? "the saved position "
                + saved
                + " needs transactions that the server at "
                + where
                + " has purged from its binlog (its oldest binlog, "
                + oldest.file()
                + ", starts after "
                + oldest.gtids()
                + ")"
            : "the saved position "
                + saved
                + " is in binlog file "
                + saved.file()
                + ", which the server at "
                + where
                + " no longer has (its oldest binlog is "
                + oldest.file()
                + ")";
    io.canal4j.PurgedBinlogPolicy policy = config.onPurgedBinlog();
    if (policy == io.canal4j.PurgedBinlogPolicy.FAIL) {
      throw ServerException.permanent(
          gap
              + ": the binlog was purged before the canal read it. Keep binlogs longer than the"
              + " canal may be down (binlog_expire_logs_seconds). To go on, build the canal with"
              + " onPurgedBinlog(RESNAPSHOT) to read the tables again, or"
              + " onPurgedBinlog(SKIP_TO_CURRENT) to stream from now on with the changes in"
              + " between lost",
          null);
    }
    try {
      config.handler().onBinlogGap(new io.canal4j.BinlogGap(saved, oldest, policy));
    } catch (Exception e) {
      throw new HandlerException("the handler's onBinlogGap failed: " + e, saved, e);
    }
    if (policy == io.canal4j.PurgedBinlogPolicy.SKIP_TO_CURRENT) {
      Position now = ServerProbe.currentPosition(c, server, where);
      boolean unfinished =
          config.positionStore().load().map(Checkpoint::snapshotProgress).isPresent();
      log.error(
          "{}DATA LOSS: {}; streaming from the current position {} (onPurgedBinlog"
              + "(SKIP_TO_CURRENT)): the changes between them are not delivered{}",
          prefix,
          gap,
          now,
          unfinished ? ", nor the rows of the unfinished snapshot it had not delivered" : "");
      if (config.snapshotMode() == SnapshotMode.SNAPSHOT_ONLY) {
        return null; // nothing to snapshot by this policy, and SNAPSHOT_ONLY does not stream
      }
      schemas.start(now, null, filter::test);
      saves.startedFresh(now);
      return now;
    }
    log.warn(
        "{}{}: reading the tables again, then streaming from the new snapshot's point"
            + " (onPurgedBinlog(RESNAPSHOT))",
        prefix,
        gap);
    requireVisibleTables(filter);
    if (config.snapshotMethod() == SnapshotMethod.WATERMARKS) {
      return watermarkSnapshot(server, schemas, filter);
    }
    return snapshot(server, null, null, schemas, filter);
  }

  /**
   * A snapshot of no table would be saved as done and its rows never read: when the user sees no
   * table that the filters keep (no SELECT privilege, or patterns that match nothing), stop.
   */
  private void requireVisibleTables(TableFilter filter) {
    List<io.canal4j.schema.TableId> visible =
        TableSchemaCache.informationSchema(this::openJdbc).tables();
    if (visible.stream().anyMatch(filter::test)) {
      return;
    }
    throw new ConfigurationException(
        "the initial snapshot would read no table: of the "
            + visible.size()
            + " table(s) that user '"
            + config.user()
            + "' can see on "
            + where
            + ", none matches the include patterns "
            + (config.includes().isEmpty() ? "(all tables)" : config.includes())
            + (config.excludes().isEmpty() ? "" : " less the exclude patterns " + config.excludes())
            + ". A user without SELECT sees no table: GRANT SELECT ON <db>.* TO '"
            + config.user()
            + "'. Check that the patterns are full-match 'db\\.table' regexes. If the tables do"
            + " not exist yet, use snapshotMode(NEVER) to stream from now on");
  }

  /**
   * With GTIDs, a saved position is resumed by its GTID set; a server that has not executed all of
   * it is another server (rebuilt, restored, or a replica that lags or lacks transactions), where
   * resuming would skip or misread transactions.
   */
  private void requireHistory(Connection c, ServerInfo server, Position saved) throws SQLException {
    Position now = ServerProbe.currentPosition(c, server, where);
    if (now.gtids() != null && now.gtids().containsAll(saved.gtids())) {
      return;
    }
    throw ServerException.permanent(
        "the saved position "
            + saved
            + " in "
            + config.positionStore()
            + " has GTIDs "
            + saved.gtids()
            + " that the server at "
            + where
            + " has not executed (it has "
            + (now.gtids() == null ? "none" : now.gtids())
            + "): the canal delivered transactions this server does not have, so it is not the"
            + " server the position came from, or a replica of it that is behind (a rebuilt or"
            + " restored server, or one that missed transactions). Point the canal at the server"
            + " it read from, let the replica catch up first, or give the canal a new position"
            + " store to take a new snapshot",
        null);
  }

  /** The saved snapshot plan, or null when there is none or it cannot be read. */
  private SnapshotPlan readPlan(String progress) {
    if (!SnapshotPlan.isPlan(progress)) {
      return null;
    }
    try {
      return SnapshotPlan.parse(progress);
    } catch (IllegalArgumentException e) {
      log.warn(
          "{}the saved snapshot plan cannot be read ({}); the snapshot starts over",
          prefix,
          e.getMessage());
      return null;
    }
  }

  /**
   * The saved position; or, without one, the point of an initial snapshot delivered here, or the
   * server's current position. A new start position is saved at once, so a crash cannot skip; the
   * schema cache is started at it before anything is saved. Null when there is nothing to stream:
   * the canal was closed during the snapshot, or SNAPSHOT_ONLY found a saved position.
   */
  private Position startPosition(
      Connection c, ServerInfo server, TableSchemaCache schemas, TableFilter filter, boolean retry)
      throws SQLException {
    if (retry) {
      return startRetrying(c, server, schemas, filter);
    }
    Optional<Checkpoint> saved = config.positionStore().load();
    boolean unfinishedSnapshot = saved.isPresent() && saved.get().snapshotProgress() != null;
    if (saved.isPresent()
        && !unfinishedSnapshot
        && config.snapshotMode() == SnapshotMode.SNAPSHOT_ONLY) {
      log.info(
          "{}a position is saved in {}: no snapshot to take (SNAPSHOT_ONLY); stopping",
          prefix,
          config.positionStore());
      return null;
    }
    if (saved.isPresent()) {
      Position p = saved.get().position();
      if (p.flavor() != server.flavor()) {
        throw new ConfigurationException(
            "the saved position "
                + p
                + " in "
                + config.positionStore()
                + " was written by a "
                + p.flavor()
                + " server, but "
                + where
                + " is "
                + server
                + ": point the canal at the right server or give it its own position store");
      }
      if (server.gtidMode() && p.hasGtids()) {
        requireHistory(c, server, p);
      }
      if (!(server.gtidMode() && p.hasGtids())) {
        if (p.serverUuid() != null
            && server.serverUuid() != null
            && !p.serverUuid().equals(server.serverUuid())) {
          throw new ConfigurationException(
              "the saved position "
                  + p
                  + " belongs to the server with UUID "
                  + p.serverUuid()
                  + ", but "
                  + where
                  + " is "
                  + server.serverUuid()
                  + ": its binlog offsets mean nothing here. Point the canal at the right server,"
                  + " or enable GTIDs (gtid_mode=ON) so positions survive a fail-over");
        }
      }
      Position oldest = BinlogRetention.purgedFrom(c, server, p);
      if (oldest != null) {
        return afterPurge(c, server, schemas, filter, p, oldest);
      }
      if (unfinishedSnapshot && config.snapshotMode() != SnapshotMode.NEVER) {
        SnapshotPlan plan = readPlan(saved.get().snapshotProgress());
        if (config.snapshotMethod() == SnapshotMethod.WATERMARKS) {
          WatermarkSnapshot.checkPossible(server, where, config.user(), p); // as asked, or fail
        }
        boolean lockFree =
            plan != null && plan.watermarks()
                ? config.snapshotMethod() != SnapshotMethod.POINT
                    && WatermarkSnapshot.possible(server, p)
                : config.snapshotMethod() == SnapshotMethod.WATERMARKS;
        if (lockFree) {
          log.info(
              "{}the {} snapshot did not finish: streaming from {} while reading the {}"
                  + " chunk(s) not delivered yet, lock-free",
              prefix,
              plan != null && plan.watermarks() ? "lock-free" : "point",
              p,
              plan == null
                  ? "all"
                  : plan.chunks().size() - plan.doneCount() + " of " + plan.chunks().size());
          schemas.start(p, saved.get().schemaHistory(), filter::test);
          if (plan != null && plan.watermarks()) {
            saves.resumedFrom(p);
            startWatermarks(server, p, plan, filter);
            return p;
          }
          return resumeLockFree(server, p, plan, filter);
        }
        if (plan != null && plan.watermarks()) {
          plan = new SnapshotPlan(plan.chunks(), doneOf(plan), false); // goes on at one point
        }
        log.info(
            "{}the snapshot started at {} did not finish: taking it again, then streaming from"
                + " {} (changes since are delivered again)",
            prefix,
            p,
            p);
        schemas.start(p, saved.get().schemaHistory(), filter::test);
        return snapshot(server, p, plan, schemas, filter);
      }
      if (unfinishedSnapshot) {
        log.warn(
            "{}the snapshot started at {} did not finish, and snapshotMode is NEVER: streaming"
                + " from its point; the rows it did not deliver are missing",
            prefix,
            p);
      }
      log.info("{}resuming from saved position {}", prefix, p);
      schemas.start(p, saved.get().schemaHistory(), filter::test);
      if (saved.get().schemaHistory() == null && schemas.history() != null) {
        log.warn(
            "{}the checkpoint has no schema history (it was saved without one): the history"
                + " starts from today's information_schema, so rows written before a later ALTER"
                + " that changed column types are refused, and before one that only renamed"
                + " columns are named as today",
            prefix);
      }
      saves.resumedFrom(p);
      return p;
    }
    if (config.snapshotMode() != SnapshotMode.NEVER) {
      // Reading the binlog status first reports a missing REPLICATION CLIENT before anything.
      ServerProbe.currentPosition(c, server, where);
      requireVisibleTables(filter);
      log.info("{}no saved position: taking the initial snapshot", prefix);
      if (config.snapshotMethod() == SnapshotMethod.WATERMARKS) {
        return watermarkSnapshot(server, schemas, filter);
      }
      return snapshot(server, null, null, schemas, filter);
    }
    Position p = ServerProbe.currentPosition(c, server, where);
    log.info("{}no saved position: starting at the server's current position {}", prefix, p);
    schemas.start(p, null, filter::test);
    saves.startedFresh(p);
    return p;
  }
}
