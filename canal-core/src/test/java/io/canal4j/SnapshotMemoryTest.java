package io.canal4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.SnapshotMemoryMain;
import io.canal4j.testkit.ForkedJvm;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded memory end to end: a JVM with a 64 MiB heap ({@link SnapshotMemoryMain}) takes the
 * snapshot of a table of over 250 MiB (data_length; 160,000 rows of 1.5 KiB), in chunks of about
 * 40,000 rows whose values alone fill the heap, with one reader and with four, and delivers every
 * row exactly once. A canal that held a chunk, a table or an unbounded queue of rows in memory
 * would die of {@link OutOfMemoryError}.
 */
class SnapshotMemoryTest {
  private static final Logger log = LoggerFactory.getLogger(SnapshotMemoryTest.class);
  private static final int HEAP_MIB = 64;
  private static final int ROWS = 160_000;
  private static final int CHUNK_ROWS = 40_000;
  private static final Pattern RESULT =
      Pattern.compile("rows (\\d+) checksum (\\d+) maxHeapMiB (\\d+)");

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void snapshot_ofATableSeveralTimesTheHeap_deliversEveryRow_inBoundedMemory(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      fill(c);
      long dataLength = dataLength(c, "big");
      assertTrue(
          dataLength >= 3L * HEAP_MIB << 20,
          "the table must be at least 3 times the heap: data_length "
              + (dataLength >> 20)
              + " MiB");
      long[] expected = countAndChecksum(c, "big");
      assertEquals(ROWS, expected[0]);

      // At one point with 1 and 4 readers; lock-free, where a chunk is held whole until the
      // stream passes it, with chunks small enough for the heap.
      for (String[] run : new String[][] {{"1", "AUTO"}, {"4", "AUTO"}, {"4", "WATERMARKS"}}) {
        int readers = Integer.parseInt(run[0]);
        String method = run[1];
        int chunkRows = method.equals("WATERMARKS") ? 2_000 : CHUNK_ROWS;
        String name = "snapshot-memory-" + readers + "-" + method;
        try (ForkedJvm jvm =
            ForkedJvm.builder(SnapshotMemoryMain.class)
                .name(name)
                .jvmOptions("-Xmx" + HEAP_MIB + "m", "-XX:+ExitOnOutOfMemoryError")
                .systemProperty("canal4j.test.password", server.password())
                .outputFile(CanalTesting.forkedLog(name, server))
                .args(
                    server.host(),
                    String.valueOf(server.port()),
                    server.user(),
                    db.name(),
                    "big",
                    String.valueOf(readers),
                    String.valueOf(chunkRows),
                    method)
                .start()) {
          String line = jvm.awaitLine("^rows ", Duration.ofMinutes(2));
          assertEquals(0, jvm.waitFor(Duration.ofMinutes(1)), line);
          log.info(
              "{}: {} MiB table, {} reader(s), {}, -Xmx{}m: {}",
              server,
              dataLength >> 20,
              readers,
              method,
              HEAP_MIB,
              line);
          Matcher m = RESULT.matcher(line);
          assertTrue(m.find(), line);
          assertEquals(expected[0], Long.parseLong(m.group(1)), "rows; " + line);
          assertEquals(expected[1], Long.parseLong(m.group(2)), "checksum; " + line);
          assertTrue(Integer.parseInt(m.group(3)) <= HEAP_MIB, line);
        }
      }
    }
  }

  /**
   * {@value #ROWS} rows of about 1.5 KiB, {@code INSERT ... SELECT} from a cross join, not written
   * to the binlog (the snapshot does not read it, and it would only cost time).
   */
  private static void fill(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_log_bin = 0");
      s.execute("CREATE TABLE seq (n INT PRIMARY KEY)");
      StringBuilder seq = new StringBuilder("INSERT INTO seq VALUES (0)");
      for (int i = 1; i < 1000; i++) {
        seq.append(", (").append(i).append(')');
      }
      s.execute(seq.toString());
      s.execute("CREATE TABLE big (id INT PRIMARY KEY, payload VARCHAR(2000), n BIGINT)");
      for (int from = 0; from < ROWS / 1000; from += 40) { // 40,000 rows per statement
        s.execute(
            "INSERT INTO big SELECT a.n * 1000 + b.n, REPEAT(MD5(a.n * 1000 + b.n), 48),"
                + " (a.n * 1000 + b.n) * 7919 FROM seq a, seq b WHERE a.n >= "
                + from
                + " AND a.n < "
                + Math.min(from + 40, ROWS / 1000));
      }
      s.execute("SET SESSION sql_log_bin = 1");
      s.execute("ANALYZE TABLE big");
    }
  }

  private static long dataLength(Connection c, String table) throws SQLException {
    return queryLongs(
        c,
        "SELECT DATA_LENGTH FROM information_schema.TABLES"
            + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"
            + table
            + "'")[0];
  }

  /** The row count and the checksum {@link SnapshotMemoryMain} computes, computed by the server. */
  private static long[] countAndChecksum(Connection c, String table) throws SQLException {
    return queryLongs(
        c, "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('#', id, payload, n))) FROM " + table);
  }

  private static long[] queryLongs(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      assertTrue(r.next(), sql);
      long[] values = new long[r.getMetaData().getColumnCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = r.getLong(i + 1);
      }
      return values;
    }
  }
}
