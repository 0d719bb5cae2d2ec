package io.canal4j.testkit;

import static io.canal4j.testkit.Servers.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class TcpProxyTest {

  @Test
  void cutConnections_breaksOpenConnections_whileNewOnesWork() throws Exception {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    try (TcpProxy proxy = TcpProxy.start(server)) {
      try (Connection first = connect(server, proxy)) {
        assertEquals("1", query(first, "SELECT 1"));
        assertEquals(1, proxy.connectionCount());

        assertEquals(1, proxy.cutConnections());
        assertEquals(0, proxy.connectionCount());
        assertThrows(SQLException.class, () -> query(first, "SELECT 1"));
      }
      try (Connection second = connect(server, proxy)) {
        assertEquals("2", query(second, "SELECT 2"));
        assertEquals(1, proxy.connectionCount());
      }
      assertEquals(2, proxy.totalConnections());
    }
  }

  @Test
  void setRefusing_failsNewConnections_untilReset() throws Exception {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    try (TcpProxy proxy = TcpProxy.start(server)) {
      proxy.setRefusing(true);
      assertThrows(SQLException.class, () -> connect(server, proxy).close());
      proxy.setRefusing(false);
      try (Connection c = connect(server, proxy)) {
        assertEquals("1", query(c, "SELECT 1"));
      }
      assertEquals(1, proxy.totalConnections());
    }
  }

  private static Connection connect(SandboxServer server, TcpProxy proxy) throws SQLException {
    String url = server.jdbcUrl(null).replace(":" + server.port() + "/", ":" + proxy.port() + "/");
    return DriverManager.getConnection(url, server.user(), server.password());
  }
}
