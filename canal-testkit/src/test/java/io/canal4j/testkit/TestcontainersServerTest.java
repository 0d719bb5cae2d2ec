package io.canal4j.testkit;

import static io.canal4j.testkit.Servers.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs only where a Docker engine is available (not on the project's CI machines). */
@EnabledIf("io.canal4j.testkit.TestcontainersServer#dockerAvailable")
class TestcontainersServerTest {

  @ParameterizedTest
  @EnumSource(ServerFlavor.class)
  void container_writesRowBinlog(ServerFlavor flavor) throws SQLException {
    try (TestcontainersServer server = TestcontainersServer.start(flavor)) {
      assertEquals(flavor, server.flavor());
      assertEquals("1", variable(server, "log_bin"));
      assertEquals("ROW", variable(server, "binlog_format"));
    }
  }
}
