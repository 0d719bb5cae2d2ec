package io.canal4j;

import io.canal4j.schema.Position;

/**
 * Receives a canal's events. Every method has a no-op default, so implement only what you need.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Thread and order.</b> Called on the canal's own thread ({@code canal-<name>}), one event
 *       at a time, in binlog order. A slow handler slows reading; nothing is buffered without
 *       bound.
 *   <li><b>Transactions.</b> The rows of a transaction arrive as one or more {@link #onRow} calls,
 *       followed by one {@link #onXid} at its commit. A DDL statement arrives as {@link #onDdl}.
 *   <li><b>Delivery is at-least-once.</b> After a restart the canal resumes from the last saved
 *       position, which is always a transaction end, so the transactions after it may be delivered
 *       again. Use {@link TransactionId} and {@link RowChange#index()} to recognise them.
 *   <li><b>Failure.</b> An exception thrown by any method stops the canal in state {@link
 *       CanalState#FAILED}; the position is not saved past the transaction being delivered, so a
 *       restart delivers that transaction again from its start. Nothing is logged and skipped.
 *   <li>Calling {@link Canal#close()} from inside a method is allowed; the canal stops after the
 *       method returns.
 * </ul>
 */
public interface EventHandler {

  /**
   * Called once on the canal's thread before any event.
   *
   * @param committer acknowledges durable positions; only meaningful with {@link
   *     Canal.Builder#manualCommit()}
   */
  default void onStart(Committer committer) throws Exception {}

  /**
   * Rows of one table changed (or, in a snapshot, were read). Values are the canonical Java types
   * of the README's value table ({@link Row}); dates that are no calendar date (zero, partly zero,
   * past the month's end) are null, or MySQL's text with {@link Canal.Builder#zeroDates}.
   */
  default void onRow(RowsEvent event) throws Exception {}

  /** A transaction committed; called for every commit, also when no row of it was delivered. */
  default void onXid(XidEvent event) throws Exception {}

  /** The server switched to a new binlog file. */
  default void onRotate(RotateEvent event) throws Exception {}

  /** A schema change took effect. */
  default void onDdl(DdlEvent event) throws Exception {}

  /**
   * A save point: the canal is about to save {@code position} (or, with manual commit, the last
   * committed position if that is earlier). {@code force} is true at a binlog rotation, a DDL
   * statement, the end of a snapshot and when the canal closes; other save points are spaced by the
   * {@link SavePolicy}. A handler that writes synchronously can flush here.
   */
  default void onPosSynced(Position position, boolean force) throws Exception {}
}
