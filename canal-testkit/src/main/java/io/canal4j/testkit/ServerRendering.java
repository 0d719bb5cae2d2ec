package io.canal4j.testkit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The server as the oracle for decoded values: the SQL expression whose text a column's value is
 * compared with ({@code CAST(col AS CHAR)}, {@code HEX(col)} for bytes), and the comparison of a
 * canonical Java value (canal4j's value table: Integer, Long, BigInteger, BigDecimal, Float,
 * Double, Boolean/byte[] for BIT, LocalDate, LocalDateTime, Instant, Duration, String, byte[]) with
 * that text. Knows no canal4j code, so it shares no converter with what it checks.
 *
 * <p>Read the expressions in a session with {@code time_zone = '+00:00'}: an {@code Instant} is
 * compared with the UTC text of the TIMESTAMP. Types are named as {@code
 * information_schema.COLUMNS.DATA_TYPE} does ({@code datetime}, {@code mediumblob}, {@code
 * point}...); {@code fsp} is the column's fractional-second digits.
 */
public final class ServerRendering {
  private static final HexFormat HEX = HexFormat.of().withUpperCase();

  private ServerRendering() {}

  /** The expression to select for a column of {@code dataType}; {@code column} is quoted. */
  public static String expression(String column, String dataType) {
    return switch (kind(dataType)) {
      case "float" -> "CAST((" + column + " + 0e0) AS CHAR)"; // FLOAT prints 6 digits only
      case "bit", "bytes" -> "HEX(" + column + ")";
      default -> "CAST(" + column + " AS CHAR)";
    };
  }

  /**
   * Null when {@code value} is what the server printed as {@code text} for a column of {@code
   * dataType}, else a description of the difference. A String value (text, ENUM, SET, JSON, a zero
   * date delivered as text) must equal the text exactly; JSON is compared as text because MySQL
   * prints its binary JSON in one canonical form.
   */
  public static String mismatch(Object value, String dataType, int fsp, String text) {
    if (value == null || text == null) {
      return value == null && text == null
          ? null
          : "ours " + show(value) + " but the server prints " + show(text);
    }
    String kind = kind(dataType);
    String ours;
    if (value instanceof String s) {
      ours = s;
    } else if (kind.equals("float") || kind.equals("double")) {
      double server = Double.parseDouble(text);
      boolean same =
          value instanceof Float f ? (float) server == f : value instanceof Double d && server == d;
      return same ? null : show(value) + " but the server prints " + text;
    } else if (kind.equals("bit")) {
      BigInteger bits =
          value instanceof Boolean b
              ? (b ? BigInteger.ONE : BigInteger.ZERO)
              : new BigInteger(1, (byte[]) value);
      return bits.equals(new BigInteger(text, 16)) ? null : show(value) + " but HEX is " + text;
    } else if (value instanceof byte[] b) {
      ours = HEX.formatHex(b);
    } else if (value instanceof BigDecimal d) {
      ours = d.toPlainString(); // the server prints exactly the column's scale
    } else if (kind.equals("year")) {
      ours = String.format(Locale.ROOT, "%04d", (Integer) value);
    } else if (value instanceof LocalDate d) {
      ours = d.toString();
    } else if (value instanceof LocalDateTime t) {
      ours = dateTime(t, fsp);
    } else if (value instanceof Instant i) {
      ours = dateTime(LocalDateTime.ofInstant(i, ZoneOffset.UTC), fsp);
    } else if (value instanceof Duration d) {
      ours = time(d, fsp);
    } else {
      ours = value.toString();
    }
    return ours.equals(text) ? null : "ours " + show(ours) + " but the server prints " + show(text);
  }

  private static String kind(String dataType) {
    String t = dataType.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "float" -> "float";
      case "double", "real" -> "double";
      case "bit" -> "bit";
      case "binary",
          "varbinary",
          "tinyblob",
          "blob",
          "mediumblob",
          "longblob",
          "geometry",
          "point",
          "linestring",
          "polygon",
          "multipoint",
          "multilinestring",
          "multipolygon",
          "geometrycollection",
          "geomcollection" ->
          "bytes";
      default -> t;
    };
  }

  private static String dateTime(LocalDateTime t, int fsp) {
    return String.format(
            Locale.ROOT,
            "%04d-%02d-%02d %02d:%02d:%02d",
            t.getYear(),
            t.getMonthValue(),
            t.getDayOfMonth(),
            t.getHour(),
            t.getMinute(),
            t.getSecond())
        + fraction(t.getNano() / 1000, fsp);
  }

  private static String time(Duration d, int fsp) {
    Duration abs = d.abs();
    long seconds = abs.getSeconds();
    return String.format(
            Locale.ROOT,
            "%s%02d:%02d:%02d",
            d.isNegative() ? "-" : "",
            seconds / 3600,
            (seconds / 60) % 60,
            seconds % 60)
        + fraction(abs.getNano() / 1000, fsp);
  }

  private static String fraction(int micros, int fsp) {
    return fsp == 0 ? "" : "." + String.format(Locale.ROOT, "%06d", micros).substring(0, fsp);
  }

  private static String show(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof byte[] b) {
      return "byte[" + HEX.formatHex(b) + "]";
    }
    String s = v.toString();
    if (s.length() > 120) {
      s = s.substring(0, 120) + "…(" + s.length() + " chars)";
    }
    return v instanceof String
        ? "\"" + s.replace("\n", "\\n") + "\""
        : s + " (" + v.getClass().getSimpleName() + ")";
  }
}
