package io.canal4j.testkit;

import static io.canal4j.testkit.Servers.query;
import static io.canal4j.testkit.Servers.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SandboxServersTest {

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void sharedServer_writesRowBinlog(SandboxServer server) throws SQLException {
    assertEquals("1", variable(server, "log_bin"));
    assertEquals("ROW", variable(server, "binlog_format"));
    assertEquals("1", variable(server, "server_id"));
    if (server.flavor() == ServerFlavor.MYSQL) {
      assertEquals("ON", variable(server, "gtid_mode"));
    }
  }

  /** A server's start-up deletes every #sql* file in its tmpdir: other servers' live tmp tables. */
  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void sharedServer_hasATmpdirOfItsOwn(SandboxServer server) throws SQLException, IOException {
    assumeTrue(server instanceof LocalSandbox, "an external server's tmpdir is not ours");
    Path tmpdir = Path.of(variable(server, "tmpdir")).toRealPath();
    assertEquals(server.dataDir().resolveSibling("tmp").toRealPath(), tmpdir);
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void toString_isProductAndVersion(SandboxServer server) {
    assertTrue(
        server.toString().matches("(MariaDB|MySQL) \\d+\\.\\d+\\.\\d+( \\(external\\))?"),
        server.toString());
    assertTrue(server.version().startsWith(server.toString().split(" ")[1]));
  }

  @Test
  void shared_returnsOneServerPerFlavor_whichIgnoresClose() {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    assertSame(server, SandboxServers.shared(ServerFlavor.MARIADB));
    server.close();
    assertTrue(server.isRunning());
    assertEquals(ServerFlavor.MYSQL, SandboxServers.shared(ServerFlavor.MYSQL).flavor());
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void createDatabase_isFresh_andDroppedOnClose(SandboxServer server) throws SQLException {
    String name;
    try (TestDatabase db = server.createDatabase()) {
      name = db.name();
      assertTrue(name.matches("t_\\d+_[a-z0-9]{6}"), name);
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2)");
      assertEquals(2, db.count("t"));
      try (Connection c = db.connect()) {
        assertEquals(name, query(c, "SELECT DATABASE()"));
      }
    }
    try (Connection c = server.connect()) {
      assertNull(query(c, "SHOW DATABASES LIKE '" + name + "'"));
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void createdUser_withoutReplicationPrivileges_cannotReadBinlogStatus(SandboxServer server)
      throws SQLException {
    try (TestDatabase db = server.createDatabase()) {
      String user = "u_" + db.name();
      server.execute(
          "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'secret-1'",
          "GRANT SELECT ON " + db.name() + ".* TO '" + user + "'@'%'");
      try (Connection c = server.connectAs(user, "secret-1", db.name())) {
        assertEquals("1", query(c, "SELECT 1"));
        SQLException e = assertThrows(SQLException.class, () -> query(c, "SHOW MASTER STATUS"));
        assertTrue(e.getMessage().toLowerCase().contains("denied"), e.getMessage());
      } finally {
        server.execute("DROP USER '" + user + "'@'%'");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void execute_namesTheFailingStatement(SandboxServer server) {
    SQLException e = assertThrows(SQLException.class, () -> server.execute("SELEC 1"));
    assertTrue(e.getMessage().contains("[in: SELEC 1]"), e.getMessage());
    assertFalse(e.getSQLState() == null);
  }
}
