package io.canal4j.schema.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * Checks the decoding of the connector's longs against the connector's own encoder ({@code
 * AbstractRowsEventDataDeserializer.UnixTime.from}, package-private, reached by reflection), for
 * every day of MySQL's date range.
 */
class TemporalsTest {
  private static final Method UNIX_TIME = unixTime();

  private static Method unixTime() {
    try {
      Class<?> c =
          Class.forName(
              "com.github.shyiko.mysql.binlog.event.deserialization"
                  + ".AbstractRowsEventDataDeserializer$UnixTime");
      Method m =
          c.getDeclaredMethod(
              "from", int.class, int.class, int.class, int.class, int.class, int.class, int.class);
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** What the connector yields in DATE_AND_TIME_AS_LONG_MICRO mode for these fields. */
  private static long connectorMicros(LocalDateTime t) throws Exception {
    int micros = t.getNano() / 1000;
    long millis =
        (long)
            UNIX_TIME.invoke(
                null,
                t.getYear(),
                t.getMonthValue(),
                t.getDayOfMonth(),
                t.getHour(),
                t.getMinute(),
                t.getSecond(),
                micros / 1000);
    return millis * 1000 + micros % 1000;
  }

  @Test
  void connectorDate_decodesEveryDayOfMySqlsRange_exceptTheCalendarGap() throws Exception {
    LocalDate gapStart = LocalDate.of(1582, 10, 5);
    LocalDate gapEnd = LocalDate.of(1582, 10, 14);
    for (LocalDate d = LocalDate.of(1, 1, 1);
        !d.isAfter(LocalDate.of(9999, 12, 31));
        d = d.plusDays(1)) {
      if (!d.isBefore(gapStart) && !d.isAfter(gapEnd)) {
        continue;
      }
      LocalDate back = Temporals.connectorDate(connectorMicros(d.atStartOfDay()));
      if (!back.equals(d)) {
        assertEquals(d, back);
      }
    }
  }

  @Test
  void connectorDate_calendarGap_isShiftedTenDays() throws Exception {
    // A documented lossy edge: the connector's calendar has no 1582-10-05 … 1582-10-14.
    assertEquals(
        LocalDate.of(1582, 10, 15),
        Temporals.connectorDate(connectorMicros(LocalDateTime.of(1582, 10, 5, 0, 0))));
  }

  @Test
  void connectorDateTime_keepsMicroseconds_beforeAndAfterEpochAndCutover() throws Exception {
    for (LocalDateTime t :
        new LocalDateTime[] {
          LocalDateTime.of(1000, 1, 1, 0, 0, 0, 0),
          LocalDateTime.of(1000, 2, 28, 23, 59, 59, 999_999_000),
          LocalDateTime.of(1582, 10, 4, 12, 30, 1, 1000),
          LocalDateTime.of(1582, 10, 15, 0, 0, 0, 1000),
          LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
          LocalDateTime.of(1970, 1, 1, 0, 0, 0, 0),
          LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000),
          LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
          LocalDateTime.of(1, 1, 1, 0, 0, 0, 1000),
        }) {
      assertEquals(t, Temporals.connectorDateTime(connectorMicros(t)), t.toString());
    }
  }

  @Test
  void connectorTimestamp_isEpochMicros() {
    assertEquals(
        Instant.parse("2038-01-19T03:14:07.999999Z"),
        Temporals.connectorTimestamp(2147483647999999L));
    assertEquals(Instant.parse("1970-01-01T00:00:01Z"), Temporals.connectorTimestamp(1_000_000L));
  }

  @Test
  void connectorTime_isMicros() {
    assertEquals(Duration.parse("PT838H59M59.999999S"), Temporals.connectorTime(3020399999999L));
    assertEquals(Duration.ZERO, Temporals.connectorTime(0));
  }

  @Test
  void parseDate_andZeroDates() {
    assertEquals(LocalDate.of(1000, 1, 1), Temporals.parseDate("1000-01-01"));
    assertNull(Temporals.parseDate("0000-00-00"));
    assertNull(Temporals.parseDate("2020-00-05"));
    assertNull(Temporals.parseDate("2020-05-00"));
    assertThrows(IllegalArgumentException.class, () -> Temporals.parseDate("20-05-01"));
  }

  @Test
  void parseDateTime_withAndWithoutFraction() {
    assertEquals(
        LocalDateTime.of(2024, 2, 29, 13, 14, 15, 120_000_000),
        Temporals.parseDateTime("2024-02-29 13:14:15.12"));
    assertEquals(
        LocalDateTime.of(2024, 2, 29, 13, 14, 15), Temporals.parseDateTime("2024-02-29 13:14:15"));
    assertNull(Temporals.parseDateTime("0000-00-00 00:00:00"));
    assertThrows(
        IllegalArgumentException.class, () -> Temporals.parseDateTime("2024-02-29 24:00:00"));
  }

  @Test
  void parseTime_negativeAndBeyondADay() {
    assertEquals(Duration.parse("-PT838H59M59S"), Temporals.parseTime("-838:59:59"));
    assertEquals(Duration.parse("-PT1H2M3.5S"), Temporals.parseTime("-01:02:03.500000"));
    assertEquals(Duration.parse("PT100H0.000001S"), Temporals.parseTime("100:00:00.000001"));
    assertEquals(Duration.parse("-PT0.5S"), Temporals.parseTime("-00:00:00.5"));
    assertThrows(IllegalArgumentException.class, () -> Temporals.parseTime("1:2:3"));
    assertThrows(IllegalArgumentException.class, () -> Temporals.parseTime("01:60:00"));
  }
}
