package io.canal4j.dump;

import io.canal4j.schema.Column;
import io.canal4j.schema.internal.value.JdbcValues;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Turns the cells of one dumped row into canonical values by handing them to {@link JdbcValues}
 * itself, through a read-only {@link ResultSet} view of the cells.
 *
 * <p>Why a view rather than a second converter: the dump holds the same text and bytes the JDBC
 * text protocol carries (numbers and temporals as the server prints them, text and binary values as
 * the column's raw bytes, since the tool runs with {@code SET NAMES binary}), so giving JdbcValues
 * those bytes makes both readers agree by construction, charset decoding, zero dates and BIT
 * padding included, and keeps one place to change. The view answers only the getters JdbcValues
 * uses, with Connector/J's text-protocol conversions; any other call fails loudly.
 *
 * <p>Not thread-safe: one instance per dump.
 */
final class DumpCells implements InvocationHandler {
  private final ResultSet view =
      (ResultSet)
          Proxy.newProxyInstance(
              DumpCells.class.getClassLoader(), new Class<?>[] {ResultSet.class}, this);
  private byte[][] cells = new byte[0][];
  private boolean wasNull;

  /**
   * The canonical value of cell {@code index} (0-based) of {@code row}, for {@code column}.
   *
   * @throws SQLException naming the column when the cell's text does not fit its type
   */
  Object value(byte[][] row, int index, Column column, boolean zeroDatesAsText)
      throws SQLException {
    this.cells = row;
    try {
      return JdbcValues.read(view, index + 1, column, zeroDatesAsText);
    } catch (IllegalArgumentException e) {
      throw new SQLException(
          "column " + column.name() + " (" + column.columnType() + "): " + e.getMessage(), e);
    }
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws SQLException {
    String name = method.getName();
    if (name.equals("wasNull")) {
      return wasNull;
    }
    if (name.equals("toString") && args == null) {
      return "dump cells";
    }
    if (args == null || args.length != 1 || !(args[0] instanceof Integer columnIndex)) {
      throw new UnsupportedOperationException("dump cells do not support " + method);
    }
    byte[] cell = cells[columnIndex - 1];
    wasNull = cell == null;
    try {
      return switch (name) {
        case "getBytes" -> cell;
        case "getString" -> cell == null ? null : text(cell);
        case "getInt" -> cell == null ? 0 : Integer.parseInt(text(cell));
        case "getLong" -> cell == null ? 0L : Long.parseLong(text(cell));
        case "getDouble" -> cell == null ? 0d : Double.parseDouble(text(cell));
        case "getBigDecimal" -> cell == null ? null : new BigDecimal(text(cell));
        default -> throw new UnsupportedOperationException("dump cells do not support " + method);
      };
    } catch (NumberFormatException e) {
      throw new SQLException("'" + text(cell) + "' is not a number for " + name, e);
    }
  }

  private static String text(byte[] cell) {
    return new String(cell, StandardCharsets.ISO_8859_1);
  }
}
