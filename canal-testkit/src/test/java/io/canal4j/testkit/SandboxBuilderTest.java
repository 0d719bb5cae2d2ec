package io.canal4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxBuilderTest {

  @Test
  void serverOption_managedBySandbox_isRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MariaDbSandbox.builder().serverOption("log_bin", "x"));
    assertTrue(e.getMessage().contains("binlog(boolean)"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> MySqlSandbox.builder().serverOption("port", "1"));
    assertThrows(
        IllegalArgumentException.class,
        () -> MariaDbSandbox.builder().serverOption("tmpdir", "/tmp"));
  }

  @Test
  void serverOption_givenTwice_isRejected_evenWithOtherSpelling() {
    SandboxBuilder<MariaDbSandbox> builder =
        MariaDbSandbox.builder().serverOption("binlog_format", "ROW");
    assertThrows(
        IllegalArgumentException.class, () -> builder.serverOption("binlog-format", "MIXED"));
  }

  @Test
  void settings_givenTwice_orInvalid_areRejected() {
    assertThrows(
        IllegalStateException.class, () -> MariaDbSandbox.builder().binlog(true).binlog(false));
    assertThrows(IllegalArgumentException.class, () -> MariaDbSandbox.builder().timeZone("Mars/X"));
    assertThrows(
        IllegalArgumentException.class, () -> MariaDbSandbox.builder().startTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> MariaDbSandbox.builder().name("a b"));
  }

  @Test
  void unstartedSandbox_hasNoPortYet() {
    try (MariaDbSandbox sandbox = MariaDbSandbox.builder().build()) {
      assertThrows(IllegalStateException.class, sandbox::port);
      assertEquals("MariaDB", sandbox.toString());
    }
  }
}
