package io.canal4j.benchmarks;

import java.util.Locale;

/**
 * What one drain of a {@link BinlogRange} saw, and how long it took.
 *
 * @param rowChanges row changes delivered (an UPDATE's before and after count once)
 * @param checksum every delivered value folded together; proves each value was decoded
 * @param streamNanos from the first row event to the range's end: the measured time
 * @param wallNanos from the call that connects (or starts the canal) to the range's end
 * @param threadCpuNanos CPU time of the reading thread over {@link #streamNanos}: unlike rates,
 *     barely affected by other processes competing for the cores
 * @param jvmCpuNanos CPU time of the whole JVM (GC and JIT included) over the drain, connecting and
 *     closing included
 */
record DrainResult(
    long rowChanges,
    long checksum,
    long streamNanos,
    long wallNanos,
    long threadCpuNanos,
    long jvmCpuNanos) {

  DrainResult withJvmCpuNanos(long nanos) {
    return new DrainResult(rowChanges, checksum, streamNanos, wallNanos, threadCpuNanos, nanos);
  }

  /** Row changes per second over {@link #streamNanos}. */
  double rowsPerSecond() {
    return rowChanges * 1e9 / streamNanos;
  }

  /** CPU time of the reading thread per row change, in microseconds. */
  double threadCpuMicrosPerRow() {
    return threadCpuNanos / 1e3 / rowChanges;
  }

  /** CPU time of the JVM per row change, in microseconds. */
  double jvmCpuMicrosPerRow() {
    return jvmCpuNanos / 1e3 / rowChanges;
  }

  /** One line of text that {@link #parse} reads back: how a forked JVM reports. */
  String format() {
    return String.format(
        Locale.ROOT,
        "%d %d %d %d %d %d",
        rowChanges,
        checksum,
        streamNanos,
        wallNanos,
        threadCpuNanos,
        jvmCpuNanos);
  }

  static DrainResult parse(String line) {
    String[] f = line.trim().split(" ");
    if (f.length != 6) {
      throw new IllegalArgumentException("not a drain result: " + line);
    }
    return new DrainResult(
        Long.parseLong(f[0]),
        Long.parseLong(f[1]),
        Long.parseLong(f[2]),
        Long.parseLong(f[3]),
        Long.parseLong(f[4]),
        Long.parseLong(f[5]));
  }
}
