package io.canal4j.schema.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.TimeZone;

/**
 * Temporal values in the two raw forms canal4j reads: the microsecond longs that
 * mysql-binlog-connector-java produces in {@code DATE_AND_TIME_AS_LONG_MICRO} mode, and the text
 * MySQL sends over the JDBC text protocol.
 *
 * <p><b>The connector's longs.</b> For DATE and DATETIME it computes the epoch microseconds of the
 * wall-clock fields <em>as if they were UTC</em>: proleptic Gregorian arithmetic from 1582-10-15
 * on, and {@link GregorianCalendar} (Julian before the cut-over) for earlier dates. Decoding
 * inverts each of the two, so every valid date 0001-01-01 … 9999-12-31 comes back exactly, except
 * 1582-10-05 … 1582-10-14, which the calendar moves ten days on (they do not exist in it), and
 * dates a permissive sql_mode let through with a day past the month's end (2021-02-31), which the
 * arithmetic rolls into the next month. A zero year, month or day is the marker {@link
 * Long#MIN_VALUE}. TIMESTAMP is true epoch microseconds (0 for the zero timestamp). TIME is
 * hours·3600+minutes·60+seconds in microseconds, correct for 00:00:00 … 838:59:59.999999; the
 * connector ignores the sign bit of TIME2, so a negative TIME arrives as an unrelated positive
 * value.
 */
final class Temporals {
  /** The instant of GregorianCalendar's default cut-over, 1582-10-15T00:00Z. */
  private static final long CUTOVER_MILLIS = -12219292800000L;

  private static final long MICROS_PER_SECOND = 1_000_000L;

  private Temporals() {}

  /** Whether a connector long is its zero-date marker. */
  static boolean isZeroMarker(long micros) {
    return micros == Long.MIN_VALUE;
  }

  static LocalDate connectorDate(long micros) {
    return connectorDateTime(micros).toLocalDate();
  }

  static LocalDateTime connectorDateTime(long micros) {
    long seconds = Math.floorDiv(micros, MICROS_PER_SECOND);
    int nanos = (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000;
    long millis = Math.multiplyExact(seconds, 1000L);
    if (millis >= CUTOVER_MILLIS) {
      return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    }
    GregorianCalendar c = new GregorianCalendar(TimeZone.getTimeZone("GMT"));
    c.setTimeInMillis(millis);
    return LocalDateTime.of(
        c.get(Calendar.YEAR),
        c.get(Calendar.MONTH) + 1,
        c.get(Calendar.DAY_OF_MONTH),
        c.get(Calendar.HOUR_OF_DAY),
        c.get(Calendar.MINUTE),
        c.get(Calendar.SECOND),
        nanos);
  }

  static Instant connectorTimestamp(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1000L);
  }

  static Duration connectorTime(long micros) {
    return Duration.ofSeconds(
        Math.floorDiv(micros, MICROS_PER_SECOND), Math.floorMod(micros, MICROS_PER_SECOND) * 1000L);
  }

  /** Parses {@code YYYY-MM-DD}; null for a zero or partly-zero date. */
  static LocalDate parseDate(String text) {
    int[] f = dateFields(text);
    return f == null ? null : LocalDate.of(f[0], f[1], f[2]);
  }

  /** Parses {@code YYYY-MM-DD hh:mm:ss[.ffffff]}; null for a zero or partly-zero date. */
  static LocalDateTime parseDateTime(String text) {
    int[] f = dateFields(text);
    if (f == null) {
      return null;
    }
    int t = text.indexOf(' ');
    if (t < 0) {
      t = text.indexOf('T');
    }
    if (t < 0) {
      return LocalDateTime.of(f[0], f[1], f[2], 0, 0);
    }
    long[] time = timeFields(text.substring(t + 1), text);
    if (time[0] > 23) {
      throw new IllegalArgumentException("bad datetime '" + text + "'");
    }
    return LocalDateTime.of(
        f[0], f[1], f[2], (int) time[0], (int) time[1], (int) time[2], (int) time[3] * 1000);
  }

  /** Parses {@code [-]h…h:mm:ss[.ffffff]} as MySQL prints TIME, including negative and >24 h. */
  static Duration parseTime(String text) {
    boolean negative = text.startsWith("-");
    long[] f = timeFields(negative ? text.substring(1) : text, text);
    Duration d = Duration.ofSeconds(f[0] * 3600 + f[1] * 60 + f[2], f[3] * 1000);
    return negative ? d.negated() : d;
  }

  private static int[] dateFields(String text) {
    // Years are four digits in MySQL's output; no sign, no era.
    if (text.length() < 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
      throw new IllegalArgumentException("bad date '" + text + "'");
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    if (year == 0 || month == 0 || day == 0) {
      return null;
    }
    return new int[] {year, month, day};
  }

  /** hours, minutes, seconds, microseconds. */
  private static long[] timeFields(String t, String whole) {
    int c1 = t.indexOf(':');
    int c2 = t.indexOf(':', c1 + 1);
    if (c1 < 1 || c2 != c1 + 3 || t.length() < c2 + 3) {
      throw new IllegalArgumentException("bad time '" + whole + "'");
    }
    long hours = digits(t, 0, c1);
    long minutes = digits(t, c1 + 1, c2);
    long seconds = digits(t, c2 + 1, c2 + 3);
    long micros = 0;
    if (t.length() > c2 + 3) {
      if (t.charAt(c2 + 3) != '.' || t.length() > c2 + 10 || t.length() == c2 + 4) {
        throw new IllegalArgumentException("bad time '" + whole + "'");
      }
      String frac = t.substring(c2 + 4);
      micros = digits(frac, 0, frac.length());
      for (int i = frac.length(); i < 6; i++) {
        micros *= 10;
      }
    }
    if (minutes > 59 || seconds > 59) {
      throw new IllegalArgumentException("bad time '" + whole + "'");
    }
    return new long[] {hours, minutes, seconds, micros};
  }

  private static int digits(String s, int from, int to) {
    if (from >= to || to - from > 9) {
      throw new IllegalArgumentException("bad number in '" + s + "'");
    }
    int n = 0;
    for (int i = from; i < to; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        throw new IllegalArgumentException("bad number in '" + s + "'");
      }
      n = n * 10 + (ch - '0');
    }
    return n;
  }
}
