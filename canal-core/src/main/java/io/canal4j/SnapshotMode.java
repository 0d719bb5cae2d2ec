package io.canal4j;

/** Whether a canal first delivers the rows that already exist (see {@code Canal.Builder}). */
public enum SnapshotMode {
  /**
   * A canal without a saved position first delivers every existing row of its tables as {@link
   * RowAction#SNAPSHOT} rows, read at one consistent point, then streams the binlog from exactly
   * that point. With a saved position it resumes streaming.
   */
  INITIAL,
  /** Never read existing rows: a canal without a saved position streams from the current end. */
  NEVER,
  /**
   * Like {@link #INITIAL} without a saved position, but the canal stops once the snapshot is
   * delivered and its point saved (a later canal with the same store streams from there). With a
   * saved position it stops at once.
   */
  SNAPSHOT_ONLY
}
