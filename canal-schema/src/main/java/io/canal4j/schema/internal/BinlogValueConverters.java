package io.canal4j.schema.internal;

import io.canal4j.schema.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converters from the raw cell values mysql-binlog-connector-java 0.30.1 produces to canal4j's
 * canonical values, for an {@code EventDeserializer} configured with
 *
 * <pre>{@code
 * setCompatibilityMode(CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
 *     CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
 *     CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE)
 * }</pre>
 *
 * <p>The canonical values (the same for binlog and snapshot rows):
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
 * <p>Zero and partly-zero DATE/DATETIME values and the zero TIMESTAMP become null (logged once per
 * converter). YEAR 0000 is 0.
 *
 * <p>What the connector hands over, and what becomes of it:
 *
 * <ul>
 *   <li>Integers arrive as the signed reading of their bytes (Integer for TINY/SHORT/INT24/LONG,
 *       Long for LONGLONG); UNSIGNED columns are reinterpreted ({@code -1} in a TINYINT UNSIGNED is
 *       255, in a BIGINT UNSIGNED 18446744073709551615).
 *   <li>NEWDECIMAL arrives as a BigDecimal and is given the scale of the binlog metadata.
 *   <li>BIT arrives as a BitSet whose bit i is the value's bit i.
 *   <li>CHAR, VARCHAR, TEXT, BINARY, VARBINARY and BLOB arrive as byte[]. The server strips the
 *       trailing pad of CHAR and BINARY values in row events: CHAR values are returned without
 *       trailing spaces as SELECT shows them; BINARY values are padded back with 0x00.
 *   <li>ENUM arrives as its 1-based index (0 is the empty string MySQL stores for an invalid
 *       value), SET as its bit mask.
 *   <li>MySQL JSON (type 245) arrives as binary JSON; MariaDB's JSON is LONGTEXT and arrives as
 *       text.
 *   <li>Temporal values arrive as microsecond longs; see {@link Temporals} for exactly what each
 *       one holds. Every DATE, DATETIME, TIMESTAMP and non-negative TIME converts exactly, except
 *       the dates 1582-10-05 … 1582-10-14 and days past a month's end. <b>A negative TIME cannot be
 *       recovered from the connector's long</b> (it ignores the sign bit): until the core reads
 *       TIME2 itself, such values are wrong. A converter for TIME also accepts a {@link Duration}
 *       as raw value and returns it unchanged, for a row deserializer that decodes TIME2 itself.
 *   <li>YEAR arrives as 1900 + the stored byte; the stored 0 (YEAR 0000) becomes 0.
 * </ul>
 */
public final class BinlogValueConverters {
  private static final Logger LOG = LoggerFactory.getLogger(BinlogValueConverters.class);
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  private BinlogValueConverters() {}

  /**
   * The converter for one column.
   *
   * @param column the column as the schema for this row event describes it
   * @param binlogType the column's type code from the TABLE_MAP event
   * @param binlogMetadata the column's metadata from the TABLE_MAP event, as the connector reads it
   * @throws IllegalArgumentException when a text column's charset is missing or has no Java
   *     equivalent
   */
  public static ValueConverter forColumn(Column column, int binlogType, int binlogMetadata) {
    ValueConverter c = build(column, binlogType, binlogMetadata);
    return raw -> {
      try {
        return c.convert(raw);
      } catch (ClassCastException e) {
        throw new IllegalArgumentException(
            "column "
                + column.name()
                + " ("
                + column.columnType()
                + "): unexpected raw value of "
                + raw.getClass().getName(),
            e);
      }
    };
  }

  private static ValueConverter build(Column column, int type, int meta) {
    boolean unsigned = column.unsigned();
    return switch (column.type()) {
      case TINYINT ->
          unsigned ? raw -> ((Number) raw).intValue() & 0xFF : BinlogValueConverters::integer;
      case SMALLINT ->
          unsigned ? raw -> ((Number) raw).intValue() & 0xFFFF : BinlogValueConverters::integer;
      case MEDIUMINT ->
          unsigned ? raw -> ((Number) raw).intValue() & 0xFFFFFF : BinlogValueConverters::integer;
      case INT ->
          unsigned
              ? raw -> ((Number) raw).intValue() & 0xFFFFFFFFL
              : BinlogValueConverters::integer;
      case BIGINT ->
          unsigned ? BinlogValueConverters::unsignedBigint : raw -> ((Number) raw).longValue();
      case DECIMAL ->
          decimal(type == BinlogTypes.NEWDECIMAL ? BinlogTypes.decimalScale(meta) : column.scale());
      case FLOAT -> raw -> ((Number) raw).floatValue();
      case DOUBLE -> raw -> ((Number) raw).doubleValue();
      case BIT -> bit(type == BinlogTypes.BIT ? BinlogTypes.bitWidth(meta) : column.precision());
      case DATE -> temporal(column, Temporals::connectorDate);
      case DATETIME -> temporal(column, Temporals::connectorDateTime);
      case TIMESTAMP -> timestamp(column);
      case TIME -> raw -> raw instanceof Duration d ? d : Temporals.connectorTime((Long) raw);
      case YEAR ->
          raw -> {
            int year = ((Number) raw).intValue();
            return year == 1900 ? 0 : year;
          };
      case CHAR -> text(column, true);
      case VARCHAR, TEXT -> text(column, false);
      case BINARY ->
          binary(type == BinlogTypes.STRING ? BinlogTypes.stringLength(meta) : column.precision());
      case VARBINARY, BLOB, GEOMETRY -> raw -> (byte[]) raw;
      case ENUM -> enumLabel(column.enumValues());
      case SET -> setLabels(column.enumValues());
      case JSON ->
          type == BinlogTypes.JSON
              ? raw -> MysqlJson.toText((byte[]) raw)
              : raw ->
                  raw instanceof String s ? s : new String((byte[]) raw, StandardCharsets.UTF_8);
    };
  }

  private static Object integer(Object raw) {
    return ((Number) raw).intValue();
  }

  private static Object unsignedBigint(Object raw) {
    long v = ((Number) raw).longValue();
    BigInteger b = BigInteger.valueOf(v);
    return v >= 0 ? b : b.add(TWO_TO_64);
  }

  private static ValueConverter decimal(int scale) {
    // The connector's value already has this scale; setScale only enforces the invariant (it
    // would throw rather than round).
    return raw -> ((BigDecimal) raw).setScale(scale, RoundingMode.UNNECESSARY);
  }

  private static ValueConverter bit(int width) {
    if (width == 1) {
      return raw -> ((BitSet) raw).get(0);
    }
    int length = (width + 7) / 8;
    return raw -> {
      byte[] little = ((BitSet) raw).toByteArray(); // little-endian, trailing zero bytes dropped
      byte[] big = new byte[length];
      for (int i = 0; i < little.length && i < length; i++) {
        big[length - 1 - i] = little[i];
      }
      return big;
    };
  }

  private static ValueConverter temporal(Column column, LongFunction<Object> decode) {
    AtomicBoolean logged = new AtomicBoolean();
    return raw -> {
      long micros = (Long) raw;
      if (Temporals.isZeroMarker(micros)) {
        zeroDate(column, logged);
        return null;
      }
      return decode.apply(micros);
    };
  }

  private static ValueConverter timestamp(Column column) {
    AtomicBoolean logged = new AtomicBoolean();
    return raw -> {
      long micros = (Long) raw;
      // TIMESTAMP starts at 1970-01-01 00:00:01 UTC: epoch second 0 is the zero timestamp.
      if (micros == 0 || Temporals.isZeroMarker(micros)) {
        zeroDate(column, logged);
        return null;
      }
      return Temporals.connectorTimestamp(micros);
    };
  }

  private static void zeroDate(Column column, AtomicBoolean logged) {
    if (logged.compareAndSet(false, true)) {
      LOG.info(
          "column {} ({}) holds a zero or partly-zero date; delivered as null",
          column.name(),
          column.columnType());
    }
  }

  private static ValueConverter text(Column column, boolean stripTrailingSpaces) {
    if (column.charset() == null || column.charset().equalsIgnoreCase("binary")) {
      throw new IllegalArgumentException(
          "text column " + column.name() + " has no character set: " + column.charset());
    }
    MysqlCharsets.Decoder decoder = MysqlCharsets.decoder(column.charset());
    return raw -> {
      String s = raw instanceof String str ? str : decoder.decode((byte[]) raw);
      return stripTrailingSpaces ? stripTrailingSpaces(s) : s;
    };
  }

  static String stripTrailingSpaces(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }

  private static ValueConverter binary(int length) {
    return raw -> {
      byte[] b = (byte[]) raw;
      return b.length >= length ? b : Arrays.copyOf(b, length);
    };
  }

  private static ValueConverter enumLabel(List<String> labels) {
    return raw -> {
      int index = ((Number) raw).intValue();
      if (index == 0) {
        return "";
      }
      if (index < 0 || index > labels.size()) {
        throw new IllegalArgumentException(
            "ENUM index " + index + " but the column has " + labels.size() + " labels");
      }
      return labels.get(index - 1);
    };
  }

  private static ValueConverter setLabels(List<String> labels) {
    return raw -> {
      long mask = ((Number) raw).longValue();
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
    };
  }
}
