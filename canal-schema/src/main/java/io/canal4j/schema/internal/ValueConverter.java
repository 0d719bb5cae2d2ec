package io.canal4j.schema.internal;

/**
 * Turns one raw cell value into canal4j's canonical Java value for its column. Instances are made
 * per column (and per table version) and are immutable and thread-safe.
 */
@FunctionalInterface
public interface ValueConverter {

  /**
   * Converts a raw value.
   *
   * @param raw the value as the source produced it; never null (callers handle SQL NULL)
   * @return the canonical value; null only for a zero date, which canal4j delivers as null
   * @throws IllegalArgumentException when the raw value does not fit the column (wrong class, an
   *     ENUM index or SET bit without a label)
   */
  Object convert(Object raw);
}
