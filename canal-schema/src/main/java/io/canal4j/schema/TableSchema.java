package io.canal4j.schema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table's columns and primary key as they were at some binlog position. Immutable; one instance
 * is shared by every row event of that table version.
 */
public final class TableSchema {
  private final TableId id;
  private final List<Column> columns;
  private final List<String> primaryKey;
  private final Map<String, Integer> indexByName;

  /**
   * @param id the table
   * @param columns the columns in table order; {@code columns.get(i).index() == i}
   * @param primaryKey the primary key's column names in key order; empty when the table has none
   */
  public TableSchema(TableId id, List<Column> columns, List<String> primaryKey) {
    this.id = Objects.requireNonNull(id, "id");
    this.columns = List.copyOf(columns);
    this.primaryKey = List.copyOf(primaryKey);
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < this.columns.size(); i++) {
      Column c = this.columns.get(i);
      if (c.index() != i) {
        throw new IllegalArgumentException(
            "column " + c.name() + " of " + id + " has index " + c.index() + ", expected " + i);
      }
      byName.put(c.name(), i);
    }
    for (String key : this.primaryKey) {
      if (!byName.containsKey(key)) {
        throw new IllegalArgumentException("primary key column " + key + " not in " + id);
      }
    }
    this.indexByName = Map.copyOf(byName);
  }

  public TableId id() {
    return id;
  }

  public List<Column> columns() {
    return columns;
  }

  public int columnCount() {
    return columns.size();
  }

  public Column column(int index) {
    return columns.get(index);
  }

  /** The column's 0-based index, or -1 when the table has no such column (names are exact). */
  public int indexOf(String name) {
    Integer i = indexByName.get(name);
    return i == null ? -1 : i;
  }

  /** The column of that name; throws {@link IllegalArgumentException} naming the table if none. */
  public Column column(String name) {
    int i = indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("table " + id + " has no column " + name);
    }
    return columns.get(i);
  }

  /** The primary key's column names in key order; empty when the table has none. */
  public List<String> primaryKey() {
    return primaryKey;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    return o instanceof TableSchema t
        && id.equals(t.id)
        && columns.equals(t.columns)
        && primaryKey.equals(t.primaryKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, columns, primaryKey);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(id.toString()).append('(');
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      sb.append(i == 0 ? "" : ", ").append(c.name()).append(' ').append(c.columnType());
    }
    if (!primaryKey.isEmpty()) {
      sb.append(", PRIMARY KEY ").append(primaryKey);
    }
    return sb.append(')').toString();
  }
}
