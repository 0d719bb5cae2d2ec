package io.canal4j.schema.internal.value;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import io.canal4j.schema.Column;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The binlog's wire formats: decodes one cell of a rows event straight from the event bytes into
 * its canonical Java value ({@link CanonicalValues}), once. The reader for a column is chosen once
 * per table version from the TABLE_MAP's type and metadata and the column's schema, so reading a
 * cell is one virtual call and at most one allocation. Wire formats follow MySQL's {@code
 * log_event_print_value}.
 */
public final class BinlogCells {
  /** Reads one non-null cell; immutable and thread-safe. */
  public interface Cell {
    Object read(BinlogCursor c);
  }

  /** Finishes the bytes of a string-like cell (text, binary, JSON, GEOMETRY). */
  private interface Bytes {
    Object of(byte[] b);
  }

  private static final int[] DIG_TO_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private BinlogCells() {}

  /**
   * The reader for one column.
   *
   * @param column the column as the schema for this row event describes it
   * @param type the column's type code from the TABLE_MAP event
   * @param meta the column's metadata from the TABLE_MAP event, as the connector reads it
   * @param zeroDatesAsText deliver invalid dates as MySQL's text instead of null ({@link
   *     InvalidDates})
   * @throws IllegalArgumentException when the binlog type is unknown or does not fit the column, or
   *     a text column's charset is missing or has no Java equivalent
   */
  public static Cell forColumn(Column column, int type, int meta, boolean zeroDatesAsText) {
    boolean unsigned = column.unsigned();
    switch (type) {
      case BinlogTypes.TINY:
        return unsigned ? c -> c.u8() : c -> (int) (byte) c.u8();
      case BinlogTypes.SHORT:
        return unsigned ? c -> (int) c.le(2) : c -> (int) (short) c.le(2);
      case BinlogTypes.INT24:
        return unsigned ? c -> (int) c.le(3) : c -> ((int) c.le(3) << 8) >> 8;
      case BinlogTypes.LONG:
        return unsigned ? c -> c.le(4) : c -> (int) c.le(4);
      case BinlogTypes.LONGLONG:
        return unsigned
            ? c -> {
              long v = c.le(8);
              BigInteger b = BigInteger.valueOf(v);
              return v >= 0 ? b : b.add(TWO_64);
            }
            : c -> c.le(8);
      case BinlogTypes.FLOAT:
        return c -> Float.intBitsToFloat((int) c.le(4));
      case BinlogTypes.DOUBLE:
        return c -> Double.longBitsToDouble(c.le(8));
      case BinlogTypes.YEAR:
        return c -> {
          int y = c.u8();
          return y == 0 ? 0 : 1900 + y;
        };
      case BinlogTypes.DATE:
        {
          InvalidDates invalid = new InvalidDates(column, zeroDatesAsText);
          return c -> date((int) c.le(3), invalid);
        }
      case BinlogTypes.DATETIME2:
        {
          InvalidDates invalid = new InvalidDates(column, zeroDatesAsText);
          return c -> datetime2(c, meta, invalid);
        }
      case BinlogTypes.TIMESTAMP2:
        {
          InvalidDates invalid = new InvalidDates(column, zeroDatesAsText);
          return c -> timestamp2(c, meta, invalid);
        }
      case BinlogTypes.TIME2:
        return c -> time2(c, meta);
      case BinlogTypes.TIMESTAMP:
        {
          InvalidDates invalid = new InvalidDates(column, zeroDatesAsText);
          return c -> {
            long seconds = c.le(4);
            return seconds == 0
                ? invalid.dateTime(0, 0, 0, 0, 0, 0, 0, 0)
                : Instant.ofEpochSecond(seconds);
          };
        }
      case BinlogTypes.DATETIME:
        {
          InvalidDates invalid = new InvalidDates(column, zeroDatesAsText);
          return c -> datetime(c.le(8), invalid);
        }
      case BinlogTypes.TIME:
        return c -> time((int) c.le(3));
      case BinlogTypes.BIT:
        {
          int bits = BinlogTypes.bitWidth(meta);
          int n = (bits + 7) >> 3;
          return bits == 1 ? c -> c.be(n) != 0 : c -> c.bytes(n);
        }
      case BinlogTypes.NEWDECIMAL:
        {
          int precision = BinlogTypes.decimalPrecision(meta);
          int scale = BinlogTypes.decimalScale(meta);
          int x = precision - scale;
          int ipd = x / 9;
          int fpd = scale / 9;
          int length =
              (ipd << 2) + DIG_TO_BYTES[x - ipd * 9] + (fpd << 2) + DIG_TO_BYTES[scale - fpd * 9];
          return c ->
              AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, c.bytes(length));
        }
      case BinlogTypes.VARCHAR:
      case BinlogTypes.VAR_STRING:
        {
          Bytes finish = bytes(column, type, meta);
          return meta < 256
              ? c -> finish.of(c.bytes(c.u8()))
              : c -> finish.of(c.bytes((int) c.le(2)));
        }
      case BinlogTypes.STRING:
        return string(column, meta);
      case BinlogTypes.TINY_BLOB:
      case BinlogTypes.MEDIUM_BLOB:
      case BinlogTypes.LONG_BLOB:
      case BinlogTypes.BLOB:
      case BinlogTypes.JSON:
      case BinlogTypes.GEOMETRY:
        {
          Bytes finish = bytes(column, type, meta);
          return c -> finish.of(c.bytes((int) c.le(meta)));
        }
      default:
        throw new IllegalArgumentException(
            "column "
                + column.name()
                + " has binlog type "
                + BinlogTypes.describe(type, meta)
                + ", which canal4j cannot read");
    }
  }

  /** CHAR/BINARY, or ENUM/SET, which the server logs as STRING with the real type in the meta. */
  private static Cell string(Column column, int meta) {
    int real = BinlogTypes.realType(BinlogTypes.STRING, meta);
    int n = BinlogTypes.stringLength(meta);
    if (real == BinlogTypes.ENUM) {
      List<String> labels = column.enumValues();
      return c -> CanonicalValues.enumLabel(labels, (int) c.le(n));
    }
    if (real == BinlogTypes.SET) {
      List<String> labels = column.enumValues();
      return c -> CanonicalValues.setLabels(labels, c.le(n));
    }
    Bytes finish = bytes(column, BinlogTypes.STRING, meta);
    return n < 256 ? c -> finish.of(c.bytes(c.u8())) : c -> finish.of(c.bytes((int) c.le(2)));
  }

  /** What the bytes of a string-like cell become, by the column's type. */
  private static Bytes bytes(Column column, int type, int meta) {
    switch (column.type()) {
      case CHAR:
        {
          MysqlCharsets.Decoder decoder = CanonicalValues.textDecoder(column);
          return b -> CanonicalValues.stripTrailingSpaces(decoder.decode(b));
        }
      case VARCHAR:
      case TEXT:
        {
          MysqlCharsets.Decoder decoder = CanonicalValues.textDecoder(column);
          return decoder::decode;
        }
      case BINARY:
        {
          int length =
              type == BinlogTypes.STRING ? BinlogTypes.stringLength(meta) : column.precision();
          return b -> CanonicalValues.padBinary(b, length);
        }
      case VARBINARY:
      case BLOB:
      case GEOMETRY:
        return b -> b;
      case JSON:
        // MySQL's JSON is binary JSON; MariaDB's is LONGTEXT (utf8mb4) logged as a BLOB.
        return type == BinlogTypes.JSON
            ? MysqlJson::toText
            : b -> new String(b, StandardCharsets.UTF_8);
      default:
        throw new IllegalArgumentException(
            "column "
                + column.name()
                + " ("
                + column.columnType()
                + ") has binlog type "
                + BinlogTypes.describe(type, meta));
    }
  }

  private static Object date(int v, InvalidDates invalid) {
    int day = v & 31;
    int month = (v >> 5) & 15;
    int year = v >> 9;
    if (!InvalidDates.valid(year, month, day)) {
      return invalid.date(year, month, day);
    }
    return LocalDate.of(year, month, day);
  }

  private static int fraction(BinlogCursor c, int fsp) {
    return switch (fsp) {
      case 1, 2 -> (int) c.be(1) * 10_000;
      case 3, 4 -> (int) c.be(2) * 100;
      case 5, 6 -> (int) c.be(3);
      default -> 0;
    };
  }

  private static Object datetime2(BinlogCursor c, int fsp, InvalidDates invalid) {
    long packed = c.be(5) - 0x80_0000_0000L;
    int micros = fraction(c, fsp);
    long ymd = packed >> 17;
    long ym = ymd >> 5;
    int year = (int) (ym / 13);
    int month = (int) (ym % 13);
    int day = (int) (ymd & 31);
    int hms = (int) (packed & 0x1FFFF);
    int hour = hms >> 12;
    int minute = (hms >> 6) & 63;
    int second = hms & 63;
    if (!InvalidDates.valid(year, month, day)) {
      return invalid.dateTime(year, month, day, hour, minute, second, micros, fsp);
    }
    return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000);
  }

  private static Object datetime(long v, InvalidDates invalid) {
    long date = v / 1_000_000;
    long time = v % 1_000_000;
    int year = (int) (date / 10000);
    int month = (int) (date / 100 % 100);
    int day = (int) (date % 100);
    int hour = (int) (time / 10000);
    int minute = (int) (time / 100 % 100);
    int second = (int) (time % 100);
    if (!InvalidDates.valid(year, month, day)) {
      return invalid.dateTime(year, month, day, hour, minute, second, 0, 0);
    }
    return LocalDateTime.of(year, month, day, hour, minute, second);
  }

  private static Object timestamp2(BinlogCursor c, int fsp, InvalidDates invalid) {
    long seconds = c.be(4);
    int micros = fraction(c, fsp);
    if (seconds == 0 && micros == 0) {
      // TIMESTAMP starts at 1970-01-01 00:00:01 UTC: epoch second 0 is the zero timestamp.
      return invalid.dateTime(0, 0, 0, 0, 0, 0, 0, fsp);
    }
    return Instant.ofEpochSecond(seconds, micros * 1000L);
  }

  /** TIME2: MySQL's my_time_packed_from_binary, then the packed value's sign and fields. */
  private static Duration time2(BinlogCursor c, int fsp) {
    long packed;
    switch (fsp) {
      case 1, 2 -> {
        long intpart = c.be(3) - 0x80_0000L;
        int frac = (int) c.be(1);
        if (intpart < 0 && frac != 0) {
          intpart++;
          frac -= 0x100;
        }
        packed = (intpart << 24) + frac * 10_000L;
      }
      case 3, 4 -> {
        long intpart = c.be(3) - 0x80_0000L;
        int frac = (int) c.be(2);
        if (intpart < 0 && frac != 0) {
          intpart++;
          frac -= 0x10000;
        }
        packed = (intpart << 24) + frac * 100L;
      }
      case 5, 6 -> packed = c.be(6) - 0x8000_0000_0000L;
      default -> packed = (c.be(3) - 0x80_0000L) << 24;
    }
    boolean negative = packed < 0;
    long abs = Math.abs(packed);
    long hms = abs >> 24;
    long micros = abs & 0xFF_FFFF;
    long hours = (hms >> 12) & 0x3FF;
    long minutes = (hms >> 6) & 63;
    long seconds = hms & 63;
    long totalMicros = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + micros;
    Duration d = Duration.ofSeconds(totalMicros / 1_000_000, (totalMicros % 1_000_000) * 1000);
    return negative ? d.negated() : d;
  }

  /** The old TIME type: 3 bytes, signed, decimal HHMMSS. */
  private static Duration time(int v) {
    int signed = (v << 8) >> 8;
    int abs = Math.abs(signed);
    Duration d = Duration.ofSeconds((abs / 10000) * 3600L + (abs / 100 % 100) * 60L + abs % 100);
    return signed < 0 ? d.negated() : d;
  }
}
