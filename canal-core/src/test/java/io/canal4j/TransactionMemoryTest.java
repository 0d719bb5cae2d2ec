package io.canal4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.TransactionMemoryMain;
import io.canal4j.testkit.ForkedJvm;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bounded memory while streaming: one transaction of {@value #ROWS} rows, its row events about
 * twice the heap of the JVM that streams it ({@link TransactionMemoryMain}, {@code -Xmx}{@value
 * #HEAP_MIB}{@code m}), arrives whole and exact. A canal that buffered a transaction until its
 * commit would die of {@link OutOfMemoryError}.
 */
class TransactionMemoryTest {
  private static final int HEAP_MIB = 64;
  private static final int ROWS = 300_000;
  private static final Pattern RESULT =
      Pattern.compile("rows (\\d+) checksum (\\d+) maxHeapMiB (\\d+)");

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void aTransactionOfTwiceTheHeap_streamsWhole_inBoundedMemory(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE seq (n INT PRIMARY KEY)");
      StringBuilder seq = new StringBuilder("INSERT INTO seq VALUES (0)");
      for (int i = 1; i < 1000; i++) {
        seq.append(", (").append(i).append(')');
      }
      s.execute(seq.toString());
      s.execute("CREATE TABLE big (id INT PRIMARY KEY, payload VARCHAR(500), n BIGINT)");
      String name = "tx-memory";
      try (ForkedJvm jvm =
          ForkedJvm.builder(TransactionMemoryMain.class)
              .name(name)
              .jvmOptions("-Xmx" + HEAP_MIB + "m", "-XX:+ExitOnOutOfMemoryError")
              .systemProperty("canal4j.test.password", server.password())
              .outputFile(CanalTesting.forkedLog(name, server))
              .args(server.host(), String.valueOf(server.port()), server.user(), db.name(), "big")
              .start()) {
        jvm.awaitLine("^streaming$", Duration.ofSeconds(60));
        c.setAutoCommit(false);
        s.execute(
            "INSERT INTO big SELECT a.n * 1000 + b.n, REPEAT(MD5(a.n * 1000 + b.n), 12),"
                + " (a.n * 1000 + b.n) * 7919 FROM seq a, seq b WHERE a.n < "
                + ROWS / 1000);
        c.commit();
        c.setAutoCommit(true);
        long[] expected = new long[2];
        try (ResultSet r =
            s.executeQuery(
                "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('#', id, payload, n))) FROM big")) {
          assertTrue(r.next());
          expected[0] = r.getLong(1);
          expected[1] = r.getLong(2);
        }
        assertEquals(ROWS, expected[0]);
        String line = jvm.awaitLine("^rows ", Duration.ofMinutes(2));
        assertEquals(0, jvm.waitFor(Duration.ofMinutes(1)), line);
        Matcher m = RESULT.matcher(line);
        assertTrue(m.find(), line);
        assertEquals(expected[0], Long.parseLong(m.group(1)), "rows; " + line);
        assertEquals(expected[1], Long.parseLong(m.group(2)), "checksum; " + line);
        assertTrue(Integer.parseInt(m.group(3)) <= HEAP_MIB, line);
      }
    }
  }
}
