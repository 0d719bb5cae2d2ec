package io.canal4j.benchmarks;

import java.util.Locale;

/**
 * What one read of the whole benchmark table saw, and how long it took.
 *
 * @param rows rows delivered
 * @param checksum every delivered value folded together ({@link RowSetChecksum})
 * @param totalNanos from the call that starts the read (canal4j: {@code Canal.start()}; JDBC:
 *     opening the connection) to the last row handled: the measured time
 * @param rowsNanos from the first row handled to the last: the rate once rows flow, without
 *     connecting, locking, schema loading and chunk planning
 * @param threadCpuNanos CPU time, over {@link #rowsNanos}, of the thread that handled the rows
 *     (canal4j with several readers: the canal's thread, which only delivers what the reader
 *     threads read)
 * @param jvmCpuNanos CPU time of the whole JVM (all threads, GC and JIT included) over the read,
 *     connecting and closing included
 */
record ReadResult(
    long rows,
    long checksum,
    long totalNanos,
    long rowsNanos,
    long threadCpuNanos,
    long jvmCpuNanos) {

  ReadResult withJvmCpuNanos(long nanos) {
    return new ReadResult(rows, checksum, totalNanos, rowsNanos, threadCpuNanos, nanos);
  }

  /** Rows per second over {@link #totalNanos}. */
  double rowsPerSecond() {
    return rows * 1e9 / totalNanos;
  }

  /** Rows per second over {@link #rowsNanos}. */
  double flowRowsPerSecond() {
    return rows * 1e9 / rowsNanos;
  }

  /** CPU time of the whole JVM per row, in microseconds. */
  double jvmCpuMicrosPerRow() {
    return jvmCpuNanos / 1e3 / rows;
  }

  /** CPU time of the row-handling thread per row, in microseconds. */
  double threadCpuMicrosPerRow() {
    return threadCpuNanos / 1e3 / rows;
  }

  /** One line of text that {@link #parse} reads back: how a forked JVM reports. */
  String format() {
    return String.format(
        Locale.ROOT,
        "%d %d %d %d %d %d",
        rows,
        checksum,
        totalNanos,
        rowsNanos,
        threadCpuNanos,
        jvmCpuNanos);
  }

  static ReadResult parse(String line) {
    String[] f = line.trim().split(" ");
    if (f.length != 6) {
      throw new IllegalArgumentException("not a read result: " + line);
    }
    return new ReadResult(
        Long.parseLong(f[0]),
        Long.parseLong(f[1]),
        Long.parseLong(f[2]),
        Long.parseLong(f[3]),
        Long.parseLong(f[4]),
        Long.parseLong(f[5]));
  }
}
