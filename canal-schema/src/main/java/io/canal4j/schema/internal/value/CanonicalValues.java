package io.canal4j.schema.internal.value;

import io.canal4j.schema.Column;
import java.util.Arrays;
import java.util.List;

/**
 * The canonical values, and the conversions that binlog rows ({@link BinlogCells}) and JDBC rows
 * ({@link JdbcValues}) share so that both give the same value for the same stored data:
 *
 * <table>
 *   <caption>MySQL type to Java type</caption>
 *   <tr><th>MySQL</th><th>Java</th></tr>
 *   <tr><td>TINYINT..INT signed, TINYINT..MEDIUMINT unsigned</td><td>Integer</td></tr>
 *   <tr><td>INT UNSIGNED, BIGINT</td><td>Long</td></tr>
 *   <tr><td>BIGINT UNSIGNED</td><td>BigInteger</td></tr>
 *   <tr><td>DECIMAL(p,s)</td><td>BigDecimal with scale s</td></tr>
 *   <tr><td>FLOAT / DOUBLE</td><td>Float / Double</td></tr>
 *   <tr><td>BIT(1) / BIT(n&gt;1)</td><td>Boolean / byte[] (big-endian, (n+7)/8 bytes)</td></tr>
 *   <tr><td>DATE / DATETIME(fsp) / TIMESTAMP(fsp) / TIME(fsp) / YEAR</td>
 *       <td>LocalDate / LocalDateTime / Instant / Duration (±838 h) / Integer</td></tr>
 *   <tr><td>CHAR, VARCHAR, TEXT in any charset</td>
 *       <td>String, decoded with the column's charset (CHAR without trailing spaces)</td></tr>
 *   <tr><td>BINARY, VARBINARY, BLOB</td><td>byte[] (BINARY(n) padded with 0x00 to n)</td></tr>
 *   <tr><td>ENUM / SET</td>
 *       <td>String label / comma-joined labels in definition order (as MySQL prints them)</td></tr>
 *   <tr><td>JSON</td><td>String: MySQL's binary JSON rendered as MySQL prints it</td></tr>
 *   <tr><td>GEOMETRY</td><td>byte[]: 4-byte little-endian SRID, then WKB</td></tr>
 * </table>
 *
 * <p>Zero and partly-zero DATE/DATETIME values, dates past a month's end (all only under a
 * permissive sql_mode) and the zero TIMESTAMP are not dates: they become null, or with {@code
 * zeroDatesAsText} the String {@code CAST(col AS CHAR)} prints ({@link InvalidDates}). YEAR 0000 is
 * 0.
 */
final class CanonicalValues {
  private CanonicalValues() {}

  /** The decoder of a text column's charset; throws when it has none or Java lacks it. */
  static MysqlCharsets.Decoder textDecoder(Column column) {
    if (column.charset() == null || column.charset().equalsIgnoreCase("binary")) {
      throw new IllegalArgumentException(
          "text column " + column.name() + " has no character set: " + column.charset());
    }
    return MysqlCharsets.decoder(column.charset());
  }

  /**
   * CHAR values without their trailing spaces, as SELECT shows them (the server strips CHAR's pad
   * in row events, and PAD_CHAR_TO_FULL_LENGTH is deprecated).
   */
  static String stripTrailingSpaces(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }

  /** BINARY(n) values padded back with 0x00 to n bytes (row events strip the pad). */
  static byte[] padBinary(byte[] b, int length) {
    return b.length >= length ? b : Arrays.copyOf(b, length);
  }

  /** An ENUM's label by its 1-based index; 0 is the empty string stored for an invalid value. */
  static String enumLabel(List<String> labels, int index) {
    if (index == 0) {
      return "";
    }
    if (index < 0 || index > labels.size()) {
      throw new IllegalArgumentException(
          "ENUM index " + index + " but the column has " + labels.size() + " labels");
    }
    return labels.get(index - 1);
  }

  /** A SET's labels by bit mask, comma-joined in definition order as MySQL prints them. */
  static String setLabels(List<String> labels, long mask) {
    if (labels.size() < 64 && (mask >>> labels.size()) != 0) {
      throw new IllegalArgumentException(
          "SET bits 0x"
              + Long.toHexString(mask)
              + " but the column has "
              + labels.size()
              + " labels");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < labels.size(); i++) {
      if ((mask & (1L << i)) != 0) {
        if (sb.length() > 0) {
          sb.append(',');
        }
        sb.append(labels.get(i));
      }
    }
    return sb.toString();
  }
}
