package io.canal4j;

/** How the initial snapshot reads the existing rows (see {@code Canal.Builder.snapshotReader}). */
public enum SnapshotReader {
  /**
   * The canal's own JDBC readers: primary-key chunks, one or several readers at one consistent
   * point, resumable by chunk after a crash.
   */
  JDBC,
  /**
   * The server's dump tool ({@code mariadb-dump} or {@code mysqldump}, found on the PATH or named
   * by {@code Canal.Builder.dumpTool}) with {@code --single-transaction}, the classic canal
   * approach: one process, one consistent transaction, the binlog position read from its output.
   * Rows and values are the same as with {@link #JDBC}, except FLOAT, which the tool prints with
   * six significant digits. The tables must be in one database; streaming starts from the position
   * read just before the dump (the changes between it and the dump's own position are delivered
   * again); a snapshot interrupted by a crash is taken again whole.
   */
  DUMP_TOOL
}
