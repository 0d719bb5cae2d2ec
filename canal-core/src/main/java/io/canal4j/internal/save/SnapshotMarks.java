package io.canal4j.internal.save;

import io.canal4j.schema.Position;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which snapshot chunks the handler has made durable, so that a checkpoint marks only those as
 * done: a restart reads every other chunk again.
 *
 * <p>Every chunk delivered in full gets the next number of one counter that runs for the canal's
 * life (across snapshot attempts), and the positions of {@code SNAPSHOT} events and of save points
 * during a snapshot carry the count so far as their {@linkplain Position#snapshotMark() mark}. A
 * handler under manual commit that commits a marked position has made every chunk numbered up to
 * the mark durable. Chunks of a lock-free snapshot are also durable once the handler acknowledges a
 * stream position after the one they were delivered at; their marks are numbered after {@link
 * #streamSnapshotStarted}, and acknowledging one of them acknowledges its stream position too.
 * Under automatic commit every chunk delivered before a save point is durable once {@code
 * onPosSynced} returned ({@link #allDurable}).
 *
 * <p>Canal thread only, except {@link #acknowledge}.
 */
final class SnapshotMarks {
  private record Delivered(long mark, int chunk, Position at) {}

  private final ArrayDeque<Delivered> pending = new ArrayDeque<>();
  private final AtomicLong acknowledged = new AtomicLong(Position.NO_MARK);
  private volatile long delivered; // chunks delivered in full since the canal started
  private volatile long streamMarksFrom = Long.MAX_VALUE;

  /** {@code at}'s binlog point marked with the chunks delivered so far. */
  Position mark(Position at) {
    return at.binlogPoint().withSnapshotMark(delivered);
  }

  /** Chunk {@code chunk} of the plan was delivered in full, with the stream at {@code at}. */
  void chunkDelivered(int chunk, Position at) {
    delivered++;
    pending.addLast(new Delivered(delivered, chunk, at));
  }

  /**
   * A new attempt at a snapshot at one point resumes from the saved plan, which has every chunk not
   * yet durable as not done: what the last attempt delivered is read again.
   */
  void restart() {
    pending.clear();
  }

  /** A lock-free snapshot starts: its marks are stream positions too. */
  void streamSnapshotStarted() {
    pending.clear();
    streamMarksFrom = ++delivered;
  }

  /** Every chunk delivered so far is durable (automatic commit, after {@code onPosSynced}). */
  void allDurable() {
    pending.clear();
  }

  /**
   * The handler committed the marked position {@code p} (any thread).
   *
   * @return the stream position that the commit acknowledges too, or null for a mark of a snapshot
   *     at one point (whose binlog point is no stream position)
   */
  Position acknowledge(Position p) {
    if (p.snapshotMark() > delivered) {
      return null; // not a mark this canal made (another run's): it covers nothing here
    }
    acknowledged.accumulateAndGet(p.snapshotMark(), Math::max);
    return p.snapshotMark() >= streamMarksFrom ? p.binlogPoint() : null;
  }

  /**
   * Whether a chunk delivered is not durable yet, given the stream acknowledged up to {@code ack}.
   */
  boolean anyPending(Position ack) {
    prune(ack);
    return !pending.isEmpty();
  }

  /** {@code plan} with only its durable chunks done. */
  SnapshotPlan durable(SnapshotPlan plan, Position ack) {
    prune(ack);
    if (pending.isEmpty()) {
      return plan;
    }
    BitSet done = plan.done();
    for (Delivered d : pending) {
      done.clear(d.chunk);
    }
    return new SnapshotPlan(plan.chunks(), done, plan.watermarks());
  }

  private void prune(Position ack) {
    long marked = acknowledged.get();
    pending.removeIf(
        d ->
            d.mark <= marked
                || (d.mark > streamMarksFrom
                    && ack != null
                    && d.at != null
                    && ack.compareTo(d.at) > 0));
  }
}
