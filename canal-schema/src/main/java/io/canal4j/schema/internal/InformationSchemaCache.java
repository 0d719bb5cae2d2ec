package io.canal4j.schema.internal;

import io.canal4j.error.SchemaException;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.TableSchemaCache;
import io.canal4j.schema.internal.ddl.DdlScope;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TableSchemaCache} that reads tables from today's {@code information_schema} and checks
 * every TABLE_MAP against them. Internal: built by {@link TableSchemaCache#informationSchema}.
 *
 * <p><b>How a TABLE_MAP is answered.</b> The table's information_schema version is cached per
 * table. A TABLE_MAP must fit it: the same column count and, column by column, a wire type that the
 * column's type produces, with the same DECIMAL precision/scale, fractional-second digits and BIT
 * width. When it does not fit, the table is read again once (the cached version may be older than
 * an ALTER whose DDL event this cache was not told about); when it still does not fit:
 *
 * <ul>
 *   <li>with {@code binlog_row_metadata=FULL} the TABLE_MAP's own metadata describes the table
 *       version the event was written with, and the schema is built from it alone;
 *   <li>without it a {@link SchemaException} names the table, the position, the difference and the
 *       fix. No schema that does not fit is ever returned.
 * </ul>
 *
 * When the TABLE_MAP has FULL metadata and information_schema fits, the result combines both:
 * names, signedness, charsets, labels and primary key from the TABLE_MAP, the rest (full type text,
 * character lengths) from information_schema.
 *
 * <p>What no check can see without FULL metadata: an ALTER that keeps every column's wire type
 * (renamed columns, a changed charset or ENUM labels, a changed primary key). Replaying events from
 * before such an ALTER names them with today's table; {@code binlog_row_metadata=FULL} or a schema
 * history (a later version) is the cure.
 *
 * <p>{@link #schemaAt} and {@link #applyDdl} are for the canal's thread; {@link #load} may be
 * called from any thread.
 */
public final class InformationSchemaCache implements TableSchemaCache {
  private static final Logger LOG = LoggerFactory.getLogger(InformationSchemaCache.class);

  private static final String FIX =
      "The table was altered after this event was written; enable binlog_row_metadata=FULL on"
          + " the server, or start from a position after the ALTER.";

  private final InformationSchemaLoader loader;
  private final Map<TableId, Entry> tables = new ConcurrentHashMap<>();
  private final FullMetadata fullMetadata;

  /** What is known of one table: today's version and the last TABLE_MAP answered. */
  private record Entry(TableSchema current, TableMap lastMap, TableSchema lastAnswer) {}

  /**
   * @param connections opens connections to the server whose binlog is read; the user needs SELECT
   *     on the tables (information_schema shows only tables the user may use)
   */
  public InformationSchemaCache(ConnectionFactory connections) {
    this.loader = new InformationSchemaLoader(connections);
    this.fullMetadata = new FullMetadata(loader);
  }

  /**
   * The table as information_schema has it now. Not cached; safe from any thread.
   *
   * @throws SchemaException when the table does not exist (or the user may not see it)
   * @throws io.canal4j.error.ServerException when information_schema cannot be read
   */
  public TableSchema load(TableId table) {
    TableSchema schema = loader.loadOrNull(table, null);
    if (schema == null) {
      throw new SchemaException(missing(table, null), table, null);
    }
    return schema;
  }

  /** Every base table the user may see outside the system databases (not views), sorted. */
  public List<TableId> tables() {
    return loader.baseTables().stream()
        .map(InformationSchemaLoader.TableName::id)
        .sorted()
        .toList();
  }

  @Override
  public TableSchema schemaAt(TableMap tableMap, Position position) {
    TableId id = tableMap.table();
    Entry entry = tables.get(id);
    if (entry != null && entry.lastMap != null && TableMapFit.sameShape(entry.lastMap, tableMap)) {
      return entry.lastAnswer;
    }
    boolean fresh = entry == null;
    TableSchema current = fresh ? loader.loadOrNull(id, position) : entry.current;
    String misfit = current == null ? null : TableMapFit.misfit(tableMap, current);
    if (!fresh && (current == null || misfit != null)) {
      LOG.debug("TABLE_MAP of {} at {} does not fit the cached schema; reloading", id, position);
      current = loader.loadOrNull(id, position);
      misfit = current == null ? null : TableMapFit.misfit(tableMap, current);
    }
    TableSchema answer;
    if (current != null && misfit == null) {
      answer =
          tableMap.hasColumnNames() ? fullMetadata.merge(tableMap, current, position) : current;
    } else if (tableMap.hasColumnNames()) {
      answer = fullMetadata.fromTableMap(tableMap, position, "information_schema");
      LOG.debug(
          "{} at {}: information_schema has another version ({}); using the TABLE_MAP's metadata",
          id,
          position,
          current == null ? "no table" : misfit);
    } else if (current == null) {
      throw new SchemaException(
          missing(id, position)
              + "; the table was dropped or renamed after this event was written. Enable"
              + " binlog_row_metadata=FULL on the server, or start from a position after the"
              + " DROP or RENAME.",
          id,
          position);
    } else {
      throw new SchemaException(
          "Table "
              + id
              + " at "
              + position
              + " does not match information_schema: "
              + misfit
              + ". "
              + FIX,
          id,
          position);
    }
    tables.put(id, new Entry(current, TableMapFit.copy(tableMap), answer));
    return answer;
  }

  /**
   * Forgets the tables the statement may have changed, so the next TABLE_MAP reads them again. When
   * the statement's tables cannot be told, forgets every table of {@code database} (or every table,
   * without a database).
   */
  @Override
  public void applyDdl(String database, String statement, Position position) {
    DdlScope touched = DdlScope.of(database, statement);
    if (touched.isNothing()) {
      return;
    }
    if (touched.everything()) {
      LOG.debug("DDL at {} may touch any table; forgetting all", position);
      tables.clear();
      return;
    }
    tables
        .keySet()
        .removeIf(
            cached -> {
              // Case-insensitive: lower_case_table_names may let the statement spell it otherwise.
              for (String db : touched.databases()) {
                if (db.equalsIgnoreCase(cached.database())) {
                  return true;
                }
              }
              for (TableId t : touched.tables()) {
                if (t.table().equalsIgnoreCase(cached.table())
                    && (t.database().isEmpty()
                        || t.database().equalsIgnoreCase(cached.database()))) {
                  return true;
                }
              }
              return false;
            });
  }

  /** Forgets every cached table. */
  public void invalidateAll() {
    tables.clear();
  }

  private static String missing(TableId id, Position position) {
    return "Table "
        + id
        + (position == null ? "" : " at " + position)
        + " is not in information_schema (it does not exist, or the user may not see it)";
  }
}
