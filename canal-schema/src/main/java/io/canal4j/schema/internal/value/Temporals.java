package io.canal4j.schema.internal.value;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Temporal values in the text MySQL sends over the JDBC text protocol (the binlog's wire formats
 * are read by {@link BinlogCells}).
 */
final class Temporals {
  private Temporals() {}

  /**
   * Parses {@code YYYY-MM-DD}; null for a zero or partly-zero date and a day past the month's end
   * (see {@link InvalidDates}).
   */
  static LocalDate parseDate(String text) {
    int[] f = dateFields(text);
    return f == null ? null : LocalDate.of(f[0], f[1], f[2]);
  }

  /**
   * Parses {@code YYYY-MM-DD hh:mm:ss[.ffffff]}; null for a zero or partly-zero date and a day past
   * the month's end.
   */
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
    if (!InvalidDates.valid(year, month, day)) {
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
