package io.canal4j;

/**
 * How the initial snapshot makes the rows it reads consistent with the binlog it hands off to (see
 * {@code Canal.Builder.snapshotMethod}).
 */
public enum SnapshotMethod {
  /**
   * {@link #POINT} when the user may take it, else {@link #WATERMARKS}: on MariaDB with one reader
   * no lock is needed; otherwise the canal tries {@code FLUSH TABLES WITH READ LOCK} and, when the
   * RELOAD privilege is missing, logs the grant that would allow it and takes the lock-free
   * watermark snapshot instead.
   */
  AUTO,
  /**
   * Every row is read at one binlog point: one consistent-snapshot transaction on MariaDB with one
   * reader, otherwise a brief {@code FLUSH TABLES WITH READ LOCK} (RELOAD privilege) while all
   * readers open theirs. Fails, naming the grant, without RELOAD.
   */
  POINT,
  /**
   * No lock at all (the DBLog algorithm): the binlog streams from the start while readers read the
   * chunks, each at its own moment; a chunk's rows are delivered when the stream has passed the
   * chunk's high watermark, without the rows the stream changed meanwhile, so every delivered row
   * is current when it arrives. Needs gtid_mode=ON on MySQL. Readers read ahead while the rows read
   * and not yet delivered take less than an eighth of the heap (at most 256 MiB).
   */
  WATERMARKS
}
