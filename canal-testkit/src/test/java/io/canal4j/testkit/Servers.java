package io.canal4j.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small query helpers for the testkit's own tests. */
final class Servers {
  private Servers() {}

  static String variable(SandboxServer server, String name) throws SQLException {
    try (Connection c = server.connect()) {
      return query(c, "SELECT @@" + name);
    }
  }

  static String query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  static SandboxServer dedicated(ServerFlavor flavor) {
    return flavor == ServerFlavor.MARIADB
        ? MariaDbSandbox.builder().start()
        : MySqlSandbox.builder().start();
  }
}
