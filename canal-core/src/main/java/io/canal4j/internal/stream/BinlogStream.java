package io.canal4j.internal.stream;

import io.canal4j.error.CanalException;
import io.canal4j.error.ServerException;
import io.canal4j.internal.config.Backoff;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.config.StopSignal;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.internal.save.SaveTracker;
import io.canal4j.internal.server.ServerErrors;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.server.TlsErrors;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchemaCache;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The stream from its start position until the canal stops: one binlog connection after another,
 * each resumed from the end of the last transaction the handler was given, after a backoff that
 * doubles while no transaction gets through. Stops on the first permanent fault, and on a transient
 * one before it ever streamed (a bad setting rather than a passing fault). Canal thread, except
 * {@link #disconnect}.
 */
public final class BinlogStream {

  private final CanalConfig config;
  private final CanalLog log;
  private final String where;
  private final ServerInfo server;
  private final EventDispatcher d;
  private final TableSchemaCache schemas;
  private final TableFilter filter;
  private final SaveTracker saves;
  private final StopSignal stop;
  private final StreamTap w;
  private final Runnable onConnected;
  private final BooleanSupplier starting;
  private volatile BinlogSession session;

  /**
   * @param tap runs with the stream (a lock-free snapshot), or null
   * @param onConnected called when a connection streams (the canal is RUNNING)
   * @param starting whether the canal is still STARTING
   */
  public BinlogStream(
      CanalConfig config,
      ServerInfo server,
      EventDispatcher dispatcher,
      TableSchemaCache schemas,
      TableFilter filter,
      SaveTracker saves,
      StopSignal stop,
      StreamTap tap,
      Runnable onConnected,
      BooleanSupplier starting) {
    this.config = config;
    this.log = config.log();
    this.where = config.source().where();
    this.server = server;
    this.d = dispatcher;
    this.schemas = schemas;
    this.filter = filter;
    this.saves = saves;
    this.stop = stop;
    this.w = tap;
    this.onConnected = onConnected;
    this.starting = starting;
  }

  /** Ends the connection in hand (any thread); with the stop requested, the stream then ends. */
  public void disconnect() {
    BinlogSession s = session;
    if (s != null) {
      s.disconnect();
    }
  }

  /** Streams until the stop is requested or a fault stops the canal. */
  public void run() throws InterruptedException {
    Backoff backoff = config.reconnect().backoff();
    int attempt = 0;
    while (!stop.stopRequested()) {
      Position from = d.committed();
      if (schemas.history() != saves.latestHistory()) {
        // Events after the last transaction end (a CREATE ... SELECT, a table first read) moved
        // the history on; they are read again, so the history goes back to where they start.
        schemas.start(from, saves.latestHistory(), filter::test);
      }
      boolean byGtid = server.gtidMode() && from.hasGtids();
      BinlogSession s =
          new BinlogSession(config.source(), config.threads(), log, d, server, heartbeat(w));
      if (w != null) {
        w.streamIdle(s::idle);
      }
      session = s;
      if (stop.stopRequested()) {
        break;
      }
      long before = d.transactions();
      Exception fault = s.run(from, byGtid, onConnected);
      CanalException failed = d.failure();
      if (failed != null && !(failed instanceof ServerException se && se.isTransient())) {
        throw failed;
      }
      if (stop.stopRequested()) {
        break;
      }
      CanalException e =
          failed != null
              ? failed
              : fault == null
                  ? new ServerException("the server closed the binlog stream", 0, null, true, null)
                  : tlsError(fault) != null
                      ? tlsError(fault)
                      : ServerErrors.translate(
                          fault,
                          where,
                          config.source().user(),
                          "streaming the binlog from " + from + (byGtid ? " (by GTID)" : ""));
      if (!(e instanceof ServerException se) || !se.isTransient()) {
        throw e;
      }
      if (!s.connected() && starting.getAsBoolean()) {
        throw e; // never streamed: a bad setting rather than a passing fault
      }
      attempt = d.transactions() > before ? 1 : attempt + 1;
      if (attempt == 1) {
        backoff.reset();
      }
      log.warn(
          "connection lost ({}); reconnecting from {} in {} ms (attempt {})",
          e.getMessage(),
          d.committed(),
          backoff.delay().toMillis(),
          attempt);
      if (stop.await(backoff.delay())) {
        break;
      }
      backoff.grow();
    }
  }

  /** What TLS explains of {@code t}, in the canal's settings; null when not about TLS. */
  private ServerException tlsError(Throwable t) {
    return TlsErrors.explain(
        t, config.source().sslMode(), config.source().trustStore(), config.source().host(), where);
  }

  /**
   * The heartbeat for a new connection: while a lock-free snapshot runs, at most 100 ms, so that
   * chunks are delivered soon on an idle server too (the heartbeat says the server is idle).
   */
  private Duration heartbeat(StreamTap w) {
    Duration configured = config.stream().heartbeatInterval();
    if (w == null || w.finished()) {
      return configured;
    }
    Duration max = Duration.ofMillis(100);
    return configured.isZero() || configured.compareTo(max) > 0 ? max : configured;
  }
}
