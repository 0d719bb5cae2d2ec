package io.canal4j.dump;

/**
 * Receives the rows {@link TableReader#read} streams, one call per row, on the reading thread, in
 * primary-key order.
 *
 * <p>An exception from {@link #row} stops the read at once and {@code read} rethrows it unchanged
 * (checked ones with their own type, thanks to {@code E}); the rows after it are not delivered. The
 * driver may still drain the rest of the result from the connection while closing it.
 *
 * @param <E> the checked exception the sink may throw; {@link RuntimeException} for none
 */
@FunctionalInterface
public interface RowSink<E extends Exception> {

  /**
   * One row.
   *
   * @param values the row's canonical values in table column order (null for SQL NULL); a new array
   *     for every row, which the sink may keep
   */
  void row(Object[] values) throws E;
}
