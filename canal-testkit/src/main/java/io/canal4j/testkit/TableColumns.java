package io.canal4j.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table's columns and primary key from {@code information_schema}, as the replica fixtures need
 * them. The table may be named {@code schema.table}; otherwise the connection's database is used.
 */
record TableColumns(String name, List<Column> columns, List<String> primaryKey) {

  /** One column; {@code text} marks character columns (which have a character set). */
  record Column(String name, String dataType, boolean text, boolean generated) {}

  /** Reads the columns of {@code table}; fails if the table does not exist. */
  static TableColumns load(Connection connection, String table) throws SQLException {
    int dot = table.indexOf('.');
    String schema = dot < 0 ? null : table.substring(0, dot);
    String bare = dot < 0 ? table : table.substring(dot + 1);
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME, GENERATION_EXPRESSION"
                + " FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = IFNULL(?, DATABASE()) AND TABLE_NAME = ?"
                + " ORDER BY ORDINAL_POSITION")) {
      s.setString(1, schema);
      s.setString(2, bare);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          String generation = rows.getString(4);
          columns.add(
              new Column(
                  rows.getString(1),
                  rows.getString(2).toLowerCase(Locale.ROOT),
                  rows.getString(3) != null && !rows.getString(3).equals("binary"),
                  generation != null && !generation.isEmpty()));
        }
      }
    }
    if (columns.isEmpty()) {
      throw new IllegalArgumentException(
          "table "
              + table
              + " not found"
              + (schema == null ? " in the connection's database" : ""));
    }
    List<String> key = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = IFNULL(?, DATABASE()) AND TABLE_NAME = ?"
                + " AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX")) {
      s.setString(1, schema);
      s.setString(2, bare);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          key.add(rows.getString(1));
        }
      }
    }
    return new TableColumns(table, List.copyOf(columns), List.copyOf(key));
  }

  /** The column of this name, compared case-insensitively as the server does. */
  Column column(String columnName) {
    for (Column c : columns) {
      if (c.name().equalsIgnoreCase(columnName)) {
        return c;
      }
    }
    return null;
  }
}
