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
 *   <li><b>Durability.</b> Every checkpoint the canal saves is a save point this handler saw.
 *       Nothing that lets a restart skip rows (a position, a snapshot chunk counted as done) is
 *       saved before {@link #onPosSynced} returned for it, or, with {@link
 *       Canal.Builder#manualCommit()}, before the handler committed a position covering it. A
 *       handler that makes what it was given durable in {@code onPosSynced} (or commits only what
 *       it made durable) therefore loses nothing in a crash, also during the initial snapshot.
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
   * The binlog this canal had to resume from was purged, and {@link Canal.Builder#onPurgedBinlog}
   * says to go on: called after {@link #onStart} and before any other event. With {@link
   * PurgedBinlogPolicy#RESNAPSHOT} every row of the captured tables follows as {@link
   * RowAction#SNAPSHOT}; the snapshot is complete when {@link Canal.Builder#snapshotProgress}
   * reports {@link SnapshotProgress#done()}: reconcile there (not at the first forced {@code
   * onPosSynced}: a lock-free snapshot has forced save points before and between its rows). A crash
   * or lost connection before that resumes the snapshot like any unfinished one, and this method
   * may then be called again, or not at all: a sink that reconciles keeps its own note that it is
   * in a re-snapshot. With {@link PurgedBinlogPolicy#SKIP_TO_CURRENT} the changes in the gap are
   * lost, and so are the rows of a snapshot that had not finished.
   */
  default void onBinlogGap(BinlogGap gap) throws Exception {}

  /**
   * A save point: the canal is about to save {@code position} (or, with manual commit, the last
   * committed position if that is earlier). {@code force} is true at a binlog rotation, a DDL
   * statement, the end of a snapshot and when the canal closes; other save points are spaced by the
   * {@link SavePolicy}. A handler that buffers can flush here: the canal saves only after this
   * method returned, and an exception saves nothing.
   *
   * <p>During the initial snapshot, save points come between chunks too, with the snapshot's point
   * {@linkplain Position#snapshotMark() marked} by the chunks delivered so far; the chunks
   * delivered before such a save point count as done from then on (with manual commit: once a
   * position covering them is committed).
   */
  default void onPosSynced(Position position, boolean force) throws Exception {}
}
