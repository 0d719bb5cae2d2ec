package io.canal4j.schema.internal.value;

import io.canal4j.schema.Column;
import java.time.Month;
import java.time.Year;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a DATE, DATETIME or TIMESTAMP value that is no calendar date becomes: a zero or partly-zero
 * date ({@code 0000-00-00}, {@code 2024-00-15}), a day past its month's end ({@code 2024-02-30},
 * under ALLOW_INVALID_DATES) or the zero TIMESTAMP. Such values exist only under a permissive
 * sql_mode. By default they become null, logged once per column (the row still arrives); with
 * {@code asText} they become the String {@code CAST(col AS CHAR)} prints, fractional digits
 * included. One instance per column and table version; thread-safe.
 */
final class InvalidDates {
  private static final Logger LOG = LoggerFactory.getLogger(InvalidDates.class);

  private final Column column;
  private final boolean asText;
  private final AtomicBoolean logged = new AtomicBoolean();

  InvalidDates(Column column, boolean asText) {
    this.column = column;
    this.asText = asText;
  }

  /** A real calendar date, year 1..9999; no allocation. */
  static boolean valid(int year, int month, int day) {
    return year > 0
        && year <= 9999
        && month >= 1
        && month <= 12
        && day >= 1
        && day <= Month.of(month).length(Year.isLeap(year));
  }

  Object date(int year, int month, int day) {
    return asText ? dateText(year, month, day) : nullLogged();
  }

  Object dateTime(
      int year, int month, int day, int hour, int minute, int second, int micros, int fsp) {
    return asText
        ? dateTimeText(year, month, day, hour, minute, second, micros, fsp)
        : nullLogged();
  }

  private Object nullLogged() {
    if (logged.compareAndSet(false, true)) {
      LOG.info(
          "column {} ({}) holds a zero, partly-zero or invalid date; delivered as null"
              + " (set zeroDates(AS_TEXT) to receive MySQL's text form)",
          column.name(),
          column.columnType());
    }
    return null;
  }

  /** {@code YYYY-MM-DD}, as MySQL prints a DATE. */
  static String dateText(int year, int month, int day) {
    StringBuilder sb = new StringBuilder(10);
    digits(sb, year, 4).append('-');
    digits(sb, month, 2).append('-');
    return digits(sb, day, 2).toString();
  }

  /** {@code YYYY-MM-DD hh:mm:ss[.f…]} with {@code fsp} fractional digits, as MySQL prints it. */
  static String dateTimeText(
      int year, int month, int day, int hour, int minute, int second, int micros, int fsp) {
    StringBuilder sb = new StringBuilder(26);
    digits(sb, year, 4).append('-');
    digits(sb, month, 2).append('-');
    digits(sb, day, 2).append(' ');
    digits(sb, hour, 2).append(':');
    digits(sb, minute, 2).append(':');
    digits(sb, second, 2);
    if (fsp > 0) {
      sb.append('.');
      int divisor = 1;
      for (int i = fsp; i < 6; i++) {
        divisor *= 10;
      }
      digits(sb, micros / divisor, fsp);
    }
    return sb.toString();
  }

  private static StringBuilder digits(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }
}
