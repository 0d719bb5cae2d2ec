package io.canal4j.internal.server;

import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Whether the binlog a saved position needs is still on the server. By file where the canal resumes
 * by file and offset; by GTIDs where it resumes by GTID set: on MySQL the saved set must hold
 * {@code @@gtid_purged}, on MariaDB the GTID state at the start of the oldest binlog file.
 */
public final class BinlogRetention {
  private BinlogRetention() {}

  /**
   * @return where the oldest binlog the server has starts (with its GTID set where it has one) when
   *     {@code saved} needs binlog the server purged; null when everything is there
   */
  public static Position purgedFrom(Connection c, ServerInfo server, Position saved)
      throws SQLException {
    List<String> files = ServerProbe.binlogFiles(c);
    if (files.isEmpty()) {
      return null; // no binlog at all: the probe reports that
    }
    String first = files.get(0);
    if (!(server.gtidMode() && saved.hasGtids())) {
      return files.contains(saved.file()) ? null : ServerProbe.positionAt(c, server, first, 4);
    }
    if (server.flavor() == Flavor.MYSQL) {
      GtidSet purged;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_purged")) {
        rs.next();
        purged = GtidSet.parse(Flavor.MYSQL, rs.getString(1));
      }
      return saved.gtids().containsAll(purged)
          ? null
          : new Position(Flavor.MYSQL, first, 4, purged, server.serverUuid());
    }
    Position start = ServerProbe.positionAt(c, server, first, 4);
    return start.gtids() == null || saved.gtids().containsAll(start.gtids()) ? null : start;
  }
}
