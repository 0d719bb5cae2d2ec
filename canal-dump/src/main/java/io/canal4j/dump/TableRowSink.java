package io.canal4j.dump;

import io.canal4j.schema.TableSchema;

/**
 * Receives the rows {@link DumpToolReader#run} parses from the dump tool's output, one call per
 * row, on the thread that called {@code run}, table after table in the order the tool dumps them
 * (the order of the table list), rows within a table in the order the server returned them (not
 * sorted).
 *
 * <p>An exception from {@link #row} stops the dump at once: the tool's process is killed and {@code
 * run} rethrows the exception unchanged (checked ones with their own type, thanks to {@code E}).
 *
 * @param <E> the checked exception the sink may throw; {@link RuntimeException} for none
 */
@FunctionalInterface
public interface TableRowSink<E extends Exception> {

  /**
   * One row.
   *
   * @param table the table of the row, one of those given to {@code run}
   * @param values the row's canonical values in table column order (null for SQL NULL), equal in
   *     value and class to what {@link TableReader} reads; a new array for every row, which the
   *     sink may keep
   */
  void row(TableSchema table, Object[] values) throws E;
}
