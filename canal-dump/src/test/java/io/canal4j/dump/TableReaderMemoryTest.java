package io.canal4j.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canal4j.testkit.ForkedJvm;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table of about 290 MiB, in chunks of about 145 MiB each, read by a JVM with a 64 MiB heap: only
 * a streaming read gets through.
 */
class TableReaderMemoryTest {
  private static final Logger log = LoggerFactory.getLogger(TableReaderMemoryTest.class);
  private static final int ROWS = 200_000;
  private static final int PAYLOAD_CHARS = 32 * 46;

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void read_tableFarLargerThanTheHeap_streamsThrough(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE seq (n INT PRIMARY KEY)",
          "CREATE TABLE big (id INT PRIMARY KEY, payload VARCHAR(2000), n BIGINT)");
      List<String> seq = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        seq.add("(" + i + ")");
      }
      TableReaderTest.insert(db, "seq", seq);
      for (int part = 0; part < ROWS / 1000; part += 50) {
        db.execute(
            "INSERT INTO big SELECT a.n * 1000 + b.n, REPEAT(MD5(a.n * 1000 + b.n), 46), a.n"
                + " FROM seq a, seq b WHERE a.n >= "
                + part
                + " AND a.n < "
                + (part + 50));
      }

      try (ForkedJvm reader =
          ForkedJvm.builder(ReadTableMain.class)
              .jvmOptions("-Xmx64m")
              .systemProperty("canal4j.test.password", server.password())
              .args(server.jdbcUrl(db.name()), server.user(), db.name(), "big", "100000")
              .start()) {
        String line = reader.awaitLine("^rows ", Duration.ofMinutes(5));
        assertEquals(0, reader.waitFor(Duration.ofMinutes(1)), line);
        log.info("{} read with -Xmx64m: {}", server, line);

        Matcher m =
            Pattern.compile("rows (\\d+) chars (\\d+) chunks (\\d+) maxHeapMiB (\\d+)")
                .matcher(line);
        assertEquals(true, m.find(), line);
        assertEquals(ROWS, Long.parseLong(m.group(1)), line);
        assertEquals((long) ROWS * PAYLOAD_CHARS, Long.parseLong(m.group(2)), line);
        assertEquals(3, Integer.parseInt(m.group(3)), line);
        assertEquals(true, Integer.parseInt(m.group(4)) <= 64, line);
      }
    }
  }
}
