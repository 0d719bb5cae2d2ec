package io.canal4j.benchmarks;

import java.util.Arrays;

/**
 * Folds every value of a set of rows into one number that does not depend on the order the rows
 * arrive in: the sum of a hash per row, each row's hash folding its values in column order. So one
 * reader (key order) and several readers (chunks in the order they finish) of the same table must
 * give the same checksum, and folding every value keeps the JIT from dropping the decoding of
 * values nobody reads.
 *
 * <p>Not thread-safe: one instance per thread that delivers rows.
 */
final class RowSetChecksum {
  private long sum;
  private long row;

  /** Starts the next row. */
  void beginRow() {
    row = 17;
  }

  void add(Object value) {
    int h;
    if (value == null) {
      h = 0;
    } else if (value instanceof byte[] bytes) {
      h = Arrays.hashCode(bytes);
    } else {
      h = value.hashCode();
    }
    row = row * 31 + h;
  }

  /** Ends the row begun last and adds it to the set. */
  void endRow() {
    sum += mix(row);
  }

  long value() {
    return sum;
  }

  /** Spreads a row's hash over all 64 bits (MurmurHash3's finalizer), so sums rarely collide. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
