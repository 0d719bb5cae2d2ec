package io.canal4j.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A MariaDB or MySQL server that a test can connect to, with its binlog on in ROW format unless the
 * test configured otherwise.
 *
 * <p>Implementations: {@link MariaDbSandbox} and {@link MySqlSandbox} (local processes the test
 * controls), {@link ExternalServer} (an existing server named by environment variables) and {@link
 * TestcontainersServer} (a Docker container). Only sandboxes support the lifecycle methods {@link
 * #start()}, {@link #stop()}, {@link #kill()} and {@link #restart()}; the others throw {@link
 * UnsupportedOperationException}, so tests that inject server crashes should build their own
 * sandbox rather than use {@link SandboxServers#shared(ServerFlavor)}.
 *
 * <p>{@code toString()} is a short readable name such as {@code "MariaDB 10.11.6"}, so that
 * parameterized test names read well. Instances are thread-safe.
 */
public interface SandboxServer extends AutoCloseable {

  /** MariaDB or MySQL. */
  ServerFlavor flavor();

  /** The server's {@code SELECT VERSION()}, e.g. {@code "8.0.31"} or {@code "10.11.6-MariaDB"}. */
  String version();

  /** The host to connect to; {@code "127.0.0.1"} for sandboxes. */
  String host();

  /** The TCP port; a sandbox keeps its port across restarts. */
  int port();

  /** A user with all privileges (root for sandboxes); used by {@link #execute(String...)}. */
  String user();

  /** The password of {@link #user()}; empty for sandboxes. Never logged. */
  String password();

  /**
   * A MySQL Connector/J URL for this server.
   *
   * @param database the default database of the connection, or {@code null} for none
   */
  String jdbcUrl(String database);

  /** A new connection as {@link #user()} without a default database; the caller closes it. */
  default Connection connect() throws SQLException {
    return connect(null);
  }

  /** A new connection as {@link #user()} to {@code database} (may be {@code null}). */
  default Connection connect(String database) throws SQLException {
    return connectAs(user(), password(), database);
  }

  /**
   * A new connection as another user, e.g. one a test created with {@code CREATE USER} to check
   * behaviour under missing privileges. On MySQL 8 such users default to {@code
   * caching_sha2_password}, which works here because the URL allows public key retrieval.
   */
  default Connection connectAs(String user, String password, String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password == null ? "" : password);
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  /**
   * Runs statements in order as {@link #user()} on one connection, for test setup. A failing
   * statement stops the sequence; its {@link SQLException} keeps the server's SQL state and error
   * code and names the statement.
   */
  default void execute(String... sql) throws SQLException {
    try (Connection connection = connect()) {
      Sql.execute(connection, sql);
    }
  }

  /** Creates a fresh, uniquely named database that {@link TestDatabase#close()} drops. */
  default TestDatabase createDatabase() throws SQLException {
    return TestDatabase.create(this);
  }

  /**
   * Whether the server process is up (always {@code true} for servers the testkit does not own).
   */
  boolean isRunning();

  /**
   * Starts the server, or starts it again on the same port and data directory after {@link #stop()}
   * or {@link #kill()}, and returns once it accepts JDBC connections. Does nothing if it is
   * running.
   *
   * @throws IllegalStateException if the server does not accept connections within the start
   *     timeout or exits first; the message includes the tail of its error log
   */
  void start();

  /** Shuts the server down gracefully (SIGTERM) and waits for the process to exit. */
  void stop();

  /** Kills the server process with SIGKILL, like a crash, and waits for it to exit. */
  void kill();

  /** {@link #stop()} then {@link #start()}; data, port and binlog files are kept. */
  default void restart() {
    stop();
    start();
  }

  /** The server's data directory. */
  Path dataDir();

  /** The server's error log, which accumulates across restarts. */
  Path errorLog();

  /**
   * Releases the server; for sandboxes, kills it and deletes its files. Idempotent. The shared
   * servers of {@link SandboxServers} ignore it: they are released at JVM exit.
   */
  @Override
  void close();
}
