package io.canal4j.schema;

import java.util.Objects;

/**
 * A table's name: database and table, as the server spells them. Its text form is {@code db.table},
 * which is also what include/exclude patterns are matched against.
 */
public record TableId(String database, String table) implements Comparable<TableId> {
  public TableId {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(table, "table");
  }

  public static TableId of(String database, String table) {
    return new TableId(database, table);
  }

  @Override
  public int compareTo(TableId other) {
    int c = database.compareTo(other.database);
    return c != 0 ? c : table.compareTo(other.table);
  }

  @Override
  public String toString() {
    return database + "." + table;
  }
}
