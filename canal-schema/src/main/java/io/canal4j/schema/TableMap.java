package io.canal4j.schema;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a binlog TABLE_MAP event says about a table: the column count and wire types always, and
 * with {@code binlog_row_metadata=FULL} also names, signedness, primary key, charsets and ENUM/SET
 * labels. A {@link TableSchemaCache} uses it to pick, or check, the table version a row event was
 * written with. The optional parts are null when the server did not write them.
 *
 * @param tableNumber the server's table number, valid within one binlog file
 * @param table the table
 * @param types the binlog column type codes (MySQL {@code enum_field_types}, 0–255)
 * @param metadata the per-column type metadata (length, precision, fsp, …)
 * @param nullable which columns are nullable
 * @param columnNames column names in table order, or null
 * @param unsigned which columns are unsigned (by column index), or null
 * @param primaryKey primary key column indexes in key order, or null
 * @param collations collation id by column index for character columns, or null
 * @param enumAndSetLabels labels by column index for ENUM and SET columns, or null
 */
public record TableMap(
    long tableNumber,
    TableId table,
    int[] types,
    int[] metadata,
    BitSet nullable,
    List<String> columnNames,
    BitSet unsigned,
    List<Integer> primaryKey,
    Map<Integer, Integer> collations,
    Map<Integer, List<String>> enumAndSetLabels) {

  public TableMap {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(types, "types");
    Objects.requireNonNull(metadata, "metadata");
    if (columnNames != null && columnNames.size() != types.length) {
      throw new IllegalArgumentException(
          "TABLE_MAP of " + table + " names " + columnNames.size() + " of " + types.length);
    }
  }

  /** A TABLE_MAP with only the always-present parts (no FULL metadata). */
  public static TableMap minimal(long tableNumber, TableId table, int[] types, int[] metadata) {
    return new TableMap(
        tableNumber, table, types, metadata, new BitSet(), null, null, null, null, null);
  }

  public int columnCount() {
    return types.length;
  }

  /** Whether the server wrote column names ({@code binlog_row_metadata=FULL}). */
  public boolean hasColumnNames() {
    return columnNames != null;
  }
}
