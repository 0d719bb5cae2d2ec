package io.canal4j.dump;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.value.JdbcValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL that selects a primary-key range, and the binding of its bounds.
 *
 * <p>A bound {@code key > (v1, v2, v3)} is written out as {@code k1 >= ? AND (k1 > ? OR (k1 = ? AND
 * k2 > ?) OR (k1 = ? AND k2 = ? AND k3 > ?))} rather than as a row comparison, because neither
 * MySQL 8.0 nor MariaDB turns {@code (k1, k2) > (?, ?)} into an index range; the leading {@code k1
 * >= ?} is redundant but gives every optimizer a range on the first key column.
 *
 * <p>Values are bound so that the server compares them with the column exactly as it orders the
 * index:
 *
 * <ul>
 *   <li>text as a plain string parameter: a literal is coercible, so the comparison takes the
 *       column's collation (a case-insensitive key stays case-insensitive) and the server converts
 *       the literal from the connection's utf8mb4 to the column's charset, the inverse of how the
 *       canonical String was decoded;
 *   <li>integers, DECIMAL and BIGINT UNSIGNED as exact numeric literals (a string compared with a
 *       number would go through DOUBLE and lose digits near 2^64);
 *   <li>FLOAT and DOUBLE as the double whose decimal text converts back to the same bits;
 *   <li>temporal values as their text in the session's UTC time zone, with all six fractional
 *       digits (Connector/J drops fractional seconds of temporal parameters on MariaDB);
 *   <li>ENUM and SET by their number, which is how the index orders them (a string comparison would
 *       go by label);
 *   <li>bytes as a binary string; BIT as its unsigned number.
 * </ul>
 */
final class KeyRange {
  private final TableSchema table;
  private final List<Column> key;

  KeyRange(TableSchema table) {
    this.table = table;
    List<Column> columns = new ArrayList<>();
    for (String name : table.primaryKey()) {
      columns.add(table.column(name));
    }
    this.key = List.copyOf(columns);
  }

  List<Column> columns() {
    return key;
  }

  /** {@code `db`.`table`}. */
  String tableName() {
    return JdbcValues.quoteIdentifier(table.id().database())
        + "."
        + JdbcValues.quoteIdentifier(table.id().table());
  }

  /** The key columns, for ORDER BY. */
  String orderBy() {
    StringBuilder sb = new StringBuilder();
    for (Column c : key) {
      sb.append(sb.length() == 0 ? "" : ", ").append(JdbcValues.quoteIdentifier(c.name()));
    }
    return sb.toString();
  }

  /** The condition {@code key > lower}, with {@link #placeholders()} parameters. */
  String after() {
    return compare(">", ">");
  }

  /** The condition {@code key <= upper}, with {@link #placeholders()} parameters. */
  String atMost() {
    return compare("<", "<=");
  }

  /** How many parameters {@link #after()} and {@link #atMost()} each take. */
  int placeholders() {
    int n = key.size();
    return n == 1 ? 1 : 1 + n * (n + 1) / 2;
  }

  private String compare(String strict, String last) {
    String first = JdbcValues.quoteIdentifier(key.get(0).name());
    if (key.size() == 1) {
      return first + " " + last + " ?";
    }
    StringBuilder sb = new StringBuilder(first).append(' ').append(strict).append("= ? AND (");
    for (int term = 0; term < key.size(); term++) {
      sb.append(term == 0 ? "" : " OR ").append('(');
      for (int j = 0; j < term; j++) {
        sb.append(JdbcValues.quoteIdentifier(key.get(j).name())).append(" = ? AND ");
      }
      String op = term == key.size() - 1 ? last : strict;
      sb.append(JdbcValues.quoteIdentifier(key.get(term).name())).append(' ').append(op);
      sb.append(" ?)");
    }
    return sb.append(')').toString();
  }

  /**
   * Binds a bound's values to the parameters of {@link #after()} or {@link #atMost()}, starting at
   * {@code first}; returns the next parameter index.
   */
  int bind(PreparedStatement ps, int first, List<Object> bound) throws SQLException {
    int p = first;
    bindValue(ps, p++, key.get(0), bound.get(0));
    if (key.size() > 1) {
      for (int term = 0; term < key.size(); term++) {
        for (int j = 0; j <= term; j++) {
          bindValue(ps, p++, key.get(j), bound.get(j));
        }
      }
    }
    return p;
  }

  /** Whether a bound holds a zero or partly-zero date, which is its text (see ZeroDateMode). */
  boolean hasZeroDate(List<Object> bound) {
    if (bound != null) {
      for (int i = 0; i < key.size(); i++) {
        ColumnType t = key.get(i).type();
        if (bound.get(i) instanceof String
            && (t == ColumnType.DATE || t == ColumnType.DATETIME || t == ColumnType.TIMESTAMP)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Checks that a chunk's bound fits this key.
   *
   * @throws ChunkMismatchException naming the mismatch
   */
  void check(Chunk chunk, List<Object> bound) {
    if (bound == null) {
      return;
    }
    if (bound.size() != key.size()) {
      throw new ChunkMismatchException(
          chunk
              + " has "
              + bound.size()
              + " key values but the primary key of "
              + table.id()
              + " is "
              + table.primaryKey()
              + ": the table changed since the chunk was planned");
    }
    for (int i = 0; i < key.size(); i++) {
      if (!fits(key.get(i), bound.get(i))) {
        throw new ChunkMismatchException(
            chunk
                + " has a "
                + bound.get(i).getClass().getSimpleName()
                + " for key column "
                + key.get(i).name()
                + " "
                + key.get(i).columnType()
                + " of "
                + table.id()
                + ": the table changed since the chunk was planned");
      }
    }
  }

  private static boolean fits(Column c, Object v) {
    return switch (c.type()) {
      case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT, YEAR ->
          v instanceof Integer || v instanceof Long || v instanceof BigInteger;
      case DECIMAL -> v instanceof BigDecimal;
      case FLOAT, DOUBLE -> v instanceof Float || v instanceof Double;
      case BIT -> v instanceof Boolean || v instanceof byte[];
      case DATE -> v instanceof LocalDate || v instanceof String;
      case DATETIME -> v instanceof LocalDateTime || v instanceof String;
      case TIMESTAMP -> v instanceof Instant || v instanceof String;
      case TIME -> v instanceof Duration;
      case CHAR, VARCHAR, TEXT, ENUM, SET, JSON -> v instanceof String;
      case BINARY, VARBINARY, BLOB, GEOMETRY -> v instanceof byte[];
    };
  }

  private static void bindValue(PreparedStatement ps, int i, Column c, Object v)
      throws SQLException {
    switch (c.type()) {
      case ENUM -> ps.setInt(i, enumNumber(c, (String) v));
      case SET -> ps.setLong(i, setNumber(c, (String) v));
      case BIT -> {
        if (v instanceof Boolean b) {
          ps.setInt(i, b ? 1 : 0);
        } else {
          ps.setBigDecimal(i, new BigDecimal(new BigInteger(1, (byte[]) v)));
        }
      }
      case FLOAT, DOUBLE -> ps.setDouble(i, ((Number) v).doubleValue());
      case DATE, DATETIME, TIMESTAMP, TIME -> ps.setString(i, temporalText(v));
      case CHAR, VARCHAR, TEXT, JSON -> ps.setString(i, (String) v);
      case BINARY, VARBINARY, BLOB, GEOMETRY -> ps.setBytes(i, (byte[]) v);
      case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT, YEAR, DECIMAL -> {
        if (v instanceof Integer || v instanceof Long) {
          ps.setLong(i, ((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
          ps.setBigDecimal(i, new BigDecimal(b));
        } else {
          ps.setBigDecimal(i, (BigDecimal) v);
        }
      }
    }
  }

  private static int enumNumber(Column c, String label) {
    return c.enumValues().indexOf(label) + 1; // "" (the error value) is not a label: 0
  }

  private static long setNumber(Column c, String labels) {
    long mask = 0;
    if (!labels.isEmpty()) {
      for (String label : labels.split(",", -1)) {
        int bit = c.enumValues().indexOf(label);
        if (bit < 0) {
          throw new IllegalArgumentException(
              "SET column " + c.name() + " has no member '" + label + "'");
        }
        mask |= 1L << bit;
      }
    }
    return mask;
  }

  /** The MySQL text of a canonical temporal value (a zero date already is its text). */
  static String temporalText(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof LocalDate d) {
      return date(d, new StringBuilder()).toString();
    }
    if (v instanceof LocalDateTime t) {
      return dateTime(t);
    }
    if (v instanceof Instant t) {
      return dateTime(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }
    Duration d = (Duration) v;
    StringBuilder sb = new StringBuilder(d.isNegative() ? "-" : "");
    Duration a = d.abs();
    sb.append(a.toHours()).append(':');
    pad(sb, a.toMinutesPart(), 2).append(':');
    pad(sb, a.toSecondsPart(), 2).append('.');
    return pad(sb, a.toNanosPart() / 1000, 6).toString();
  }

  private static String dateTime(LocalDateTime t) {
    StringBuilder sb = date(t.toLocalDate(), new StringBuilder()).append(' ');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2).append('.');
    return pad(sb, t.getNano() / 1000, 6).toString();
  }

  private static StringBuilder date(LocalDate d, StringBuilder sb) {
    pad(sb, d.getYear(), 4).append('-');
    pad(sb, d.getMonthValue(), 2).append('-');
    return pad(sb, d.getDayOfMonth(), 2);
  }

  private static StringBuilder pad(StringBuilder sb, long value, int width) {
    String s = Long.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
