package io.canal4j.internal;

import io.canal4j.BinlogGap;
import io.canal4j.Checkpoint;
import io.canal4j.PurgedBinlogPolicy;
import io.canal4j.SnapshotMethod;
import io.canal4j.SnapshotMode;
import io.canal4j.error.CanalException;
import io.canal4j.error.ConfigurationException;
import io.canal4j.error.HandlerException;
import io.canal4j.error.ServerException;
import io.canal4j.internal.config.Backoff;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.config.StopSignal;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.internal.save.SaveTracker;
import io.canal4j.internal.save.SnapshotPlan;
import io.canal4j.internal.server.BinlogRetention;
import io.canal4j.internal.server.ServerErrors;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.server.ServerProbe;
import io.canal4j.internal.snapshot.SnapshotPoint;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchemaCache;
import io.canal4j.schema.internal.InformationSchemaCache;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Where a start begins: the saved checkpoint (checked against the server it is resumed on, and
 * against the binlog the server still has), an unfinished snapshot to go on with, a new snapshot,
 * or the server's current position. A new start position is saved at once. After a transient fault
 * once a snapshot has begun, the decision is made again, after a backoff, from the checkpoint.
 * Canal thread only.
 */
final class StartPlanner {

  private final CanalConfig config;
  private final CanalLog log;
  private final String where;
  private final ConnectionFactory jdbc;
  private final SaveTracker saves;
  private final StopSignal stop;
  private final SnapshotLauncher launcher;

  StartPlanner(
      CanalConfig config,
      ConnectionFactory jdbc,
      SaveTracker saves,
      StopSignal stop,
      SnapshotLauncher launcher) {
    this.config = config;
    this.log = config.log();
    this.where = config.source().where();
    this.jdbc = jdbc;
    this.saves = saves;
    this.stop = stop;
    this.launcher = launcher;
  }

  /**
   * {@link #startPosition}, again after a transient fault (a lost connection) once a snapshot has
   * begun: it resumes from the checkpoint with the chunks not delivered, after the same backoff as
   * the stream's reconnects. A fault before any checkpoint is saved is reported at once.
   */
  Position start(Connection first, ServerInfo server, TableSchemaCache schemas, TableFilter filter)
      throws SQLException {
    Backoff backoff = config.reconnect().backoff();
    Connection c = first;
    for (int attempt = 1; ; attempt++) {
      boolean hadCheckpoint = saves.saved().isPresent();
      CanalException fault;
      try {
        return startPosition(c, server, schemas, filter);
      } catch (SQLException e) {
        fault = ServerErrors.translate(e, where, config.source().user(), "taking the snapshot");
      } catch (CanalException e) {
        fault = e;
      } finally {
        if (c != first) {
          c.close();
        }
      }
      boolean checkpoint = hadCheckpoint || saves.saved().isPresent();
      // A table changed under a first snapshot's plan: taking it again is safe, and a canal that
      // started well should not stop for a DDL statement.
      boolean resumable =
          fault instanceof ServerException se
              && se.isTransient()
              && (checkpoint || SnapshotLauncher.tableChanged(se.errorCode()));
      if (!resumable || stop.stopRequested()) {
        throw fault;
      }
      log.warn(
          "the snapshot was interrupted ({}); {} in {} ms (attempt {})",
          fault.getMessage(),
          checkpoint ? "resuming it from the checkpoint" : "taking it again",
          backoff.delay().toMillis(),
          attempt);
      try {
        if (stop.await(backoff.delay())) {
          return null;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      backoff.grow();
      try {
        c = jdbc.open();
      } catch (SQLException e) {
        c = null;
        CanalException f = ServerErrors.translate(e, where, config.source().user(), "reconnecting");
        if (!(f instanceof ServerException se) || !se.isTransient()) {
          throw f;
        }
        c = first; // not reachable yet: the next attempt fails fast and waits again
      }
    }
  }

  /**
   * The saved position; or, without one, the point of an initial snapshot delivered here, or the
   * server's current position. A new start position is saved at once, so a crash cannot skip; the
   * schema cache is started at it before anything is saved. Null when there is nothing to stream:
   * the canal was closed during the snapshot, or SNAPSHOT_ONLY found a saved position.
   */
  private Position startPosition(
      Connection c, ServerInfo server, TableSchemaCache schemas, TableFilter filter)
      throws SQLException {
    Optional<Checkpoint> saved = saves.saved();
    boolean unfinishedSnapshot = saved.isPresent() && saved.get().snapshotProgress() != null;
    if (saved.isPresent()
        && !unfinishedSnapshot
        && config.snapshot().mode() == SnapshotMode.SNAPSHOT_ONLY) {
      log.info(
          "a position is saved in {}: no snapshot to take (SNAPSHOT_ONLY); stopping",
          saves.store());
      return null;
    }
    if (saved.isPresent()) {
      Position p = saved.get().position();
      CheckpointChecks.requireSameFlavor(p, server, saves.store(), where);
      if (server.gtidMode() && p.hasGtids()) {
        CheckpointChecks.requireHistory(
            p, ServerProbe.currentPosition(c, server, where), saves.store(), where);
      } else {
        CheckpointChecks.requireSameServer(p, server, where);
      }
      Position oldest = BinlogRetention.purgedFrom(c, server, p);
      if (oldest != null) {
        return afterPurge(c, server, schemas, filter, p, oldest);
      }
      if (unfinishedSnapshot && config.snapshot().mode() != SnapshotMode.NEVER) {
        SnapshotPlan plan = readPlan(saved.get().snapshotProgress());
        boolean lockFree =
            SnapshotChoice.resumeLockFree(
                plan, config.snapshot().method(), server, p, where, config.source().user());
        if (lockFree) {
          log.info(
              "the {} snapshot did not finish: streaming from {} while reading the {}"
                  + " chunk(s) not delivered yet, lock-free",
              plan != null && plan.watermarks() ? "lock-free" : "point",
              p,
              plan == null
                  ? "all"
                  : plan.chunks().size() - plan.doneCount() + " of " + plan.chunks().size());
          schemas.start(p, saved.get().schemaHistory(), filter::test);
          if (plan != null && plan.watermarks()) {
            saves.resumedFrom(p);
            launcher.startWatermarks(server, p, plan, filter);
            return p;
          }
          return launcher.resumeLockFree(server, p, plan, filter);
        }
        if (plan != null && plan.watermarks()) {
          plan = new SnapshotPlan(plan.chunks(), plan.done(), false); // goes on at one point
        }
        log.info(
            "the snapshot started at {} did not finish: taking it again, then streaming from"
                + " {} (changes since are delivered again)",
            p,
            p);
        schemas.start(p, saved.get().schemaHistory(), filter::test);
        return launcher.snapshot(server, p, plan, schemas, filter);
      }
      if (unfinishedSnapshot) {
        log.warn(
            "the snapshot started at {} did not finish, and snapshotMode is NEVER: streaming"
                + " from its point; the rows it did not deliver are missing",
            p);
      }
      log.info("resuming from saved position {}", p);
      schemas.start(p, saved.get().schemaHistory(), filter::test);
      if (saved.get().schemaHistory() == null && schemas.history() != null) {
        log.warn(
            "the checkpoint has no schema history (it was saved without one): the history"
                + " starts from today's information_schema, so rows written before a later ALTER"
                + " that changed column types are refused, and before one that only renamed"
                + " columns are named as today");
      }
      saves.resumedFrom(p);
      return p;
    }
    if (config.snapshot().mode() != SnapshotMode.NEVER) {
      // Reading the binlog status first reports a missing REPLICATION CLIENT before anything.
      ServerProbe.currentPosition(c, server, where);
      requireVisibleTables(filter);
      log.info("no saved position: taking the initial snapshot");
      if (config.snapshot().method() == SnapshotMethod.WATERMARKS) {
        return launcher.watermarkSnapshot(server, schemas, filter);
      }
      return launcher.snapshot(server, null, null, schemas, filter);
    }
    Position p =
        SnapshotPoint.current(
            jdbc, server, log, where, at -> schemas.start(at, null, filter::test));
    log.info("no saved position: starting at the server's current position {}", p);
    saves.startedFresh(p);
    return p;
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
    PurgedBinlogPolicy policy = config.saving().onPurgedBinlog();
    if (policy == PurgedBinlogPolicy.FAIL) {
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
      config.handler().onBinlogGap(new BinlogGap(saved, oldest, policy));
    } catch (Exception e) {
      throw new HandlerException("the handler's onBinlogGap failed: " + e, saved, e);
    }
    if (policy == PurgedBinlogPolicy.SKIP_TO_CURRENT) {
      Position now = ServerProbe.currentPosition(c, server, where); // for the message
      boolean unfinished = saves.saved().map(Checkpoint::snapshotProgress).isPresent();
      log.error(
          "DATA LOSS: {}; streaming from the current position {} (onPurgedBinlog"
              + "(SKIP_TO_CURRENT)): the changes between them are not delivered{}",
          gap,
          now,
          unfinished ? ", nor the rows of the unfinished snapshot it had not delivered" : "");
      if (config.snapshot().mode() == SnapshotMode.SNAPSHOT_ONLY) {
        return null; // nothing to snapshot by this policy, and SNAPSHOT_ONLY does not stream
      }
      Position from =
          SnapshotPoint.current(
              jdbc, server, log, where, at -> schemas.start(at, null, filter::test));
      saves.startedFresh(from);
      return from;
    }
    log.warn(
        "{}: reading the tables again, then streaming from the new snapshot's point"
            + " (onPurgedBinlog(RESNAPSHOT))",
        gap);
    requireVisibleTables(filter);
    if (config.snapshot().method() == SnapshotMethod.WATERMARKS) {
      return launcher.watermarkSnapshot(server, schemas, filter);
    }
    return launcher.snapshot(server, null, null, schemas, filter);
  }

  /**
   * A snapshot of no table would be saved as done and its rows never read: when the user sees no
   * table that the filters keep (no SELECT privilege, or patterns that match nothing), stop.
   */
  private void requireVisibleTables(TableFilter filter) {
    List<TableId> visible = new InformationSchemaCache(jdbc).tables();
    if (visible.stream().anyMatch(filter::test)) {
      return;
    }
    throw new ConfigurationException(
        "the initial snapshot would read no table: of the "
            + visible.size()
            + " table(s) that user '"
            + config.source().user()
            + "' can see on "
            + where
            + ", none matches the include patterns "
            + (config.tables().includes().isEmpty() ? "(all tables)" : config.tables().includes())
            + (config.tables().excludes().isEmpty()
                ? ""
                : " less the exclude patterns " + config.tables().excludes())
            + ". A user without SELECT sees no table: GRANT SELECT ON <db>.* TO '"
            + config.source().user()
            + "'. Check that the patterns are full-match 'db\\.table' regexes. If the tables do"
            + " not exist yet, use snapshotMode(NEVER) to stream from now on");
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
          "the saved snapshot plan cannot be read ({}); the snapshot starts over", e.getMessage());
      return null;
    }
  }
}
