package io.canal4j.internal;

import io.canal4j.CanalState;
import io.canal4j.Committer;
import io.canal4j.SnapshotMode;
import io.canal4j.ZeroDates;
import io.canal4j.error.CanalException;
import io.canal4j.error.HandlerException;
import io.canal4j.error.ServerException;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.config.StopSignal;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.internal.config.TrustStores;
import io.canal4j.internal.save.SaveTracker;
import io.canal4j.internal.server.ServerErrors;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.server.ServerProbe;
import io.canal4j.internal.server.TlsErrors;
import io.canal4j.internal.stream.BinlogStream;
import io.canal4j.internal.stream.EventDispatcher;
import io.canal4j.internal.watermark.WatermarkSnapshot;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchemaCache;
import io.canal4j.schema.internal.SchemaHistoryCache;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The canal's lifecycle and its thread: probes the server, has {@link StartPlanner} decide where to
 * start (taking a snapshot through {@link SnapshotLauncher} when one is due), streams with {@link
 * BinlogStream} until it stops, and stops gracefully or on the first permanent failure.
 *
 * <p>States move only forward ({@code NEW -> STARTING -> RUNNING -> STOPPING -> STOPPED}, or to
 * {@code FAILED}), by compare-and-set, each transition logged once.
 */
public final class CanalRunner {
  private final CanalConfig config;
  private final CanalLog log;
  private final String where;
  private final AtomicReference<CanalState> state = new AtomicReference<>(CanalState.NEW);
  private final CompletableFuture<Void> termination = new CompletableFuture<>();
  private final StopSignal stop = new StopSignal();
  private final SaveTracker saves;
  private final SnapshotLauncher launcher;
  private final StartPlanner planner;

  private volatile Thread thread;
  private volatile BinlogStream binlog;
  private volatile EventDispatcher dispatcher;

  public CanalRunner(CanalConfig config) {
    this.config = config;
    this.log = config.log();
    this.where = config.source().where();
    this.saves =
        new SaveTracker(
            config.handler(),
            config.saving().store(),
            config.saving().policy(),
            config.saving().manualCommit());
    this.launcher =
        new SnapshotLauncher(
            config,
            this::openJdbc,
            saves,
            stop,
            () -> transition(CanalState.STARTING, CanalState.RUNNING),
            this::stopStreaming);
    this.planner = new StartPlanner(config, this::openJdbc, saves, stop, launcher);
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
    boolean manual = config.saving().manualCommit();
    return new Committer() {
      @Override
      public void commit(Position position) {
        saves.acknowledge(position);
      }

      @Override
      public boolean manual() {
        return manual;
      }
    };
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
    log.info("starting: {}", config);
    Thread t = config.threads().canal(this::run);
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
      log.info("closing");
    }
    stop.stop();
    EventDispatcher d = dispatcher;
    if (d != null) {
      d.stop();
    }
    if (!transition(CanalState.STARTING, CanalState.STOPPING)) {
      transition(CanalState.RUNNING, CanalState.STOPPING);
    }
    if (Thread.currentThread() == thread) {
      disconnect(); // the read loop ends after the handler returns
      return;
    }
    disconnect();
    try {
      termination.handle((v, e) -> null).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new AssertionError(e); // handle() never completes exceptionally
    }
  }

  private boolean transition(CanalState from, CanalState to) {
    if (state.compareAndSet(from, to)) {
      log.info("{} -> {}", from, to);
      return true;
    }
    return false;
  }

  private boolean stopRequested() {
    return stop.stopRequested();
  }

  /** Ends the stream from the canal thread: a lock-free snapshot was delivered (SNAPSHOT_ONLY). */
  private void stopStreaming() {
    stop.stop();
    EventDispatcher d = dispatcher;
    if (d != null) {
      d.stop();
    }
    disconnect();
  }

  private void disconnect() {
    BinlogStream b = binlog;
    if (b != null) {
      b.disconnect();
    }
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
      log.info("stopped at {}", saves.latest());
      termination.complete(null);
    } catch (Throwable t) {
      CanalException e =
          t instanceof CanalException c
              ? c
              : new CanalException("canal " + config.name() + " failed: " + t, t);
      for (CanalState from = state.get(); !from.isFinal(); from = state.get()) {
        if (state.compareAndSet(from, CanalState.FAILED)) {
          log.error("{} -> FAILED: {}", from, e.getMessage(), e);
          break;
        }
      }
      termination.completeExceptionally(e);
    }
  }

  private Connection openJdbc() throws SQLException {
    CanalConfig.Source source = config.source();
    Properties p = new Properties();
    p.setProperty("user", source.user());
    p.setProperty("password", source.password());
    p.setProperty("sslMode", source.sslMode().name());
    if (source.trustStore() != null) {
      p.setProperty("trustCertificateKeyStoreUrl", source.trustStore().toUri().toString());
      p.setProperty("trustCertificateKeyStorePassword", source.trustStorePassword());
      p.setProperty("trustCertificateKeyStoreType", TrustStores.type(source.trustStore()));
    }
    try {
      return DriverManager.getConnection(source.jdbcUrl(), p);
    } catch (SQLException e) {
      ServerException tls =
          TlsErrors.explain(e, source.sslMode(), source.trustStore(), source.host(), where);
      if (tls != null) {
        throw tls;
      }
      throw e;
    }
  }

  private void stream() throws InterruptedException {
    ServerInfo server;
    Position start;
    TableFilter filter = config.tables().filter();
    TableSchemaCache schemas =
        config.schemaCache() != null
            ? config.schemaCache()
            : new SchemaHistoryCache(
                this::openJdbc, config.stream().skipUnparseableDdl(), log.prefix());
    saves.saveHistoryOf(schemas);
    try (Connection c = openJdbc()) {
      server = ServerProbe.probe(c, where);
      log.info("server at {} is {}", where, server);
      if (!"FULL".equalsIgnoreCase(server.rowImage())) {
        if (!config.stream().allowPartialRowImages()) {
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
            "binlog_row_image is {}: rows may lack columns (Row.isPresent)", server.rowImage());
      }
      try {
        config.handler().onStart(committer());
      } catch (Exception e) {
        throw new HandlerException("the handler's onStart failed: " + e, null, e);
      }
      start = planner.start(c, server, schemas, filter);
      if (start == null) {
        return; // a snapshot stopped by close(), or SNAPSHOT_ONLY with a saved position
      }
      if (launcher.snapshotted() && config.snapshot().mode() == SnapshotMode.SNAPSHOT_ONLY) {
        log.info("snapshot delivered and its point saved; stopping (SNAPSHOT_ONLY)");
        return;
      }
    } catch (SQLException e) {
      throw ServerErrors.translate(e, where, config.source().user(), "checking the server");
    }
    EventDispatcher d =
        new EventDispatcher(
            log, config.handler(), filter, schemas, saves, config.zeroDates() == ZeroDates.AS_TEXT);
    dispatcher = d;
    if (stopRequested()) {
      d.stop(); // close() ran before this dispatcher was visible to it
    }
    WatermarkSnapshot w = launcher.watermark();
    if (w != null) {
      d.watch(w);
    }
    d.beginSession(null, start, false);
    if (w != null) {
      w.start();
    }
    BinlogStream b =
        new BinlogStream(
            config,
            server,
            d,
            schemas,
            filter,
            saves,
            stop,
            w,
            () -> transition(CanalState.STARTING, CanalState.RUNNING),
            () -> state.get() == CanalState.STARTING);
    binlog = b;
    try {
      b.run();
    } finally {
      if (w != null) {
        w.close();
      }
    }
  }
}
