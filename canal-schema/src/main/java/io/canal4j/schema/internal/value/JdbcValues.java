package io.canal4j.schema.internal.value;

import io.canal4j.schema.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads canal4j's canonical values from a JDBC result, equal in type and value to what {@link
 * BinlogCells} makes of the same stored data (see the table in {@link CanonicalValues}).
 *
 * <p>Requirements, checked by the tests with MySQL Connector/J against MySQL and MariaDB:
 *
 * <ul>
 *   <li><b>Prepare the session with {@link #prepareSession(Connection)}</b>, which sets {@code
 *       time_zone = '+00:00'} and {@code character_set_results = NULL}:
 *       <ul>
 *         <li>TIMESTAMP values are read as the text MySQL prints in the session time zone and taken
 *             as UTC: exact, and independent of the JVM's zone, the server's zone and DST;
 *         <li>text then arrives in each column's own charset and is decoded by the same code as the
 *             binlog's bytes, so both sides agree to the character (the server's own conversion
 *             differs for some bytes, e.g. latin1's 0x81, and Connector/J's decoding of them
 *             differs again). Connector/J already sets {@code character_set_results = NULL}.
 *       </ul>
 *   <li><b>Select each column with {@link #selectExpression(Column)}.</b> MySQL prints FLOAT with
 *       six significant digits (16777216 comes back as 16777200), so FLOAT columns are selected as
 *       {@code col + 0e0}, whose DOUBLE text converts back to the stored float exactly. Every other
 *       column is selected as itself.
 *   <li>The text protocol (Connector/J's default {@code useServerPrepStmts=false}). Temporal values
 *       and text are taken from {@code getBytes}, the raw text the server sent, not from {@code
 *       getString} or {@code getObject}, which Connector/J reinterprets (it prints TIME '-00:00:01'
 *       as "00:00:01"); so no URL property ({@code zeroDateTimeBehavior}, {@code
 *       connectionTimeZone}, {@code characterEncoding}) plays a part. Zero, partly-zero and invalid
 *       dates become null, or their text, like on the binlog side.
 * </ul>
 */
public final class JdbcValues {
  private JdbcValues() {}

  /**
   * Sets up a connection for {@link #read}: {@code SET time_zone = '+00:00', character_set_results
   * = NULL}.
   *
   * @throws SQLException when the statement fails
   */
  public static void prepareSession(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET time_zone = '+00:00', character_set_results = NULL");
    }
  }

  /** The SQL expression to select a column by for {@link #read}, with its name back-quoted. */
  public static String selectExpression(Column column) {
    String name = quoteIdentifier(column.name());
    return switch (column.type()) {
      case FLOAT -> "(" + name + " + 0e0)";
      default -> name;
    };
  }

  /** A back-quoted identifier, with back quotes inside doubled. */
  public static String quoteIdentifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /**
   * The canonical value of one column of the current row, or null for SQL NULL (and for zero,
   * partly-zero and invalid dates).
   *
   * @param rs a result positioned on a row, read in a session prepared with {@link #prepareSession}
   * @param columnIndex the 1-based index of the column selected with {@link #selectExpression}
   * @param column the column's schema
   * @throws SQLException when the driver fails to read the value
   */
  public static Object read(ResultSet rs, int columnIndex, Column column) throws SQLException {
    return read(rs, columnIndex, column, false);
  }

  /**
   * The canonical value of one column of the current row, or null for SQL NULL.
   *
   * @param zeroDatesAsText whether zero, partly-zero and invalid DATE/DATETIME values and the zero
   *     TIMESTAMP become the text MySQL prints for them (else null), see {@link InvalidDates}
   * @see #read(ResultSet, int, Column)
   */
  public static Object read(ResultSet rs, int columnIndex, Column column, boolean zeroDatesAsText)
      throws SQLException {
    return switch (column.type()) {
      case TINYINT, SMALLINT, MEDIUMINT -> nullable(rs, rs.getInt(columnIndex));
      case INT ->
          column.unsigned()
              ? nullable(rs, rs.getLong(columnIndex))
              : nullable(rs, rs.getInt(columnIndex));
      case BIGINT -> {
        if (!column.unsigned()) {
          yield nullable(rs, rs.getLong(columnIndex));
        }
        String s = rs.getString(columnIndex);
        yield s == null ? null : new BigInteger(s);
      }
      case DECIMAL -> {
        BigDecimal d = rs.getBigDecimal(columnIndex);
        yield d == null ? null : d.setScale(column.scale(), RoundingMode.UNNECESSARY);
      }
      case FLOAT -> {
        double d = rs.getDouble(columnIndex);
        yield rs.wasNull() ? null : (float) d;
      }
      case DOUBLE -> nullable(rs, rs.getDouble(columnIndex));
      case BIT -> bit(rs.getBytes(columnIndex), column.precision());
      case DATE -> {
        String s = ascii(rs.getBytes(columnIndex));
        Object d = s == null ? null : Temporals.parseDate(s);
        yield d == null ? invalidDate(s, zeroDatesAsText) : d;
      }
      case DATETIME -> {
        String s = ascii(rs.getBytes(columnIndex));
        Object t = s == null ? null : Temporals.parseDateTime(s);
        yield t == null ? invalidDate(s, zeroDatesAsText) : t;
      }
      case TIMESTAMP -> {
        String s = ascii(rs.getBytes(columnIndex));
        LocalDateTime t = s == null ? null : Temporals.parseDateTime(s);
        yield t == null ? invalidDate(s, zeroDatesAsText) : t.toInstant(ZoneOffset.UTC);
      }
      case TIME -> {
        String s = ascii(rs.getBytes(columnIndex));
        yield s == null ? null : Temporals.parseTime(s);
      }
      case YEAR -> nullable(rs, rs.getInt(columnIndex));
      case CHAR -> {
        String s = text(rs.getBytes(columnIndex), column);
        yield s == null ? null : CanonicalValues.stripTrailingSpaces(s);
      }
      case VARCHAR, TEXT, ENUM, SET -> text(rs.getBytes(columnIndex), column);
      case JSON -> {
        byte[] b = rs.getBytes(columnIndex);
        yield b == null ? null : new String(b, StandardCharsets.UTF_8);
      }
      case BINARY -> {
        byte[] b = rs.getBytes(columnIndex);
        yield b == null ? null : CanonicalValues.padBinary(b, column.precision());
      }
      case VARBINARY, BLOB, GEOMETRY -> rs.getBytes(columnIndex);
    };
  }

  /** The server's text of a value that is no date (the text protocol prints as CAST does). */
  private static String invalidDate(String text, boolean asText) {
    return asText ? text : null;
  }

  private static String ascii(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.US_ASCII);
  }

  private static String text(byte[] bytes, Column column) {
    if (bytes == null) {
      return null;
    }
    return CanonicalValues.textDecoder(column).decode(bytes);
  }

  private static Object nullable(ResultSet rs, Object value) throws SQLException {
    return rs.wasNull() ? null : value;
  }

  private static Object bit(byte[] bytes, int width) {
    if (bytes == null) {
      return null;
    }
    if (width == 1) {
      return bytes.length > 0 && bytes[bytes.length - 1] != 0;
    }
    int length = (width + 7) / 8;
    if (bytes.length == length) {
      return bytes;
    }
    byte[] big = new byte[length];
    int n = Math.min(length, bytes.length);
    System.arraycopy(bytes, bytes.length - n, big, length - n, n);
    return big;
  }
}
