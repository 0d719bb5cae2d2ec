package io.canal4j.benchmarks;

import java.util.Arrays;

/**
 * Folds values into a running hash, so the JIT cannot drop the decoding of values nobody reads.
 * Both drains fold the same way; their sums differ because their value types differ.
 */
final class Checksum {
  private long sum = 17;

  void add(Object value) {
    int h;
    if (value == null) {
      h = 0;
    } else if (value instanceof byte[] bytes) {
      h = Arrays.hashCode(bytes);
    } else {
      h = value.hashCode();
    }
    sum = sum * 31 + h;
  }

  long value() {
    return sum;
  }
}
