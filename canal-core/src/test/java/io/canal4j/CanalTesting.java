package io.canal4j;

import io.canal4j.testkit.SandboxServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small helpers shared by the core's server-backed tests. */
final class CanalTesting {
  private CanalTesting() {}

  /** A builder pointed at the server as root, with a name that says which test it is. */
  static Canal.Builder canalFor(SandboxServer server, String name) {
    return Canal.builder()
        .snapshotMode(SnapshotMode.NEVER) // streaming tests; SnapshotTest covers the snapshot
        .name(name)
        .host(server.host())
        .port(server.port())
        .user(server.user())
        .password(server.password());
  }

  /** A canal that reads the snapshot, saves its point and stops. */
  static Canal.Builder snapshotOnlyFor(SandboxServer server, String name) {
    return Canal.builder()
        .snapshotMode(SnapshotMode.SNAPSHOT_ONLY)
        .name(name)
        .host(server.host())
        .port(server.port())
        .user(server.user())
        .password(server.password());
  }

  /** The server's binlog end position as {@code file:offset} order key. */
  static String[] masterStatus(SandboxServer server) throws SQLException {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      rs.next();
      return new String[] {rs.getString(1), rs.getString(2)};
    }
  }
}
