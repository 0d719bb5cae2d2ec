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

/**
 * The one reader of the server's own status for every canal4j module: its version, its binlog
 * position ({@code SHOW MASTER STATUS} or {@code SHOW BINARY LOG STATUS}), MariaDB's GTID set at a
 * position, and MariaDB's consistent-snapshot point. The SQL for these is written here only.
 *
 * <p>Callers differ in how they pick the binlog status statement and what they make of an empty or
 * odd answer, so most methods return the server's raw pieces and leave the interpretation (and the
 * messages) to the caller.
 */
public final class ServerStatus {
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

  private static final String SHOW_MASTER_STATUS = "SHOW MASTER STATUS";
  private static final String SHOW_BINARY_LOG_STATUS = "SHOW BINARY LOG STATUS";

  /**
   * The server's product, its version as a number ({@code 80031} for 8.0.31), and whether table
   * names are case-sensitive ({@code lower_case_table_names=0}).
   *
   * @param text the server's {@code VERSION()}, e.g. {@code 10.11.6-MariaDB-log}
   * @param numeric 0 when {@code text} holds no {@code major.minor.patch}
   */
  public record Version(String text, Flavor flavor, int numeric, boolean exactNames) {

    /** The version of a server whose {@code VERSION()} is {@code text}. */
    public static Version parse(String text, boolean exactNames) {
      Flavor flavor =
          text.toLowerCase(Locale.ROOT).contains("mariadb") ? Flavor.MARIADB : Flavor.MYSQL;
      Matcher m = VERSION.matcher(text);
      int numeric =
          m.find()
              ? Integer.parseInt(m.group(1)) * 10000
                  + Integer.parseInt(m.group(2)) * 100
                  + Integer.parseInt(m.group(3))
              : 0;
      return new Version(text, flavor, numeric, exactNames);
    }
  }

  /**
   * One row of the binlog status, as the server gave it.
   *
   * @param file the binlog file; for {@link #snapshotStatus} null when the server did not report it
   * @param offset the offset in it; for {@link #snapshotStatus} -1 when the server did not report
   *     it
   * @param executedGtidSet the fifth column ({@code Executed_Gtid_Set} on MySQL), null where the
   *     answer has fewer columns (MariaDB) and always for {@link #snapshotStatus}
   */
  public record BinlogStatus(String file, long offset, String executedGtidSet) {}

  private ServerStatus() {}

  public static Version version(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT VERSION(), @@lower_case_table_names")) {
      rs.next();
      String version = rs.getString(1);
      boolean exactNames = rs.getInt(2) == 0;
      return Version.parse(version, exactNames);
    }
  }

  /**
   * The binlog status statement a server knows when {@code renamed} says it has only the new name
   * (MySQL 8.4 renamed {@code SHOW MASTER STATUS} to {@code SHOW BINARY LOG STATUS}; MariaDB keeps
   * the old one).
   */
  public static String binlogStatusStatement(boolean renamed) {
    return renamed ? SHOW_BINARY_LOG_STATUS : SHOW_MASTER_STATUS;
  }

  /**
   * The binlog status by {@link #binlogStatusStatement binlogStatusStatement(renamed)}, with no
   * fallback; null when the answer is empty (the binary log is off).
   */
  public static BinlogStatus binlogStatus(Connection c, boolean renamed) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(binlogStatusStatement(renamed))) {
      return row(rs);
    }
  }

  /**
   * The binlog status by {@code SHOW MASTER STATUS}, or by {@code SHOW BINARY LOG STATUS} when the
   * server does not know the old name (error 1064); null when the answer is empty (the binary log
   * is off).
   */
  public static BinlogStatus binlogStatus(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      ResultSet rs;
      try {
        rs = s.executeQuery(SHOW_MASTER_STATUS);
      } catch (SQLException e) {
        if (e.getErrorCode() != MysqlErrors.ER_PARSE_ERROR) { // a real failure
          throw e;
        }
        rs = s.executeQuery(SHOW_BINARY_LOG_STATUS); // MySQL 8.4+ has only this name
      }
      try (ResultSet r = rs) {
        return row(r);
      }
    }
  }

  private static BinlogStatus row(ResultSet r) throws SQLException {
    if (!r.next()) {
      return null;
    }
    String file = r.getString(1);
    long offset = r.getLong(2);
    String executed = r.getMetaData().getColumnCount() >= 5 ? r.getString(5) : null;
    return new BinlogStatus(file, offset, executed);
  }

  /**
   * MariaDB's GTID set at {@code file}/{@code offset} ({@code BINLOG_GTID_POS}) as the server
   * writes it; null when the server answers NULL.
   */
  public static String gtidPosition(Connection c, String file, long offset) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
      ps.setString(1, file);
      ps.setLong(2, offset);
      try (ResultSet r = ps.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  /**
   * The point of the consistent snapshot that {@code c}'s transaction holds, as MariaDB reports it
   * ({@code binlog_snapshot_file} and {@code binlog_snapshot_position}); the file null and the
   * offset -1 for what it does not report.
   */
  public static BinlogStatus snapshotStatus(Connection c) throws SQLException {
    String file = null;
    long offset = -1;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
      while (rs.next()) {
        switch (rs.getString(1).toLowerCase(Locale.ROOT)) {
          case "binlog_snapshot_file" -> file = rs.getString(2);
          case "binlog_snapshot_position" -> offset = rs.getLong(2);
          default -> {}
        }
      }
    }
    return new BinlogStatus(file, offset, null);
  }

  /**
   * The server's binlog position now, in the form of {@code start} (its flavor and server); with
   * the server's GTID set there when {@code start} has GTIDs (compared by GTID set, not the
   * start's). Null when the binary log is off.
   */
  static Position binlogPosition(Connection c, Position start) throws SQLException {
    BinlogStatus status = binlogStatus(c);
    if (status == null) {
      return null;
    }
    Position here = start.withOffset(status.file(), status.offset());
    if (start.gtids() == null) {
      return here;
    }
    String executed =
        start.flavor() == Flavor.MARIADB
            ? gtidPosition(c, status.file(), status.offset())
            : status.executedGtidSet(); // Executed_Gtid_Set
    return here.withGtids(executed == null ? null : GtidSet.parse(start.flavor(), executed));
  }
}
