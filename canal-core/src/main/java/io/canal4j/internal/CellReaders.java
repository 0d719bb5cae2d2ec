package io.canal4j.internal;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import io.canal4j.schema.Column;
import io.canal4j.schema.internal.BinlogValueConverters;
import io.canal4j.schema.internal.ValueConverter;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Decodes one binlog cell straight from the event bytes into its canonical Java value (README type
 * table), once: numbers, temporal values, YEAR and BIT here; text, binary, ENUM, SET, JSON and
 * DECIMAL read here and finished by the schema module's converters, so that charset, padding and
 * label rules live in one place. Wire formats follow MySQL's {@code log_event_print_value}.
 */
final class CellReaders {
  /** Reads one non-null cell. */
  interface Cell {
    Object read(Cursor c);
  }

  private static final int DECIMAL = 0;
  private static final int TINY = 1;
  private static final int SHORT = 2;
  private static final int LONG = 3;
  private static final int FLOAT = 4;
  private static final int DOUBLE = 5;
  private static final int TIMESTAMP = 7;
  private static final int LONGLONG = 8;
  private static final int INT24 = 9;
  private static final int DATE = 10;
  private static final int TIME = 11;
  private static final int DATETIME = 12;
  private static final int YEAR = 13;
  private static final int VARCHAR = 15;
  private static final int BIT = 16;
  private static final int TIMESTAMP2 = 17;
  private static final int DATETIME2 = 18;
  private static final int TIME2 = 19;
  private static final int JSON = 245;
  private static final int NEWDECIMAL = 246;
  private static final int ENUM = 247;
  private static final int SET = 248;
  private static final int TINY_BLOB = 249;
  private static final int BLOB = 252;
  private static final int VAR_STRING = 253;
  private static final int STRING = 254;
  private static final int GEOMETRY = 255;
  private static final int[] DIG_TO_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private CellReaders() {}

  static Cell forColumn(Column column, int type, int meta) {
    ValueConverter finish = BinlogValueConverters.forColumn(column, type, meta);
    boolean unsigned = column.unsigned();
    switch (type) {
      case TINY:
        return unsigned ? c -> c.u8() : c -> (int) (byte) c.u8();
      case SHORT:
        return unsigned ? c -> (int) c.le(2) : c -> (int) (short) c.le(2);
      case INT24:
        return unsigned ? c -> (int) c.le(3) : c -> ((int) c.le(3) << 8) >> 8;
      case LONG:
        return unsigned ? c -> c.le(4) : c -> (int) c.le(4);
      case LONGLONG:
        return unsigned
            ? c -> {
              long v = c.le(8);
              BigInteger b = BigInteger.valueOf(v);
              return v >= 0 ? b : b.add(TWO_64);
            }
            : c -> c.le(8);
      case FLOAT:
        return c -> Float.intBitsToFloat((int) c.le(4));
      case DOUBLE:
        return c -> Double.longBitsToDouble(c.le(8));
      case YEAR:
        return c -> {
          int y = c.u8();
          return y == 0 ? 0 : 1900 + y;
        };
      case DATE:
        return c -> date((int) c.le(3), finish);
      case DATETIME2:
        return c -> datetime2(c, meta, finish);
      case TIMESTAMP2:
        return c -> timestamp2(c, meta, finish);
      case TIME2:
        return c -> time2(c, meta);
      case TIMESTAMP:
        return c -> {
          long seconds = c.le(4);
          return seconds == 0 ? finish.convert(0L) : Instant.ofEpochSecond(seconds);
        };
      case DATETIME:
        return c -> datetime(c.le(8), finish);
      case TIME:
        return c -> time((int) c.le(3));
      case BIT:
        {
          int bits = (meta >> 8) * 8 + (meta & 0xFF);
          int n = (bits + 7) >> 3;
          return bits == 1 ? c -> c.be(n) != 0 : c -> c.bytes(n);
        }
      case NEWDECIMAL:
        {
          int precision = meta & 0xFF;
          int scale = meta >> 8;
          int x = precision - scale;
          int ipd = x / 9;
          int fpd = scale / 9;
          int length =
              (ipd << 2) + DIG_TO_BYTES[x - ipd * 9] + (fpd << 2) + DIG_TO_BYTES[scale - fpd * 9];
          return c ->
              finish.convert(
                  AbstractRowsEventDataDeserializer.asBigDecimal(
                      precision, scale, c.bytes(length)));
        }
      case VARCHAR:
      case VAR_STRING:
        return meta < 256
            ? c -> finish.convert(c.bytes(c.u8()))
            : c -> finish.convert(c.bytes((int) c.le(2)));
      case STRING:
        return string(meta, finish);
      case TINY_BLOB:
      case 250:
      case 251:
      case BLOB:
      case JSON:
      case GEOMETRY:
        return c -> finish.convert(c.bytes((int) c.le(meta)));
      default:
        throw new IllegalArgumentException(
            "column " + column.name() + " has binlog type " + type + ", which canal4j cannot read");
    }
  }

  /** CHAR/BINARY, or ENUM/SET, which the server logs as STRING with the real type in the meta. */
  private static Cell string(int meta, ValueConverter finish) {
    int real = STRING;
    int length = meta;
    if (meta >= 256) {
      int meta0 = meta >> 8;
      int meta1 = meta & 0xFF;
      if ((meta0 & 0x30) != 0x30) {
        length = meta1 | (((meta0 & 0x30) ^ 0x30) << 4);
      } else {
        if (meta0 == ENUM || meta0 == SET) {
          real = meta0;
        }
        length = meta1;
      }
    }
    int n = length;
    if (real == ENUM) {
      return c -> finish.convert((int) c.le(n));
    }
    if (real == SET) {
      return c -> finish.convert(c.le(n));
    }
    return n < 256
        ? c -> finish.convert(c.bytes(c.u8()))
        : c -> finish.convert(c.bytes((int) c.le(2)));
  }

  /** A real calendar date (zero and partly-zero dates, Feb 31 etc. are not); no allocation. */
  private static boolean validDate(int year, int month, int day) {
    return year > 0
        && month >= 1
        && month <= 12
        && day >= 1
        && day <= java.time.Month.of(month).length(java.time.Year.isLeap(year));
  }

  private static Object date(int v, ValueConverter finish) {
    int day = v & 31;
    int month = (v >> 5) & 15;
    int year = v >> 9;
    if (!validDate(year, month, day)) {
      return finish.convert(Long.MIN_VALUE); // zero or invalid date: the converter's rule
    }
    return LocalDate.of(year, month, day);
  }

  private static int fraction(Cursor c, int fsp) {
    return switch (fsp) {
      case 1, 2 -> (int) c.be(1) * 10_000;
      case 3, 4 -> (int) c.be(2) * 100;
      case 5, 6 -> (int) c.be(3);
      default -> 0;
    };
  }

  private static Object datetime2(Cursor c, int fsp, ValueConverter finish) {
    long packed = c.be(5) - 0x80_0000_0000L;
    int micros = fraction(c, fsp);
    long ymd = packed >> 17;
    long ym = ymd >> 5;
    int year = (int) (ym / 13);
    int month = (int) (ym % 13);
    int day = (int) (ymd & 31);
    int hms = (int) (packed & 0x1FFFF);
    if (!validDate(year, month, day)) {
      return finish.convert(Long.MIN_VALUE);
    }
    return LocalDateTime.of(year, month, day, hms >> 12, (hms >> 6) & 63, hms & 63, micros * 1000);
  }

  private static Object datetime(long v, ValueConverter finish) {
    long date = v / 1_000_000;
    long time = v % 1_000_000;
    int year = (int) (date / 10000);
    int month = (int) (date / 100 % 100);
    int day = (int) (date % 100);
    if (!validDate(year, month, day)) {
      return finish.convert(Long.MIN_VALUE);
    }
    return LocalDateTime.of(
        year, month, day, (int) (time / 10000), (int) (time / 100 % 100), (int) (time % 100));
  }

  private static Object timestamp2(Cursor c, int fsp, ValueConverter finish) {
    long seconds = c.be(4);
    int micros = fraction(c, fsp);
    if (seconds == 0 && micros == 0) {
      return finish.convert(0L); // the zero timestamp
    }
    return Instant.ofEpochSecond(seconds, micros * 1000L);
  }

  /** TIME2: MySQL's my_time_packed_from_binary, then the packed value's sign and fields. */
  private static Duration time2(Cursor c, int fsp) {
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
