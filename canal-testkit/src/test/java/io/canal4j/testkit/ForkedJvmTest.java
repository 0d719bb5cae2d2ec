package io.canal4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForkedJvmTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void kill_endsTheForkAbruptly(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("out.log");
    try (ForkedJvm jvm =
        ForkedJvm.builder(ForkedMain.class)
            .args("world", "again")
            .jvmOptions("-Xmx64m")
            .systemProperty("user.timezone", "Asia/Tokyo")
            .outputFile(output)
            .start()) {
      assertEquals("ready", jvm.awaitLine("^ready$", TIMEOUT));
      String hello = jvm.awaitLine(line -> line.startsWith("hello"), TIMEOUT);
      assertTrue(hello.startsWith("hello world,again tz=Asia/Tokyo maxMiB="), hello);
      assertTrue(Long.parseLong(hello.substring(hello.indexOf("maxMiB=") + 7)) <= 64, hello);
      assertTrue(jvm.isAlive());

      assertEquals(137, jvm.kill());
      assertFalse(jvm.isAlive());
      assertFalse(jvm.lines().contains("shutdown hook ran"));
    }
    assertTrue(Files.readAllLines(output).contains("ready"), "caller's output file is kept");
  }

  @Test
  void stop_runsShutdownHooks() throws Exception {
    try (ForkedJvm jvm = ForkedJvm.builder(ForkedMain.class).start()) {
      jvm.awaitLine("ready", TIMEOUT);
      assertEquals(143, jvm.stop());
      assertTrue(jvm.lines().contains("shutdown hook ran"), jvm.lines().toString());
    }
  }

  @Test
  void awaitLine_failsFast_whenTheForkExits_showingItsOutput() throws Exception {
    try (ForkedJvm jvm = ForkedJvm.builder(ForkedMain.class).args("exit").start()) {
      AssertionError e =
          assertThrows(AssertionError.class, () -> jvm.awaitLine("never printed", TIMEOUT));
      assertTrue(e.getMessage().contains("bye"), e.getMessage());
      assertEquals(3, jvm.waitFor(TIMEOUT));
    }
  }
}
