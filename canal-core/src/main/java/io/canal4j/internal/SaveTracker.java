package io.canal4j.internal;

import io.canal4j.Checkpoint;
import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.SavePolicy;
import io.canal4j.error.HandlerException;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchemaCache;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides when a transaction end becomes a save point, and what is saved: the last delivered
 * transaction end, or with manual commit the last one the handler acknowledged, whichever is
 * earlier, together with the schema history in force at that position. Canal thread only, except
 * {@link #acknowledge}.
 */
final class SaveTracker {
  private final EventHandler handler;
  private final PositionStore store;
  private final long intervalNanos;
  private final boolean manualCommit;
  private final AtomicReference<Position> acknowledged = new AtomicReference<>();
  private Position latest;
  private Position saved;
  private TableSchemaCache schemas;
  private String latestHistory;
  private String savedHistory;

  /** A watermark snapshot's plan while it runs with the stream; saved with every checkpoint. */
  private java.util.function.Supplier<String> snapshotPlan;

  private Position snapshotEnd; // where the watermark snapshot's last chunk was delivered
  private String savedPlan;

  /** With manual commit: where the history changed after the last save, oldest first. */
  private final ArrayDeque<Version> versions = new ArrayDeque<>();

  private record Version(Position position, String history) {}

  private long lastSaveNanos = System.nanoTime();

  SaveTracker(EventHandler handler, PositionStore store, SavePolicy policy, boolean manualCommit) {
    this.handler = handler;
    this.store = store;
    this.intervalNanos = policy.interval().toNanos();
    this.manualCommit = manualCommit;
  }

  /** The cache whose history is saved with each checkpoint. */
  void saveHistoryOf(TableSchemaCache schemas) {
    this.schemas = schemas;
  }

  /** The position the canal resumed from counts as saved. */
  void resumedFrom(Position position) {
    latest = position;
    saved = position;
    latestHistory = history();
    savedHistory = latestHistory;
    acknowledged.compareAndSet(null, position);
  }

  /**
   * A canal without a saved position starts at {@code position}, which is saved at once: otherwise
   * a crash before the first save point would restart at a later "current" position and skip what
   * was written in between.
   */
  void startedFresh(Position position) {
    latest = position;
    saved = null;
    latestHistory = history();
    acknowledged.compareAndSet(null, position);
    save(true);
  }

  /**
   * An initial snapshot starts at {@code point}: the point is saved at once, marked as a snapshot
   * in progress, without telling the handler. After a crash, the next start takes the snapshot
   * again and streams from this first point, so that nothing changed since the rows the broken
   * snapshot delivered is missed (a row it delivered and that was deleted since, for one).
   */
  void snapshotStarted(Position point, String progress) {
    store.save(new Checkpoint(point, history(), progress, Instant.now()));
  }

  /**
   * The initial snapshot was delivered; streaming starts at {@code from}. Tells the handler ({@code
   * onPosSynced(from, true)}) and saves {@code from} as a finished start. With manual commit,
   * acknowledgements made during the snapshot do not count (every SNAPSHOT row carries the
   * snapshot's point, so they cannot tell how much is durable): the checkpoint stays marked as a
   * snapshot in progress until the handler acknowledges {@code from} or a later position.
   */
  void snapshotDelivered(Position from) {
    latest = from;
    saved = null;
    latestHistory = history();
    savedHistory = latestHistory;
    versions.clear();
    if (manualCommit) {
      acknowledged.set(null);
    } else {
      acknowledged.set(from);
    }
    save(true);
  }

  /**
   * A watermark snapshot runs with the stream: from now on every checkpoint carries {@code plan}'s
   * text, so that a restart streams from the checkpoint and reads the chunks not done yet.
   */
  void snapshotRunning(java.util.function.Supplier<String> plan) {
    snapshotPlan = plan;
    snapshotEnd = null;
  }

  /**
   * The watermark snapshot's last chunk was delivered with the stream at {@code end}. Checkpoints
   * at or after it carry no plan; with manual commit, earlier ones still do until the handler
   * acknowledges {@code end}.
   */
  void snapshotFinished(Position end) {
    snapshotEnd = end;
  }

  /** Whether progress may be saved as it happens (with manual commit it must be acknowledged). */
  boolean savesProgress() {
    return !manualCommit;
  }

  /** A transaction ended at {@code position}; saves if forced or the policy says it is time. */
  void transactionEnd(Position position, boolean force) {
    latest = position;
    String h = history();
    if (h != latestHistory) { // identity: the cache hands out a new text only when it changed
      latestHistory = h;
      if (manualCommit) {
        versions.addLast(new Version(position, h));
      }
    }
    if (force || System.nanoTime() - lastSaveNanos >= intervalNanos) {
      save(force);
    }
  }

  /** An idle moment (heartbeat): saves what is pending if the policy says it is time. */
  void idle() {
    if (latest != null
        && !latest.equals(saved)
        && System.nanoTime() - lastSaveNanos >= intervalNanos) {
      save(false);
    }
  }

  /** Called by the handler's committer, from any thread. */
  void acknowledge(Position position) {
    acknowledged.accumulateAndGet(
        position, (old, now) -> old == null || now.compareTo(old) > 0 ? now : old);
  }

  Position latest() {
    return latest;
  }

  /** The schema history in force at {@link #latest()}. */
  String latestHistory() {
    return latestHistory;
  }

  private String history() {
    return schemas == null ? null : schemas.history();
  }

  /** The history in force at {@code target} (at or before the latest position). */
  private String historyAt(Position target) {
    if (target.equals(latest)) {
      return latestHistory;
    }
    String h = savedHistory;
    for (Version v : versions) {
      if (v.position.compareTo(target) > 0) {
        break;
      }
      h = v.history;
    }
    return h;
  }

  /** A save point: tells the handler, then saves the checkpoint. */
  void save(boolean force) {
    if (latest == null) {
      return;
    }
    try {
      handler.onPosSynced(latest, force);
    } catch (Exception e) {
      throw new HandlerException(
          "the handler's onPosSynced failed at " + latest + ": " + e, latest, e);
    }
    Position target = latest;
    if (manualCommit) {
      Position acked = acknowledged.get();
      if (acked == null) {
        return;
      }
      if (acked.compareTo(target) < 0) {
        target = acked;
      }
    }
    lastSaveNanos = System.nanoTime();
    if (snapshotPlan != null && snapshotEnd != null && target.compareTo(snapshotEnd) >= 0) {
      snapshotPlan = null; // the snapshot is complete at the saved position
    }
    String plan = snapshotPlan == null ? null : snapshotPlan.get();
    if (!target.equals(saved) || !java.util.Objects.equals(plan, savedPlan)) {
      String history = historyAt(target);
      store.save(new Checkpoint(target, history, plan, Instant.now()));
      saved = target;
      savedHistory = history;
      savedPlan = plan;
      while (!versions.isEmpty() && versions.peekFirst().position.compareTo(target) <= 0) {
        versions.removeFirst();
      }
    }
  }
}
