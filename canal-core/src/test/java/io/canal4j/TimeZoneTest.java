package io.canal4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.value.JdbcValues;
import io.canal4j.testing.TimeZoneCanalMain;
import io.canal4j.testkit.ForkedJvm;
import io.canal4j.testkit.MariaDbSandbox;
import io.canal4j.testkit.MySqlSandbox;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TIMESTAMP is an instant and DATETIME a wall clock whatever the server's and the JVM's time zones:
 * a server with {@code default-time-zone=+05:00}, rows written in sessions of other zones, a canal
 * in a JVM on America/New_York (across its DST changes), and JDBC readings in this JVM and in one
 * on Australia/Sydney all give the same {@link Instant}s and {@link LocalDateTime}s.
 */
class TimeZoneTest {
  private static final String SERVER_ZONE = "+05:00";
  private static final String CANAL_JVM_ZONE = "America/New_York";
  private static final String JDBC_JVM_ZONE = "Australia/Sydney";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * One row: the session time zone it is written in ({@code null}: the server's default), the text
   * written to both columns, and the instant that text means in that zone, spelled out in UTC.
   */
  private record Written(int id, String sessionZone, String text, Instant instant) {
    LocalDateTime wallClock() {
      return text == null ? null : LocalDateTime.parse(text.replace(' ', 'T'));
    }

    String sql() {
      String value = text == null ? "NULL" : "'" + text + "'";
      return "INSERT INTO t VALUES (" + id + ", " + value + ", " + value + ")";
    }
  }

  private static final List<Written> ROWS =
      List.of(
          new Written(
              1,
              "+00:00",
              "2024-03-10 07:30:00.123456",
              Instant.parse("2024-03-10T07:30:00.123456Z")), // 03:30 EDT, just after the change
          new Written(
              2,
              "-08:00",
              "2024-03-09 22:59:59.999999",
              Instant.parse("2024-03-10T06:59:59.999999Z")), // 01:59:59.999999 EST, just before
          new Written(
              3,
              "-05:00",
              "2024-03-10 02:30:00.5",
              Instant.parse("2024-03-10T07:30:00.500Z")), // the wall clock does not exist in NY
          new Written(
              4,
              "-04:00",
              "2024-11-03 01:30:00",
              Instant.parse("2024-11-03T05:30:00Z")), // the first 01:30 in NY (EDT)
          new Written(
              5,
              "-05:00",
              "2024-11-03 01:30:00",
              Instant.parse("2024-11-03T06:30:00Z")), // the second 01:30 in NY (EST)
          new Written(
              6, "+00:00", "1970-01-01 00:00:01", Instant.parse("1970-01-01T00:00:01Z")), // min
          new Written(
              7,
              "+00:00",
              "2038-01-19 03:14:07.999999",
              Instant.parse("2038-01-19T03:14:07.999999Z")), // max
          new Written(
              8,
              null, // the server's +05:00
              "2024-03-10 12:30:00.123456",
              Instant.parse("2024-03-10T07:30:00.123456Z")), // row 1's instant
          new Written(
              9,
              "+13:00",
              "2024-01-01 00:30:00",
              Instant.parse("2023-12-31T11:30:00Z")), // another day in UTC
          new Written(10, "+00:00", null, null));

  /** Row 1 updated in a +09:00 session; before and after images both go through the decoder. */
  private static final Written UPDATED =
      new Written(1, "+09:00", "2024-07-01 12:00:00", Instant.parse("2024-07-01T03:00:00Z"));

  private static SandboxServer serverIn(ServerFlavor flavor, String zone) {
    return (flavor == ServerFlavor.MARIADB
            ? MariaDbSandbox.builder().name("tz").timeZone(zone)
            : MySqlSandbox.builder().name("tz").timeZone(zone))
        .start();
  }

  @ParameterizedTest
  @EnumSource(ServerFlavor.class)
  void timestamp_isTheSameInstant_whateverServerAndJvmZones(ServerFlavor flavor) throws Exception {
    assertTestMeansSomething();
    try (SandboxServer server = serverIn(flavor, SERVER_ZONE);
        TestDatabase db = server.createDatabase()) {
      assertServerZone(db);
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, ts TIMESTAMP(6) NULL, dt DATETIME(6) NULL)");
      try (ForkedJvm canal =
          fork(server, db, "canal", CANAL_JVM_ZONE, "timezone-canal-" + flavor)) {
        canal.awaitLine("^zone " + CANAL_JVM_ZONE + "$", TIMEOUT);
        canal.awaitLine("^RUNNING$", TIMEOUT);
        for (Written row : ROWS) {
          if (row.sessionZone() == null) {
            db.execute(row.sql());
          } else {
            db.execute("SET time_zone = '" + row.sessionZone() + "'", row.sql());
          }
        }
        db.execute(
            "SET time_zone = '" + UPDATED.sessionZone() + "'",
            "UPDATE t SET ts = '"
                + UPDATED.text()
                + "', dt = '"
                + UPDATED.text()
                + "' WHERE id = "
                + UPDATED.id());
        for (Written row : ROWS) {
          assertLine(canal, "row insert", row);
        }
        assertLine(canal, "row before", ROWS.get(0));
        assertLine(canal, "row after", UPDATED);
      }

      Map<Integer, Written> current = new LinkedHashMap<>();
      ROWS.forEach(r -> current.put(r.id(), r));
      current.put(UPDATED.id(), UPDATED);
      assertServerStoredTheIntendedInstants(db, current);
      assertJdbcInThisJvm(db, current);
      try (ForkedJvm jdbc = fork(server, db, "jdbc", JDBC_JVM_ZONE, "timezone-jdbc-" + flavor)) {
        jdbc.awaitLine("^zone " + JDBC_JVM_ZONE + "$", TIMEOUT);
        jdbc.awaitLine("^jdbc done$", TIMEOUT);
        for (Written row : current.values()) {
          assertLine(jdbc, "jdbc", row);
        }
        assertEquals(0, jdbc.waitFor(TIMEOUT));
      }
    }
  }

  /**
   * The rows tell a correct decoder from one that uses the JVM's or the server's zone: read in any
   * of the zones involved, the intended instants' wall clocks are not the UTC ones.
   */
  private static void assertTestMeansSomething() {
    for (String zone : List.of(SERVER_ZONE, CANAL_JVM_ZONE, JDBC_JVM_ZONE)) {
      ZoneId id = ZoneId.of(zone);
      for (Written row : ROWS) {
        if (row.instant() != null) {
          LocalDateTime utc = LocalDateTime.ofInstant(row.instant(), ZoneOffset.UTC);
          assertNotEquals(utc, LocalDateTime.ofInstant(row.instant(), id), zone + " " + row);
        }
      }
    }
  }

  private static void assertServerZone(TestDatabase db) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@global.time_zone, @@session.time_zone")) {
      rs.next();
      assertEquals(SERVER_ZONE, rs.getString(1), "the sandbox's default-time-zone");
      assertEquals(SERVER_ZONE, rs.getString(2), "a new session starts in the server's zone");
    }
  }

  private static ForkedJvm fork(
      SandboxServer server, TestDatabase db, String mode, String zone, String name)
      throws Exception {
    return ForkedJvm.builder(TimeZoneCanalMain.class)
        .name(name)
        .outputFile(Path.of("target", name + ".log"))
        .jvmOptions("-Duser.timezone=" + zone)
        .args(
            mode,
            server.host(),
            String.valueOf(server.port()),
            server.user(),
            server.password(),
            db.name())
        .start();
  }

  /** Waits for the fork's line for the row and checks its values and classes. */
  private static void assertLine(ForkedJvm jvm, String kind, Written row) throws Exception {
    String line = jvm.awaitLine("^" + kind + " " + row.id() + " ", TIMEOUT);
    Map<String, String> fields = new HashMap<>();
    for (String part : line.split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    String what = kind + " " + row + ": " + line;
    if (row.text() == null) {
      assertEquals("null", fields.get("ts"), what);
      assertEquals("null", fields.get("dt"), what);
      return;
    }
    assertEquals("java.time.Instant", fields.get("tsclass"), what);
    assertEquals(row.instant(), Instant.parse(fields.get("ts")), what);
    assertEquals("java.time.LocalDateTime", fields.get("dtclass"), what);
    assertEquals(row.wallClock(), LocalDateTime.parse(fields.get("dt")), what);
  }

  /**
   * The server's own UNIX_TIMESTAMP agrees with the instants the test means: the oracle is right.
   */
  private static void assertServerStoredTheIntendedInstants(
      TestDatabase db, Map<Integer, Written> rows) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, UNIX_TIMESTAMP(ts) FROM t ORDER BY id")) {
      List<Integer> seen = new ArrayList<>();
      while (rs.next()) {
        Written row = rows.get(rs.getInt(1));
        seen.add(row.id());
        BigDecimal epoch = rs.getBigDecimal(2);
        if (row.instant() == null) {
          assertEquals(null, epoch, row.toString());
          continue;
        }
        BigDecimal expected =
            BigDecimal.valueOf(row.instant().getEpochSecond())
                .add(BigDecimal.valueOf(row.instant().getNano(), 9));
        assertEquals(0, expected.compareTo(epoch), row + ": server says " + epoch);
      }
      assertEquals(List.copyOf(rows.keySet()), seen);
    }
  }

  /**
   * JdbcValues in this JVM (whatever its zone) reads the same instants and wall clocks. On a UTC
   * machine this alone would not catch a zone-dependent read (Connector/J's {@code getTimestamp}
   * passes here), hence the second reading in a JVM on {@link #JDBC_JVM_ZONE}.
   */
  private static void assertJdbcInThisJvm(TestDatabase db, Map<Integer, Written> rows)
      throws Exception {
    TableSchema schema = new InformationSchemaCache(db::connect).load(TableId.of(db.name(), "t"));
    try (Connection c = db.connect()) {
      JdbcValues.prepareSession(c);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, ts, dt FROM t ORDER BY id")) {
        int count = 0;
        while (rs.next()) {
          count++;
          Written row = rows.get(rs.getInt(1));
          Object ts = JdbcValues.read(rs, 2, schema.column("ts"));
          Object dt = JdbcValues.read(rs, 3, schema.column("dt"));
          String what = "jdbc in this JVM (" + ZoneId.systemDefault() + "), " + row;
          assertEquals(row.instant(), ts, what);
          assertEquals(row.wallClock(), dt, what);
          if (ts != null) {
            assertEquals(Instant.class, ts.getClass(), what);
            assertEquals(LocalDateTime.class, dt.getClass(), what);
          }
        }
        assertEquals(rows.size(), count);
      }
    }
  }
}
