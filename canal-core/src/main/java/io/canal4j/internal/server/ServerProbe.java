package io.canal4j.internal.server;

import io.canal4j.error.ServerException;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import io.canal4j.schema.internal.ServerStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks, over JDBC, that a server can feed a canal (binary log on, ROW format) and reads its
 * current binlog position. Each failure is a {@link ServerException} naming the fix.
 */
public final class ServerProbe {
  private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

  private ServerProbe() {}

  public static ServerInfo probe(Connection c, String where) throws SQLException {
    ServerStatus.Version read = ServerStatus.version(c);
    String version = read.text();
    Flavor flavor = read.flavor();
    Matcher m = VERSION.matcher(version);
    int major = m.find() ? Integer.parseInt(m.group(1)) : 0;
    int minor = major > 0 ? Integer.parseInt(m.group(2)) : 0;
    String logBin = queryString(c, "SELECT @@log_bin");
    if (!"1".equals(logBin) && !"ON".equalsIgnoreCase(logBin)) {
      throw ServerException.permanent(
          "binary logging is off on "
              + where
              + ": start the server with log_bin (e.g. --log-bin=binlog) and"
              + " binlog_format=ROW, then restart the canal",
          null);
    }
    String format = queryString(c, "SELECT @@binlog_format");
    if (!"ROW".equalsIgnoreCase(format)) {
      throw ServerException.permanent(
          "binlog_format is "
              + format
              + " on "
              + where
              + ", but a canal needs ROW: set binlog_format=ROW in the server's configuration"
              + " (and SET GLOBAL binlog_format='ROW' for the running server; sessions that are"
              + " already open keep their old format until they reconnect)",
          null);
    }
    String rowImage = queryString(c, "SELECT @@binlog_row_image");
    boolean compressed =
        flavor == Flavor.MYSQL
            ? atLeast(version, 8, 0, 20)
                && isOn(queryString(c, "SELECT @@binlog_transaction_compression"))
            : isOn(queryString(c, "SELECT @@log_bin_compress"));
    if (compressed) {
      throw ServerException.permanent(
          flavor == Flavor.MYSQL
              ? ServerErrors.COMPRESSED + " (on " + where + ")"
              : "the server compresses its binlog (log_bin_compress=ON) on "
                  + where
                  + ", which this canal4j version cannot read yet: set log_bin_compress=OFF",
          null);
    }
    boolean gtidMode;
    String uuid = null;
    if (flavor == Flavor.MARIADB) {
      gtidMode = true;
    } else {
      gtidMode = "ON".equalsIgnoreCase(queryString(c, "SELECT @@gtid_mode"));
      uuid = queryString(c, "SELECT @@server_uuid");
    }
    // MariaDB 11.4+ may write end_log_pos 0 for the events of a transaction (while its dynamic
    // binlog_legacy_event_pos is OFF); the stream then counts positions by event lengths, which
    // needs every event sent, Annotate_rows included.
    boolean zeroEndPositions =
        flavor == Flavor.MARIADB
            && hasRow(c, "SHOW GLOBAL VARIABLES LIKE 'binlog_legacy_event_pos'");
    return new ServerInfo(
        flavor, version, major, minor, gtidMode, uuid, rowImage, zeroEndPositions);
  }

  /** The position after the last event in the binlog now, with the GTID set at that point. */
  public static Position currentPosition(Connection c, ServerInfo server, String where)
      throws SQLException {
    ServerStatus.BinlogStatus status = ServerStatus.binlogStatus(c, server.binlogStatusRenamed());
    if (status == null) {
      throw ServerException.permanent(
          "the server at " + where + " reports no binary log: start it with log_bin", null);
    }
    if (server.flavor() == Flavor.MARIADB) {
      return positionAt(c, server, status.file(), status.offset());
    }
    String gtidText = server.gtidMode() ? status.executedGtidSet() : null;
    GtidSet gtids = gtidText == null ? null : GtidSet.parse(server.flavor(), gtidText);
    return new Position(
        server.flavor(), status.file(), status.offset(), gtids, server.serverUuid());
  }

  /**
   * The first statement other than a transaction boundary in the binlog from {@code from} up to
   * {@code to} (a DDL, as ROW format logs every row change as row events), or a sentence saying why
   * the range could not be checked; empty when it holds none. Reads {@code SHOW BINLOG EVENTS}, at
   * most {@code limit} events.
   */
  public static Optional<String> statementBetween(
      Connection c, Position from, Position to, int limit) throws SQLException {
    if (!from.file().equals(to.file())) {
      return Optional.of("the binlog rotated from " + from.file() + " to " + to.file());
    }
    if (to.offset() <= from.offset()) {
      return Optional.empty();
    }
    try (PreparedStatement ps =
        c.prepareStatement("SHOW BINLOG EVENTS IN ? FROM " + from.offset() + " LIMIT " + limit)) {
      ps.setString(1, from.file());
      int events = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          events++;
          if (rs.getLong("Pos") >= to.offset()) {
            return Optional.empty();
          }
          if ("Query".equalsIgnoreCase(rs.getString("Event_type"))) {
            String info = String.valueOf(rs.getString("Info")).trim();
            String bare = info.replaceFirst("(?is)^use\\s+`[^`]*`\\s*;\\s*", "");
            String word = bare.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            if (!BOUNDARIES.contains(word)) {
              return Optional.of("'" + info + "' at " + rs.getLong("Pos"));
            }
          }
        }
      }
      return events >= limit
          ? Optional.of("more than " + limit + " events to check")
          : Optional.empty();
    }
  }

  private static final Set<String> BOUNDARIES =
      Set.of("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "XA");

  /** The position at {@code file}/{@code offset}; on MariaDB with the GTID set there. */
  public static Position positionAt(Connection c, ServerInfo server, String file, long offset)
      throws SQLException {
    GtidSet gtids = null;
    if (server.flavor() == Flavor.MARIADB) {
      String text = ServerStatus.gtidPosition(c, file, offset);
      gtids = text == null ? null : GtidSet.parse(Flavor.MARIADB, text);
    }
    return new Position(server.flavor(), file, offset, gtids, server.serverUuid());
  }

  /** The binlog files the server still has, oldest first. */
  static List<String> binlogFiles(Connection c) throws SQLException {
    List<String> files = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      while (rs.next()) {
        files.add(rs.getString(1));
      }
    }
    return files;
  }

  private static boolean isOn(String v) {
    return "1".equals(v) || "ON".equalsIgnoreCase(v);
  }

  private static boolean atLeast(String version, int major, int minor, int patch) {
    Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version);
    if (!m.find()) {
      return false;
    }
    int[] v = {
      Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))
    };
    int[] w = {major, minor, patch};
    for (int i = 0; i < 3; i++) {
      if (v[i] != w[i]) {
        return v[i] > w[i];
      }
    }
    return true;
  }

  private static String queryString(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static boolean hasRow(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next();
    }
  }
}
