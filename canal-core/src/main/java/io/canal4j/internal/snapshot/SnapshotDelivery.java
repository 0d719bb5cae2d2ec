package io.canal4j.internal.snapshot;

import io.canal4j.EventHandler;
import io.canal4j.Row;
import io.canal4j.RowAction;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.SnapshotProgress;
import io.canal4j.TransactionId;
import io.canal4j.error.HandlerException;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.save.SaveTracker;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands snapshot rows to the handler as {@link RowAction#SNAPSHOT} events and reports progress (to
 * the listener after every chunk, to the log every 10 s). Canal thread only.
 */
public final class SnapshotDelivery {
  private static final long PROGRESS_NANOS = 10_000_000_000L;

  private final EventHandler handler;
  private final Consumer<SnapshotProgress> listener;
  private final CanalLog log;
  private final Position point;
  private final SaveTracker saves;
  private TransactionId transaction;
  private Position markedAt; // the binlog point that the events' positions mark
  private int index;
  private long rows;
  private int chunksDone;
  private int chunkCount;
  private int startDone;
  private long startNanos;
  private long lastLogNanos;

  /**
   * @param point the snapshot's point (a watermark snapshot's first stream position), which the
   *     progress reports
   * @param saves numbers the chunks delivered, for the positions the events carry
   */
  public SnapshotDelivery(
      EventHandler handler,
      Consumer<SnapshotProgress> progress,
      CanalLog log,
      Position point,
      SaveTracker saves) {
    this.saves = saves;
    this.handler = handler;
    this.listener = progress;
    this.log = log;
    this.point = point;
    this.transaction = new TransactionId(null, point);
    this.markedAt = point;
  }

  /** Starts the clock: {@code done} of {@code chunks} chunks were delivered before. */
  public void start(int chunks, int done) {
    chunkCount = chunks;
    chunksDone = done;
    startDone = done;
    startNanos = System.nanoTime();
    lastLogNanos = startNanos;
  }

  /** The plan changed (a table planned again): {@code done} of {@code chunks} chunks are done. */
  public void planChanged(int chunks, int done) {
    chunkCount = chunks;
    chunksDone = done;
  }

  /**
   * The rows delivered from now on carry {@code id} (a watermark chunk: the stream position it is
   * delivered at), numbered from 0, or on from the last row when it is the same id as before, and
   * positions that mark {@code transactionEnd}, the stream's last transaction end: committing one
   * acknowledges the stream up to there, as a checkpoint must be a transaction end.
   */
  public void transaction(TransactionId id, Position transactionEnd) {
    markedAt = transactionEnd;
    if (!id.equals(transaction)) {
      transaction = id;
      index = 0; // rows delivered at the same position go on numbering: (id, index) stays unique
    }
  }

  public long rows() {
    return rows;
  }

  int chunksDone() {
    return chunksDone;
  }

  public int chunksRead() {
    return chunksDone - startDone;
  }

  public long seconds() {
    return (System.nanoTime() - startNanos) / 1_000_000_000L;
  }

  /** One event of rows of one table; nothing for an empty batch. */
  public void deliver(TableSchema schema, List<Row> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<RowChange> changes = new ArrayList<>(batch.size());
    for (Row r : batch) {
      changes.add(new RowChange(null, r, index++));
    }
    Position at = saves.mark(markedAt); // committing it acknowledges earlier chunks
    RowsEvent event =
        new RowsEvent(RowAction.SNAPSHOT, schema, changes, transaction, at, Instant.now());
    try {
      handler.onRow(event);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      throw new HandlerException("the handler's onRow failed during the snapshot: " + e, at, e);
    }
    rows += batch.size();
  }

  /**
   * Chunk {@code index} of the plan was delivered in full: numbers it for the marks, tells the
   * listener, and the log now and then.
   */
  public void chunkDone(int index) {
    saves.chunkDelivered(index, markedAt);
    chunksDone++;
    long now = System.nanoTime();
    double seconds = (now - startNanos) / 1e9;
    double perSecond = rows / Math.max(seconds, 1e-3);
    double left = seconds * (chunkCount - chunksDone) / Math.max(1, chunksDone - startDone);
    SnapshotProgress progress =
        new SnapshotProgress(
            point,
            rows,
            chunksDone,
            chunkCount,
            perSecond,
            Duration.ofMillis((long) (left * 1000)));
    try {
      listener.accept(progress);
    } catch (RuntimeException e) {
      throw new HandlerException("the snapshot progress listener failed: " + e, point, e);
    }
    if (now - lastLogNanos >= PROGRESS_NANOS) {
      lastLogNanos = now;
      log.info(
          "snapshot: {} rows, {}/{} chunks, {} rows/s, about {} s left",
          rows,
          chunksDone,
          chunkCount,
          (long) perSecond,
          (long) left);
    }
  }
}
