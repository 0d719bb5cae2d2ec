package io.canal4j;

import io.canal4j.schema.TableSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row image: the canonical Java value of each column (see the README's type table), by name or
 * by index. Immutable.
 *
 * <p>A value can be a value, {@code null} (SQL NULL), or <em>absent</em>: with {@code
 * binlog_row_image=MINIMAL} or {@code NOBLOB} the server leaves columns out of the image, and
 * {@link #isPresent(int)} is false for them. Reading an absent column throws {@link
 * IllegalStateException} rather than pretending it was NULL.
 *
 * <p>A DATE, DATETIME or TIMESTAMP value that is no calendar date (a zero date {@code 0000-00-00},
 * a partly-zero one {@code 2024-00-15}, a day past its month's end {@code 2024-02-30}, the zero
 * TIMESTAMP; all possible only under a permissive sql_mode) is {@code null} by default, or with
 * {@link Canal.Builder#zeroDates(ZeroDates) zeroDates(ZeroDates.AS_TEXT)} the {@code String} that
 * {@code CAST(col AS CHAR)} prints for it, e.g. {@code "0000-00-00 00:00:00.000"} for a
 * DATETIME(3).
 */
public final class Row {
  private static final int TO_STRING_LIMIT = 64;

  private final TableSchema table;
  private final Object[] values;
  private final BitSet present; // null: every column present

  /**
   * @param table the table version the row was written with
   * @param values canonical values by column index; length equals the column count
   * @param present which columns the image contains, or null when it contains all of them
   */
  public Row(TableSchema table, Object[] values, BitSet present) {
    this.table = Objects.requireNonNull(table, "table");
    this.values = Objects.requireNonNull(values, "values");
    if (values.length != table.columnCount()) {
      throw new IllegalArgumentException(
          table.id() + " has " + table.columnCount() + " columns, row has " + values.length);
    }
    this.present = present == null || present.cardinality() == values.length ? null : present;
  }

  public TableSchema table() {
    return table;
  }

  public int size() {
    return values.length;
  }

  /** Whether the image contains the column (always true with {@code binlog_row_image=FULL}). */
  public boolean isPresent(int index) {
    Objects.checkIndex(index, values.length);
    return present == null || present.get(index);
  }

  public boolean isPresent(String column) {
    return isPresent(table.column(column).index());
  }

  /** The canonical value, or null for SQL NULL; throws if the column is absent from the image. */
  public Object get(int index) {
    if (!isPresent(index)) {
      throw new IllegalStateException(
          "column " + table.column(index).name() + " of " + table.id() + " is not in this image");
    }
    return values[index];
  }

  public Object get(String column) {
    return get(table.column(column).index());
  }

  public boolean isNull(String column) {
    return get(column) == null;
  }

  public String getString(String column) {
    Object v = get(column);
    return v == null ? null : v.toString();
  }

  /** The value as an Integer; throws {@link ArithmeticException} if it doesn't fit exactly. */
  public Integer getInt(String column) {
    Number n = number(column);
    if (n == null) {
      return null;
    }
    long l = exactLong(n, column);
    return Math.toIntExact(l);
  }

  /** The value as a Long; throws {@link ArithmeticException} if it doesn't fit exactly. */
  public Long getLong(String column) {
    Number n = number(column);
    return n == null ? null : exactLong(n, column);
  }

  public BigDecimal getBigDecimal(String column) {
    Number n = number(column);
    if (n == null || n instanceof BigDecimal) {
      return (BigDecimal) n;
    }
    if (n instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (n instanceof Float || n instanceof Double) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  /** The values by column name, in table order; absent columns are left out. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      if (isPresent(i)) {
        map.put(table.column(i).name(), values[i]);
      }
    }
    return Collections.unmodifiableMap(map);
  }

  private Number number(String column) {
    Object v = get(column);
    if (v == null || v instanceof Number) {
      return (Number) v;
    }
    throw new ClassCastException(
        "column " + column + " of " + table.id() + " holds " + v.getClass().getSimpleName());
  }

  private long exactLong(Number n, String column) {
    try {
      if (n instanceof BigInteger b) {
        return b.longValueExact();
      }
      if (n instanceof BigDecimal d) {
        return d.longValueExact();
      }
    } catch (ArithmeticException e) {
      throw new ArithmeticException(
          "value " + n + " of " + table.id() + "." + column + " does not fit in a long");
    }
    if (n instanceof Float || n instanceof Double) {
      double d = n.doubleValue();
      if (d != Math.rint(d) || Double.isInfinite(d)) {
        throw new ArithmeticException("value " + n + " of " + column + " is not an integer");
      }
    }
    return n.longValue();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row r
        && table.equals(r.table)
        && Arrays.deepEquals(values, r.values)
        && Objects.equals(present, r.present);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(values);
  }

  /** {@code {id=1, name=abc…}}, with long values truncated and byte arrays in hex. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < values.length; i++) {
      if (!isPresent(i)) {
        continue;
      }
      sb.append(sb.length() == 1 ? "" : ", ").append(table.column(i).name()).append('=');
      Object v = values[i];
      String s;
      if (v instanceof byte[] b) {
        StringBuilder hex = new StringBuilder("0x");
        for (int k = 0; k < Math.min(b.length, TO_STRING_LIMIT / 2); k++) {
          hex.append(String.format("%02X", b[k]));
        }
        s = b.length > TO_STRING_LIMIT / 2 ? hex + "…(" + b.length + " bytes)" : hex.toString();
      } else {
        s = String.valueOf(v);
        if (s.length() > TO_STRING_LIMIT) {
          s = s.substring(0, TO_STRING_LIMIT) + "…(" + s.length() + " chars)";
        }
      }
      sb.append(s);
    }
    return sb.append('}').toString();
  }
}
