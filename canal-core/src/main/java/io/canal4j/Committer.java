package io.canal4j;

import io.canal4j.schema.Position;

/**
 * How a handler that buffers (a batching sink) tells the canal that everything up to a position is
 * durable. Only used with {@link Canal.Builder#manualCommit()}: then the saved position never goes
 * past the last committed one, so a crash replays whatever was buffered but not yet durable.
 *
 * <p>Thread-safe: call it from any thread, e.g. a sink's flush thread. The canal persists the
 * committed position at its next save point.
 */
@FunctionalInterface
public interface Committer {
  /**
   * Everything up to and including the transaction that ended at {@code position} is durable.
   *
   * @param position a position the canal delivered: {@link XidEvent#position()}, {@link
   *     DdlEvent#position()}, the position of a {@link RowAction#SNAPSHOT} {@link RowsEvent} (its
   *     {@linkplain io.canal4j.schema.Position#snapshotMark() snapshot mark} tells which snapshot
   *     chunks it covers, so that a restart reads only the chunks not committed) or the one given
   *     to {@link EventHandler#onPosSynced}. Not the position of an INSERT, UPDATE or DELETE {@code
   *     RowsEvent}: that is in the middle of its transaction
   */
  void commit(Position position);

  /**
   * Whether the canal was built with {@link Canal.Builder#manualCommit()}: only then does {@link
   * #commit} hold the saved position back. A handler that works either way (a sink that flushes at
   * every save point without manual commit) asks here. The default, for a committer made from a
   * lambda, is true.
   */
  default boolean manual() {
    return true;
  }
}
