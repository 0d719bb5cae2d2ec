package io.canal4j.dump;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lifts {@code NO_ZERO_DATE} and {@code NO_ZERO_IN_DATE} from the session's sql_mode while a
 * statement compares a date key with a zero or partly-zero date, and puts the mode back after.
 *
 * <p>MySQL 8.0 refuses such a comparison under those modes ("Incorrect DATE value", or a NULL that
 * matches nothing), although the rows exist, written under a permissive mode. Every other flag
 * stays, notably {@code NO_BACKSLASH_ESCAPES}, on which the driver's quoting depends. MariaDB
 * compares them under any mode, and most tables never need this.
 */
final class ZeroDateMode implements AutoCloseable {
  private static final Set<String> LIFTED = Set.of("NO_ZERO_DATE", "NO_ZERO_IN_DATE");

  private final Connection connection;
  private final String saved;

  private ZeroDateMode(Connection connection, String saved) {
    this.connection = connection;
    this.saved = saved;
  }

  /** Lifts the flags if the session has them; {@link #close()} restores the mode as it was. */
  static ZeroDateMode lift(Connection connection) throws SQLException {
    String mode;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@SESSION.sql_mode")) {
      rs.next();
      mode = rs.getString(1);
    }
    String relaxed =
        Arrays.stream(mode.split(","))
            .filter(flag -> !LIFTED.contains(flag))
            .collect(Collectors.joining(","));
    if (relaxed.equals(mode)) {
      return new ZeroDateMode(connection, null);
    }
    set(connection, relaxed);
    return new ZeroDateMode(connection, mode);
  }

  @Override
  public void close() throws SQLException {
    if (saved != null) {
      set(connection, saved);
    }
  }

  private static void set(Connection connection, String mode) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SET SESSION sql_mode = ?")) {
      ps.setString(1, mode);
      ps.execute();
    }
  }
}
