package io.canal4j;

/**
 * What a canal does when the binlog it must resume from is gone: the server purged it (binlog
 * retention, {@code PURGE BINARY LOGS}) while the canal was down or lagging. Checked at every start
 * (see {@link Canal.Builder#onPurgedBinlog}).
 */
public enum PurgedBinlogPolicy {
  /**
   * Stop with a message that names the saved position, the oldest binlog the server still has and
   * the retention setting to raise. Nothing is delivered or saved. The default.
   */
  FAIL,
  /**
   * Read the captured tables again and stream on from the new snapshot's point: {@link
   * EventHandler#onBinlogGap} first, then every row as {@link RowAction#SNAPSHOT}, then {@code
   * onPosSynced(point, true)}. A sink reconciles there, e.g. deletes what the snapshot did not
   * bring again (rows deleted during the gap). Needs a snapshot mode other than {@link
   * SnapshotMode#NEVER}.
   */
  RESNAPSHOT,
  /**
   * Go on from the server's current position: {@link EventHandler#onBinlogGap} first, logged as an
   * error. The changes in the gap are lost to the handler; choose this only where they do not
   * matter.
   */
  SKIP_TO_CURRENT
}
