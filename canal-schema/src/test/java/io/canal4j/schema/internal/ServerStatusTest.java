package io.canal4j.schema.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Flavor;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@link ServerStatus} makes of the server's answers, without a server: the version parse and
 * the binlog status statement's fallback (the servers the sandbox has cannot show MySQL 8.4's
 * rename). The JDBC objects are small proxies that answer only what the reader asks.
 */
class ServerStatusTest {

  @Test
  void parse_mariaDbWithSuffixes_isMariaDbWithItsNumber() {
    ServerStatus.Version v = ServerStatus.Version.parse("10.11.19-MariaDB-log", true);
    assertEquals(Flavor.MARIADB, v.flavor());
    assertEquals(101119, v.numeric());
    assertEquals("10.11.19-MariaDB-log", v.text());
    assertTrue(v.exactNames());

    ServerStatus.Version lts = ServerStatus.Version.parse("11.4.5-MariaDB", false);
    assertEquals(Flavor.MARIADB, lts.flavor());
    assertEquals(110405, lts.numeric());
    assertFalse(lts.exactNames());

    assertEquals(
        Flavor.MARIADB, ServerStatus.Version.parse("10.6.18-mariadb-0+deb12u1", true).flavor());
  }

  @Test
  void parse_mySql_isMySqlWithItsNumber() {
    ServerStatus.Version v = ServerStatus.Version.parse("8.0.36", true);
    assertEquals(Flavor.MYSQL, v.flavor());
    assertEquals(80036, v.numeric());
    assertEquals(80403, ServerStatus.Version.parse("8.4.3", true).numeric());
    assertEquals(90100, ServerStatus.Version.parse("9.1.0-commercial", true).numeric());
    assertEquals(80031, ServerStatus.Version.parse("8.0.31-0ubuntu0.22.04.1", true).numeric());
  }

  @Test
  void parse_withoutThreeNumbers_isZero() {
    assertEquals(0, ServerStatus.Version.parse("8.0", true).numeric());
    assertEquals(0, ServerStatus.Version.parse("unknown", true).numeric());
    assertEquals(Flavor.MYSQL, ServerStatus.Version.parse("unknown", true).flavor());
  }

  @Test
  void binlogStatusStatement_renamedIsTheNewName() {
    assertEquals("SHOW MASTER STATUS", ServerStatus.binlogStatusStatement(false));
    assertEquals("SHOW BINARY LOG STATUS", ServerStatus.binlogStatusStatement(true));
  }

  @Test
  void binlogStatus_oldNameUnknown_fallsBackToTheNewName() throws SQLException {
    List<String> asked = new ArrayList<>();
    Connection c =
        connection(
            asked,
            Map.of(
                "SHOW MASTER STATUS",
                new SQLException("You have an error in your SQL syntax", "42000", 1064),
                "SHOW BINARY LOG STATUS",
                rows(5, new Object[] {"binlog.000007", 1234L, "", "", "uuid:1-5"})));
    ServerStatus.BinlogStatus status = ServerStatus.binlogStatus(c);
    assertEquals(new ServerStatus.BinlogStatus("binlog.000007", 1234, "uuid:1-5"), status);
    assertEquals(List.of("SHOW MASTER STATUS", "SHOW BINARY LOG STATUS"), asked);
  }

  @Test
  void binlogStatus_otherError_isThrown() {
    SQLException denied = new SQLException("Access denied", "42000", 1227);
    List<String> asked = new ArrayList<>();
    Connection c = connection(asked, Map.of("SHOW MASTER STATUS", denied));
    assertSame(denied, assertThrows(SQLException.class, () -> ServerStatus.binlogStatus(c)));
    assertEquals(List.of("SHOW MASTER STATUS"), asked);
  }

  @Test
  void binlogStatus_mariaDbColumnsAndEmpty() throws SQLException {
    List<String> asked = new ArrayList<>();
    Connection four =
        connection(
            asked, Map.of("SHOW MASTER STATUS", rows(4, new Object[] {"mariadb-bin.1", 4L})));
    assertEquals(
        new ServerStatus.BinlogStatus("mariadb-bin.1", 4, null), ServerStatus.binlogStatus(four));
    Connection empty = connection(asked, Map.of("SHOW MASTER STATUS", rows(4)));
    assertNull(ServerStatus.binlogStatus(empty));
  }

  @Test
  void binlogStatus_renamed_asksOnlyTheChosenStatement() throws SQLException {
    List<String> asked = new ArrayList<>();
    SQLException unknown = new SQLException("syntax", "42000", 1064);
    Connection c =
        connection(
            asked,
            Map.of(
                "SHOW BINARY LOG STATUS",
                rows(5, new Object[] {"binlog.000001", 157L, "", "", ""}),
                "SHOW MASTER STATUS",
                unknown));
    assertEquals(
        new ServerStatus.BinlogStatus("binlog.000001", 157, ""),
        ServerStatus.binlogStatus(c, true));
    assertSame(
        unknown, assertThrows(SQLException.class, () -> ServerStatus.binlogStatus(c, false)));
    assertEquals(List.of("SHOW BINARY LOG STATUS", "SHOW MASTER STATUS"), asked);
  }

  @Test
  void snapshotStatus_readsBothVariables_andMarksWhatIsMissing() throws SQLException {
    List<String> asked = new ArrayList<>();
    String sql = "SHOW STATUS LIKE 'binlog_snapshot_%'";
    Connection both =
        connection(
            asked,
            Map.of(
                sql,
                rows(
                    2,
                    new Object[] {"Binlog_snapshot_file", "mariadb-bin.000002"},
                    new Object[] {"Binlog_snapshot_gtid", "0-1-9"},
                    new Object[] {"Binlog_snapshot_position", 345L})));
    assertEquals(
        new ServerStatus.BinlogStatus("mariadb-bin.000002", 345, null),
        ServerStatus.snapshotStatus(both));
    Connection none = connection(asked, Map.of(sql, rows(2)));
    assertEquals(new ServerStatus.BinlogStatus(null, -1, null), ServerStatus.snapshotStatus(none));
  }

  // --- JDBC proxies

  /**
   * A connection whose statements answer {@code answers} (a result set, or an exception thrown).
   */
  private static Connection connection(List<String> asked, Map<String, Object> answers) {
    Statement statement =
        proxy(
            Statement.class,
            (method, args) ->
                switch (method) {
                  case "executeQuery" -> {
                    String sql = (String) args[0];
                    asked.add(sql);
                    Object answer = answers.get(sql);
                    if (answer instanceof SQLException e) {
                      throw e;
                    }
                    if (answer == null) {
                      throw new AssertionError("unexpected statement: " + sql);
                    }
                    yield answer;
                  }
                  case "close" -> null;
                  default -> throw new AssertionError("unexpected call: Statement." + method);
                });
    return proxy(
        Connection.class,
        (method, args) ->
            switch (method) {
              case "createStatement" -> statement;
              default -> throw new AssertionError("unexpected call: Connection." + method);
            });
  }

  /** A result set of {@code columns} columns with these rows (indexes from 1, as in JDBC). */
  private static ResultSet rows(int columns, Object[]... rows) {
    ResultSetMetaData meta =
        proxy(
            ResultSetMetaData.class,
            (method, args) ->
                switch (method) {
                  case "getColumnCount" -> columns;
                  default ->
                      throw new AssertionError("unexpected call: ResultSetMetaData." + method);
                });
    int[] at = {-1};
    return proxy(
        ResultSet.class,
        (method, args) ->
            switch (method) {
              case "next" -> ++at[0] < rows.length;
              case "getString" -> (String) rows[at[0]][(Integer) args[0] - 1];
              case "getLong" -> ((Number) rows[at[0]][(Integer) args[0] - 1]).longValue();
              case "getMetaData" -> meta;
              case "close" -> null;
              default -> throw new AssertionError("unexpected call: ResultSet." + method);
            });
  }

  private interface Answer {
    Object answer(String method, Object[] args) throws Exception;
  }

  private static <T> T proxy(Class<T> type, Answer answer) {
    return type.cast(
        Proxy.newProxyInstance(
            ServerStatusTest.class.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> answer.answer(method.getName(), args)));
  }
}
