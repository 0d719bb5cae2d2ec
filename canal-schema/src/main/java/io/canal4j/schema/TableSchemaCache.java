package io.canal4j.schema;

import io.canal4j.schema.internal.InformationSchemaCache;

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
  static InformationSchemaCache informationSchema(ConnectionFactory connections) {
    return new InformationSchemaCache(connections);
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
