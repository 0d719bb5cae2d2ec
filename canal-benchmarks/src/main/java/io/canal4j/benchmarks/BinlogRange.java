package io.canal4j.benchmarks;

import io.canal4j.schema.Flavor;
import io.canal4j.schema.Position;
import java.util.List;

/**
 * A stretch of one server's binlog, from a transaction end to a later one.
 *
 * @param flavor the server family that wrote it
 * @param startFile the binlog file the range starts in
 * @param startOffset the offset of the range's first event in {@code startFile}
 * @param endFile the binlog file the range ends in
 * @param endOffset the offset just after the range's last event in {@code endFile}
 * @param bytes the range's size in bytes, across files
 * @param rowChanges the row changes written in the range (an UPDATE's before and after count once)
 * @param transactions the transactions written in the range
 */
record BinlogRange(
    Flavor flavor,
    String startFile,
    long startOffset,
    String endFile,
    long endOffset,
    long bytes,
    long rowChanges,
    long transactions) {
  /** The number of arguments {@link #toArgs()} makes. */
  static final int ARG_COUNT = 8;

  /** The fields as command-line arguments, for a forked JVM; {@link #fromArgs} reads them. */
  List<String> toArgs() {
    return List.of(
        flavor.name(),
        startFile,
        Long.toString(startOffset),
        endFile,
        Long.toString(endOffset),
        Long.toString(bytes),
        Long.toString(rowChanges),
        Long.toString(transactions));
  }

  /** Reads {@link #toArgs()} from {@code args} at {@code from}. */
  static BinlogRange fromArgs(List<String> args, int from) {
    return new BinlogRange(
        Flavor.valueOf(args.get(from)),
        args.get(from + 1),
        Long.parseLong(args.get(from + 2)),
        args.get(from + 3),
        Long.parseLong(args.get(from + 4)),
        Long.parseLong(args.get(from + 5)),
        Long.parseLong(args.get(from + 6)),
        Long.parseLong(args.get(from + 7)));
  }

  Position start() {
    return new Position(flavor, startFile, startOffset, null, null);
  }

  Position end() {
    return new Position(flavor, endFile, endOffset, null, null);
  }

  /** Whether a position at or after {@code nextPosition} of {@code file} is the range's end. */
  boolean reachedBy(String file, long nextPosition) {
    return endFile.equals(file) && nextPosition >= endOffset;
  }

  @Override
  public String toString() {
    return startFile
        + ":"
        + startOffset
        + " .. "
        + endFile
        + ":"
        + endOffset
        + String.format(
            " (%.1f MiB, %,d row changes in %,d transactions)",
            bytes / 1048576.0, rowChanges, transactions);
  }
}
