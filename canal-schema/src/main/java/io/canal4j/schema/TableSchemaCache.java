package io.canal4j.schema;

import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.SchemaHistoryCache;
import java.util.function.Predicate;

/**
 * Answers "what did this table look like when the server wrote this row event". Row events carry
 * column types, not names, so a canal asks the cache for every TABLE_MAP it sees and for every DDL
 * statement tells it that the table changed. Implementations must never answer with a schema that
 * does not fit the TABLE_MAP (a different column count or incompatible types): they throw {@link
 * io.canal4j.error.SchemaException} naming the table, the position and the fix instead.
 *
 * <p>Called on the canal's thread only.
 */
public interface TableSchemaCache {

  /**
   * A cache that reads tables from the server's {@code information_schema} and checks every
   * TABLE_MAP against what it read. Where the server writes {@code binlog_row_metadata=FULL}, the
   * TABLE_MAP's own column names, keys, labels and charsets win. Without FULL metadata it can only
   * name columns correctly while the table has not been altered since the event was written; when
   * it can tell that the binlog and today's table differ it throws {@link
   * io.canal4j.error.SchemaException} rather than guess.
   *
   * @param connections opens connections to the server whose binlog is read
   */
  static TableSchemaCache informationSchema(ConnectionFactory connections) {
    return new InformationSchemaCache(connections);
  }

  /**
   * A cache that keeps a schema history (the default of a canal): every table of the databases that
   * hold streamed tables, as it is at the position being read. It is seeded from information_schema
   * when a canal starts without a saved history, advanced by parsing every DDL statement in the
   * stream, and saved with each checkpoint, so that a canal resuming from an old position names the
   * columns of old events as they were when the events were written, even after later ALTER, RENAME
   * or DROP + CREATE. Every TABLE_MAP is checked against it; with {@code binlog_row_metadata=FULL}
   * the TABLE_MAP's own metadata wins.
   *
   * @param connections opens connections to the server whose binlog is read
   * @param skipUnparseableDdl false to stop at a DDL statement about a kept table that canal4j
   *     cannot parse (with an error naming it); true to log a warning instead and read the tables
   *     it names from information_schema when next needed
   */
  static TableSchemaCache history(ConnectionFactory connections, boolean skipUnparseableDdl) {
    return new SchemaHistoryCache(connections, skipUnparseableDdl);
  }

  /**
   * Called on the canal's thread before streaming from {@code position}: when the canal starts, and
   * again when it reconnects from an earlier position than the last event it read.
   *
   * @param position where streaming starts
   * @param history what {@link #history()} returned for {@code position} when it was saved; null
   *     when nothing was saved (a fresh start, or a checkpoint that has none)
   * @param streamedTables the tables the canal streams
   */
  default void start(Position position, String history, Predicate<TableId> streamedTables) {}

  /**
   * The state to save with a checkpoint at the position of the last event given to this cache, or
   * null when the cache keeps none. Returns the same instance for as long as the state does not
   * change (checked at every transaction end, so it must be cheap then).
   */
  default String history() {
    return null;
  }

  /**
   * The schema of {@code tableMap.table()} as it was at {@code position}.
   *
   * @param tableMap the TABLE_MAP event preceding the rows
   * @param position the position of the TABLE_MAP event
   * @throws io.canal4j.error.SchemaException when no schema fits the TABLE_MAP
   */
  TableSchema schemaAt(TableMap tableMap, Position position);

  /**
   * A DDL statement took effect at {@code position}; the cache forgets or updates what it changed.
   *
   * @param database the statement's default database (may be empty)
   * @param statement the SQL text as the server logged it
   * @param position the position right after the statement
   */
  default void applyDdl(String database, String statement, Position position) {}
}
