package io.canal4j.internal;

import static io.canal4j.schema.internal.MysqlErrors.ER_BAD_FIELD_ERROR;
import static io.canal4j.schema.internal.MysqlErrors.ER_LOCK_WAIT_TIMEOUT;
import static io.canal4j.schema.internal.MysqlErrors.ER_SPECIFIC_ACCESS_DENIED_ERROR;
import static io.canal4j.schema.internal.MysqlErrors.ER_TABLE_DEF_CHANGED;

import io.canal4j.SnapshotMethod;
import io.canal4j.SnapshotMode;
import io.canal4j.SnapshotReader;
import io.canal4j.error.ServerException;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.config.StopSignal;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.internal.save.SaveTracker;
import io.canal4j.internal.save.SnapshotPlan;
import io.canal4j.internal.server.ServerErrors;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.snapshot.SnapshotPoint;
import io.canal4j.internal.snapshot.Snapshotter;
import io.canal4j.internal.watermark.WatermarkChecks;
import io.canal4j.internal.watermark.WatermarkSnapshot;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchemaCache;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * Takes the snapshot a start decided on: the snapshot at one point (with its fallback to the
 * lock-free one when the lock is not allowed or not granted in time, under {@code AUTO}), or the
 * lock-free snapshot that then runs with the stream. Canal thread only.
 */
final class SnapshotLauncher {

  private final CanalConfig config;
  private final CanalLog log;
  private final String where;
  private final ConnectionFactory jdbc;
  private final SaveTracker saves;
  private final StopSignal stop;
  private final Runnable running;
  private final Runnable stopStreaming;
  private boolean snapshotted;
  private WatermarkSnapshot watermark; // a lock-free snapshot to run with the stream

  /**
   * @param running moves the canal to RUNNING (a snapshot at one point has its point)
   * @param stopStreaming ends the stream once a lock-free snapshot is delivered under SNAPSHOT_ONLY
   */
  SnapshotLauncher(
      CanalConfig config,
      ConnectionFactory jdbc,
      SaveTracker saves,
      StopSignal stop,
      Runnable running,
      Runnable stopStreaming) {
    this.config = config;
    this.log = config.log();
    this.where = config.source().where();
    this.jdbc = jdbc;
    this.saves = saves;
    this.stop = stop;
    this.running = running;
    this.stopStreaming = stopStreaming;
  }

  /** Whether a snapshot was delivered in full by this start (a lock-free one: so far). */
  boolean snapshotted() {
    return snapshotted;
  }

  /** The lock-free snapshot to run with the stream, or null. */
  WatermarkSnapshot watermark() {
    return watermark;
  }

  /**
   * Starts a lock-free snapshot from the server's current position: plans the chunks, saves the
   * position with the plan, and lets the stream deliver the chunks as it goes.
   */
  Position watermarkSnapshot(ServerInfo server, TableSchemaCache schemas, TableFilter filter)
      throws SQLException {
    WatermarkChecks.checkPossible(server, where, config.source().user(), null);
    Position from =
        SnapshotPoint.current(
            jdbc, server, log, where, at -> schemas.start(at, null, filter::test));
    SnapshotPlan plan =
        WatermarkChecks.plan(jdbc, filter, config.snapshot().chunkRows(), config.source().user());
    startWatermarks(server, from, plan, filter);
    saves.startedFresh(from); // the first checkpoint, with the plan
    return from;
  }

  /**
   * An unfinished snapshot at one point goes on lock-free: streaming from its first point brings
   * the chunks it delivered up to date, and the rest are read with watermarks.
   */
  Position resumeLockFree(
      ServerInfo server, Position first, SnapshotPlan resume, TableFilter filter)
      throws SQLException {
    WatermarkChecks.checkPossible(server, where, config.source().user(), first);
    BitSet done = resume != null ? resume.done() : new BitSet();
    if (resume != null) {
      WatermarkChecks.requireKeys(jdbc, resume, config.source().user());
    }
    SnapshotPlan plan =
        resume != null
            ? new SnapshotPlan(resume.chunks(), done, true)
            : WatermarkChecks.plan(
                jdbc, filter, config.snapshot().chunkRows(), config.source().user());
    saves.resumedFrom(first);
    startWatermarks(server, first, plan, filter);
    return first;
  }

  void startWatermarks(ServerInfo server, Position from, SnapshotPlan plan, TableFilter filter) {
    WatermarkChecks.checkPossible(server, where, config.source().user(), from);
    WatermarkSnapshot w =
        new WatermarkSnapshot(config, server, jdbc, filter, plan, saves, from, this::snapshotDone);
    saves.snapshotRunning(w::planText);
    watermark = w;
  }

  /** The lock-free snapshot delivered its last chunk (canal thread). */
  private void snapshotDone() {
    snapshotted = true;
    if (config.snapshot().mode() == SnapshotMode.SNAPSHOT_ONLY) {
      log.info("snapshot delivered and its position saved; stopping (SNAPSHOT_ONLY)");
      stopStreaming.run();
    }
  }

  /**
   * Takes the initial snapshot and hands off: {@code onPosSynced(from, true)} and the checkpoint.
   *
   * @param first the point of an earlier snapshot that did not finish, whose history the schema
   *     cache holds, to stream from; null for a first snapshot, which streams from its own point
   * @return where streaming starts; null when the canal was closed during the snapshot
   */
  Position snapshot(
      ServerInfo server,
      Position first,
      SnapshotPlan resume,
      TableSchemaCache schemas,
      TableFilter filter)
      throws SQLException {
    Snapshotter snapshot =
        new Snapshotter(config, server, jdbc, filter, stop::stopRequested, saves);
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
                  if (config.snapshot().reader() == SnapshotReader.DUMP_TOOL) {
                    saves.snapshotStarted(at); // no chunks to resume by
                  }
                }
                running.run();
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
      log.info("the canal's thread was interrupted during the snapshot: stopping");
      Thread.currentThread().interrupt();
      return null;
    } catch (ServerException e) {
      boolean denied = e.errorCode() == ER_SPECIFIC_ACCESS_DENIED_ERROR;
      boolean timedOut = e.errorCode() == ER_LOCK_WAIT_TIMEOUT;
      if (!(denied || timedOut)
          || config.snapshot().method() != SnapshotMethod.AUTO
          || config.snapshot().reader() != SnapshotReader.JDBC
          || (timedOut && !WatermarkChecks.possible(server, first))) {
        throw e; // (a lock timeout stays the error when lock-free is not possible either)
      }
      if (denied) {
        log.warn(
            "user '{}' may not FLUSH TABLES WITH READ LOCK (RELOAD privilege), which a snapshot"
                + " at one point needs here: taking the lock-free watermark snapshot instead."
                + " GRANT RELOAD ON *.* TO '{}' to read at one point",
            config.source().user(),
            config.source().user());
      } else {
        log.warn(
            "FLUSH TABLES WITH READ LOCK was not granted within {} (running statements held"
                + " it up): taking the lock-free watermark snapshot instead",
            config.snapshot().lockTimeout());
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
      throw ServerErrors.translate(e, where, config.source().user(), "reading the snapshot");
    }
    if (point == null) {
      return null;
    }
    saves.snapshotDelivered(from[0]); // onPosSynced(from, force=true), then the checkpoint
    snapshotted = true;
    return from[0];
  }

  /** A point snapshot's read failed because a DDL statement changed or locked its table. */
  static boolean tableChanged(int errorCode) {
    return errorCode == ER_TABLE_DEF_CHANGED
        || errorCode == ER_LOCK_WAIT_TIMEOUT
        || errorCode == ER_BAD_FIELD_ERROR;
  }
}
