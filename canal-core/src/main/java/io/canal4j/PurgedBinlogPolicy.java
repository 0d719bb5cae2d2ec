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
   * EventHandler#onBinlogGap} first, then every row as {@link RowAction#SNAPSHOT}. A sink
   * reconciles once the snapshot is done ({@link SnapshotProgress#done()}), e.g. deletes what the
   * snapshot did not bring again (rows deleted during the gap). Needs a snapshot mode other than
   * {@link SnapshotMode#NEVER}.
   */
  RESNAPSHOT,
  /**
   * Go on from the server's current position: {@link EventHandler#onBinlogGap} first, logged as an
   * error. The changes in the gap are lost to the handler, and so are the rows of an unfinished
   * snapshot; choose this only where they do not matter. With {@link SnapshotMode#SNAPSHOT_ONLY}
   * the canal then stops.
   */
  SKIP_TO_CURRENT
}
