package io.canal4j.schema.internal;

import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the schema caches read of the server itself: its version and its binlog position. */
final class ServerStatus {
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

  /**
   * The server's product, its version as a number ({@code 80031} for 8.0.31), and whether table
   * names are case-sensitive ({@code lower_case_table_names=0}).
   */
  record Version(Flavor flavor, int numeric, boolean exactNames) {}

  private ServerStatus() {}

  static Version version(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT VERSION(), @@lower_case_table_names")) {
      rs.next();
      String version = rs.getString(1);
      boolean exactNames = rs.getInt(2) == 0;
      Flavor flavor =
          version.toLowerCase(Locale.ROOT).contains("mariadb") ? Flavor.MARIADB : Flavor.MYSQL;
      Matcher m = VERSION.matcher(version);
      int numeric =
          m.find()
              ? Integer.parseInt(m.group(1)) * 10000
                  + Integer.parseInt(m.group(2)) * 100
                  + Integer.parseInt(m.group(3))
              : 0;
      return new Version(flavor, numeric, exactNames);
    }
  }

  /**
   * The server's binlog position now, in the form of {@code start} (its flavor and server); with
   * the server's GTID set there when {@code start} has GTIDs (compared by GTID set, not the
   * start's). Null when the binary log is off.
   */
  static Position binlogPosition(Connection c, Position start) throws SQLException {
    String file;
    long offset;
    String executed = null;
    try (Statement s = c.createStatement()) {
      ResultSet rs;
      try {
        rs = s.executeQuery("SHOW MASTER STATUS");
      } catch (SQLException e) {
        if (e.getErrorCode() != MysqlErrors.ER_PARSE_ERROR) { // a real failure
          throw e;
        }
        rs = s.executeQuery("SHOW BINARY LOG STATUS"); // MySQL 8.4+ has only this name
      }
      try (ResultSet r = rs) {
        if (!r.next()) {
          return null;
        }
        file = r.getString(1);
        offset = r.getLong(2);
        if (start.flavor() == Flavor.MYSQL && r.getMetaData().getColumnCount() >= 5) {
          executed = r.getString(5); // Executed_Gtid_Set
        }
      }
    }
    Position here = start.withOffset(file, offset);
    if (start.gtids() == null) {
      return here;
    }
    if (start.flavor() == Flavor.MARIADB) {
      try (PreparedStatement ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
        ps.setString(1, file);
        ps.setLong(2, offset);
        try (ResultSet r = ps.executeQuery()) {
          executed = r.next() ? r.getString(1) : null;
        }
      }
    }
    return here.withGtids(executed == null ? null : GtidSet.parse(start.flavor(), executed));
  }
}
