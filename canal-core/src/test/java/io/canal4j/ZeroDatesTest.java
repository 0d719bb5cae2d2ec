package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.canal4j.error.ConfigurationException;
import io.canal4j.schema.Column;
import io.canal4j.schema.TableSchema;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testing.ValueOracle;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Zero, partly-zero and invalid dates and the zero TIMESTAMP, under each {@link ZeroDates} setting,
 * in every image of inserts, updates and deletes and in the JDBC reading of the same rows, against
 * the server's {@code CAST(col AS CHAR)}.
 */
class ZeroDatesTest {
  private static final String COLUMNS =
      "id INT PRIMARY KEY, d DATE, dt0 DATETIME, dt3 DATETIME(3), dt6 DATETIME(6),"
          + " ts0 TIMESTAMP NULL DEFAULT NULL, ts2 TIMESTAMP(2) NULL DEFAULT NULL,"
          + " ts6 TIMESTAMP(6) NULL DEFAULT NULL";

  private static final String[] ROWS = {
    "(1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000', '0000-00-00 00:00:00',"
        + " '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000000')",
    "(2, '2024-00-15', '2021-00-10 10:00:00', '2021-02-00 01:02:03.456',"
        + " '0000-01-01 00:00:00.000001', '2024-06-01 12:00:00', '2024-06-01 12:00:00.5',"
        + " '1970-01-01 00:00:01')",
    "(3, '2024-02-30', '2021-04-31 12:00:00', '2023-02-29 23:59:59.999',"
        + " '2024-02-30 00:00:00.000001', NULL, '0000-00-00 00:00:00',"
        + " '2038-01-19 03:14:07.999999')",
    "(4, '2024-02-29', '1000-01-01 00:00:00', '9999-12-31 23:59:59.999',"
        + " '2024-02-29 12:34:56.123456', '2001-02-03 04:05:06', NULL, '0000-00-00 00:00:00')",
  };

  @Test
  void zeroDates_isValidatedLikeEverySetting() {
    assertThrows(NullPointerException.class, () -> Canal.builder().zeroDates(null));
    Canal.Builder b = Canal.builder().zeroDates(ZeroDates.AS_TEXT);
    assertThrows(ConfigurationException.class, () -> b.zeroDates(ZeroDates.AS_NULL));
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void invalidDates_areNullOrTheServersText_inEveryImageAndInJdbc(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE z (" + COLUMNS + ")");
      RecordingHandler asNull = new RecordingHandler();
      RecordingHandler asText = new RecordingHandler();
      Map<Integer, String[]> text;
      Map<Integer, Object[]> jdbcNull;
      Map<Integer, Object[]> jdbcText;
      TableSchema schema = ValueOracle.schema(db, "z");
      try (Canal byDefault =
              CanalTesting.canalFor(server, "zero-null")
                  .include(db.name() + "\\.z")
                  .handler(asNull)
                  .build();
          Canal textual =
              CanalTesting.canalFor(server, "zero-text")
                  .include(db.name() + "\\.z")
                  .zeroDates(ZeroDates.AS_TEXT)
                  .handler(asText)
                  .build()) {
        byDefault.start();
        textual.start();
        await(
            "RUNNING",
            Duration.ofSeconds(30),
            () -> byDefault.state() == CanalState.RUNNING && textual.state() == CanalState.RUNNING);
        List<String> statements = new ArrayList<>();
        statements.add("SET SESSION sql_mode = 'ALLOW_INVALID_DATES', time_zone = '+00:00'");
        for (String row : ROWS) {
          statements.add("INSERT INTO z VALUES " + row);
        }
        db.execute(statements.toArray(String[]::new));
        text = ValueOracle.serverText(db, schema, "z");
        jdbcNull = ValueOracle.jdbc(db, schema, "z", false);
        jdbcText = ValueOracle.jdbc(db, schema, "z", true);
        db.execute(
            "UPDATE z SET id = id + " + ValueOracle.ID_SHIFT, // before and after of every row
            "DELETE FROM z");
        int changes = ROWS.length * 3;
        await(
            "inserts, updates and deletes",
            Duration.ofSeconds(30),
            () -> asNull.rowCount() == changes && asText.rowCount() == changes);
      }

      List<String> problems = new ArrayList<>();
      int invalid = 0;
      ValueOracle.Images nullImages = ValueOracle.images(asNull);
      ValueOracle.Images textImages = ValueOracle.images(asText);
      for (int id = 1; id <= ROWS.length; id++) {
        String[] printed = text.get(id);
        for (int i = 1; i < schema.columnCount(); i++) {
          Column c = schema.column(i);
          String t = printed[i];
          boolean isDate = t == null || isCalendarDate(t);
          invalid += isDate ? 0 : 1;
          List<Object> asNullValues = new ArrayList<>();
          List<Object> asTextValues = new ArrayList<>();
          List<String> where = new ArrayList<>();
          for (int k = 0; k < 4; k++) {
            asNullValues.add(nullImages.byId().get(id).get(k).get(i));
            asTextValues.add(textImages.byId().get(id).get(k).get(i));
            where.add(nullImages.labels().get(id).get(k));
          }
          asNullValues.add(jdbcNull.get(id)[i]);
          asTextValues.add(jdbcText.get(id)[i]);
          where.add("JDBC");
          for (int k = 0; k < where.size(); k++) {
            String at = server + " row " + id + " " + c.name() + " (" + t + ") " + where.get(k);
            Object n = asNullValues.get(k);
            Object v = asTextValues.get(k);
            if (isDate) {
              check(problems, at + " AS_NULL", ValueOracle.mismatch(n, c, t), n, c);
              check(problems, at + " AS_TEXT", ValueOracle.mismatch(v, c, t), v, c);
            } else {
              if (n != null) {
                problems.add(at + " AS_NULL: " + n + " instead of null");
              }
              if (!t.equals(v)) {
                problems.add(at + " AS_TEXT: " + v + " instead of the server's text");
              }
            }
          }
        }
      }
      ValueOracle.assertNoProblems(problems);
      assertEquals(17, invalid, "invalid values in the fixture, seen by the server");
    }
  }

  private static void check(List<String> problems, String at, String mismatch, Object v, Column c) {
    if (mismatch != null) {
      problems.add(at + ": " + mismatch);
    } else if (v != null && v.getClass() != expectedClass(c)) {
      problems.add(at + ": class " + v.getClass().getSimpleName());
    }
  }

  private static Class<?> expectedClass(Column c) {
    return switch (c.type()) {
      case DATE -> LocalDate.class;
      case DATETIME -> LocalDateTime.class;
      case TIMESTAMP -> Instant.class;
      default -> throw new AssertionError(c);
    };
  }

  /** Whether the server's text names a real calendar date (year 1 or later). */
  private static boolean isCalendarDate(String text) {
    int year = Integer.parseInt(text.substring(0, 4));
    try {
      LocalDate.of(
          year, Integer.parseInt(text.substring(5, 7)), Integer.parseInt(text.substring(8, 10)));
      return year > 0;
    } catch (DateTimeException e) {
      return false;
    }
  }
}
