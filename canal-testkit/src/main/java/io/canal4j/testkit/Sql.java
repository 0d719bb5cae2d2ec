package io.canal4j.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** SQL text helpers shared by the fixtures. */
final class Sql {
  private Sql() {}

  /** Backtick-quotes an identifier; a {@code schema.table} name is quoted part by part. */
  static String quoteName(String name) {
    int dot = name.indexOf('.');
    return dot < 0
        ? quote(name)
        : quote(name.substring(0, dot)) + "." + quote(name.substring(dot + 1));
  }

  /** Backtick-quotes one identifier. */
  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  /** Runs statements in order; the exception names the failing statement. */
  static void execute(Connection connection, String... sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String s : sql) {
        try {
          statement.execute(s);
        } catch (SQLException e) {
          throw new SQLException(
              e.getMessage() + " [in: " + s + "]", e.getSQLState(), e.getErrorCode(), e);
        }
      }
    }
  }
}
