package io.canal4j.elasticsearch.internal;

import io.canal4j.schema.Position;

/**
 * External document versions that grow with the binlog.
 *
 * <p>A version is {@code epoch << 55 | fileSequence << 32 | offset}: the binlog file's number, then
 * the offset of the rows event plus the change's place in that event. A rows event takes at least
 * one byte per change and starts after the previous event ended, so every change of one server's
 * binlog gets a version of its own, in binlog order. A snapshot row takes the version of the point
 * it was read at: that point is a transaction end, and every rows event after it starts later, so
 * each change after the point wins over the snapshot row and each change before it loses.
 *
 * <p>The epoch (0..255) is the user's: binlog positions start again after {@code RESET MASTER} or
 * on another server after a fail-over, and then only a higher epoch keeps versions growing.
 */
public final class Versions {
  /** The largest epoch: 8 bits below the sign bit. */
  public static final int MAX_EPOCH = 255;

  private static final long MAX_FILE = (1L << 23) - 1;
  private static final long MAX_OFFSET = (1L << 32) - 1;

  private Versions() {}

  /**
   * The version of the change at {@code indexInEvent} of the rows event at {@code position}, or of
   * a snapshot row read at {@code position} ({@code indexInEvent} 0).
   *
   * @throws IllegalArgumentException when the binlog file name has no sequence number or the
   *     numbers do not fit
   */
  public static long of(int epoch, Position position, int indexInEvent) {
    if (epoch < 0 || epoch > MAX_EPOCH) {
      throw new IllegalArgumentException("version epoch " + epoch + " is not in 0..255");
    }
    long file = fileSequence(position.file());
    long offset = position.offset() + indexInEvent;
    if (file > MAX_FILE || offset > MAX_OFFSET) {
      throw new IllegalArgumentException(
          "binlog position "
              + position
              + " does not fit a document version (file number up to "
              + MAX_FILE
              + ", offset up to 4 GiB)");
    }
    return ((long) epoch << 55) | (file << 32) | offset;
  }

  /** The number at the end of a binlog file name, as in {@code binlog.000042}. */
  public static long fileSequence(String file) {
    int dot = file.lastIndexOf('.');
    String digits = file.substring(dot + 1);
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          "binlog file '" + file + "' has no sequence number to make document versions from");
    }
    return Long.parseLong(digits);
  }
}
