package io.canal4j.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canal4j.schema.Flavor;
import org.junit.jupiter.api.Test;

/**
 * Server differences we have no binary for (MySQL 8.4 and 9.x): the statement that reads the binlog
 * position. MySQL 8.4 removed SHOW MASTER STATUS; MariaDB keeps it (11.4 included).
 */
class ServerInfoTest {
  private static ServerInfo server(Flavor flavor, String version, int major, int minor) {
    return new ServerInfo(flavor, version, major, minor, true, null, "FULL", false);
  }

  @Test
  void binlogStatusStatement_followsTheRenameInMySql84() {
    assertEquals(
        "SHOW MASTER STATUS", server(Flavor.MYSQL, "8.0.31", 8, 0).binlogStatusStatement());
    assertEquals("SHOW MASTER STATUS", server(Flavor.MYSQL, "8.3.0", 8, 3).binlogStatusStatement());
    assertEquals(
        "SHOW BINARY LOG STATUS", server(Flavor.MYSQL, "8.4.3", 8, 4).binlogStatusStatement());
    assertEquals(
        "SHOW BINARY LOG STATUS", server(Flavor.MYSQL, "9.1.0", 9, 1).binlogStatusStatement());
    assertEquals(
        "SHOW MASTER STATUS",
        server(Flavor.MARIADB, "11.4.5-MariaDB", 11, 4).binlogStatusStatement());
  }
}
