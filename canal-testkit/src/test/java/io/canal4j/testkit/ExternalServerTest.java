package io.canal4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ExternalServerTest {

  @Test
  void jdbcUrl_swapsTheDatabase_keepingParameters() {
    ExternalServer server =
        ExternalServer.of("jdbc:mysql://db.example:3307/ignored?sslMode=REQUIRED", "u", "p");
    assertEquals("jdbc:mysql://db.example:3307/d1?sslMode=REQUIRED", server.jdbcUrl("d1"));
    assertEquals("db.example", server.host());
    assertEquals(3307, server.port());
    ExternalServer defaults = ExternalServer.of("jdbc:mysql://h", "u", null);
    assertEquals(
        "jdbc:mysql://h:3306/?useSSL=false&allowPublicKeyRetrieval=true", defaults.jdbcUrl(null));
    assertEquals("", defaults.password());
  }

  @Test
  void lifecycleOperations_areUnsupported_withAClearMessage() {
    ExternalServer server = ExternalServer.of("jdbc:mysql://h:1", "u", "p");
    UnsupportedOperationException e =
        assertThrows(UnsupportedOperationException.class, server::kill);
    assertTrue(e.getMessage().contains("CANAL4J_TEST_URL"), e.getMessage());
    assertThrows(UnsupportedOperationException.class, server::restart);
    assertThrows(UnsupportedOperationException.class, server::dataDir);
  }

  @Test
  void sandboxReachedAsExternal_detectsFlavor_andCreatesDatabases() throws SQLException {
    SandboxServer sandbox = SandboxServers.shared(ServerFlavor.MYSQL);
    ExternalServer server = ExternalServer.of(sandbox.jdbcUrl(null), "root", "");
    assertEquals(ServerFlavor.MYSQL, server.flavor());
    assertTrue(server.toString().endsWith("(external)"), server.toString());
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT)");
      assertEquals(0, db.count("t"));
    }
  }
}
