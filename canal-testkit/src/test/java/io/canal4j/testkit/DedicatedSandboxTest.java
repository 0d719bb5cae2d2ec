package io.canal4j.testkit;

import static io.canal4j.testkit.Servers.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sandboxes of their own: these tests stop, kill and reconfigure servers. */
class DedicatedSandboxTest {

  @ParameterizedTest
  @EnumSource(ServerFlavor.class)
  void restartAndKill_keepCommittedRows_portAndDataDir(ServerFlavor flavor) throws Exception {
    Path root;
    try (SandboxServer server = Servers.dedicated(flavor)) {
      int port = server.port();
      Path dataDir = server.dataDir();
      root = dataDir.getParent();
      try (TestDatabase db = server.createDatabase()) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");

        server.restart();
        assertEquals(port, server.port());
        assertEquals(dataDir, server.dataDir());
        assertEquals(1, db.count("t"));

        db.execute("INSERT INTO t VALUES (2)");
        server.kill();
        assertFalse(server.isRunning());
        assertThrows(SQLException.class, server::connect);

        server.start();
        assertTrue(server.isRunning());
        assertEquals(2, db.count("t"));
      }
      assertTrue(Files.size(server.errorLog()) > 0);
    }
    assertFalse(Files.exists(root), "close() deletes the sandbox directory");
  }

  @Test
  void mysqlSandboxes_haveDistinctServerUuids() throws SQLException {
    try (SandboxServer server = MySqlSandbox.builder().start()) {
      String shared = variable(SandboxServers.shared(ServerFlavor.MYSQL), "server_uuid");
      assertFalse(shared.equals(variable(server, "server_uuid")));
    }
  }

  @Test
  void mariaDb_withStatementFormatAndOffsetZone_reportsThem() throws SQLException {
    try (MariaDbSandbox server =
        MariaDbSandbox.builder()
            .name("statement-format")
            .serverOption("binlog_format", "STATEMENT")
            .timeZone("+05:00")
            .start()) {
      assertEquals("STATEMENT", variable(server, "binlog_format"));
      assertEquals("+05:00", variable(server, "time_zone"));
      assertEquals("statement-format", server.name());
    }
  }

  @Test
  void mysql_withoutBinlogAndWithRegionZone_reportsThem() throws SQLException {
    try (MySqlSandbox server =
        MySqlSandbox.builder().binlog(false).timeZone("Asia/Kolkata").start()) {
      assertEquals("0", variable(server, "log_bin"));
      assertEquals("SYSTEM", variable(server, "time_zone"));
      assertEquals("IST", variable(server, "system_time_zone"));
    }
  }

  @Test
  void start_withUnknownOption_failsWithErrorLogTail() {
    try (MariaDbSandbox server =
        MariaDbSandbox.builder().serverOption("no-such-option", "1").build()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, server::start);
      assertTrue(e.getMessage().contains("failed to start"), e.getMessage());
      assertTrue(e.getMessage().contains("no-such-option"), e.getMessage());
      assertFalse(server.isRunning());
    }
  }

  @Test
  void templates_holdNoBinlogFiles() throws Exception {
    for (LocalSandbox sandbox :
        new LocalSandbox[] {MariaDbSandbox.builder().build(), MySqlSandbox.builder().build()}) {
      try (Stream<Path> files = Files.list(sandbox.templateDataDir())) {
        assertTrue(
            files.noneMatch(f -> f.getFileName().toString().startsWith("binlog")),
            sandbox.flavor() + " template");
      }
    }
  }
}
