package io.canal4j.schema.internal.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** The JDBC text protocol's temporal text, as MySQL prints it. */
class TemporalsTest {
  @Test
  void parseDate_andZeroDates() {
    assertEquals(LocalDate.of(1000, 1, 1), Temporals.parseDate("1000-01-01"));
    assertNull(Temporals.parseDate("0000-00-00"));
    assertNull(Temporals.parseDate("2020-00-05"));
    assertNull(Temporals.parseDate("2020-05-00"));
    assertThrows(IllegalArgumentException.class, () -> Temporals.parseDate("20-05-01"));
  }

  /** ALLOW_INVALID_DATES stores these; they used to throw DateTimeException from JdbcValues. */
  @Test
  void dayPastTheMonthsEnd_isNoDate() {
    assertNull(Temporals.parseDate("2021-02-31"));
    assertNull(Temporals.parseDate("2023-02-29"));
    assertNull(Temporals.parseDateTime("2021-04-31 12:00:00.500"));
    assertEquals(LocalDate.of(2024, 2, 29), Temporals.parseDate("2024-02-29"));
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
