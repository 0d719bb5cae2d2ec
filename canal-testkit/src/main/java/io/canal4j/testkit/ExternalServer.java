package io.canal4j.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An existing server the tests connect to instead of starting sandboxes, e.g. a managed MySQL 8.4
 * in CI. {@link SandboxServers} uses it when {@code CANAL4J_TEST_URL} is set:
 *
 * <pre>
 * CANAL4J_TEST_URL=jdbc:mysql://db.example:3306   (no database; query parameters are kept)
 * CANAL4J_TEST_USER=canal                         (default root)
 * CANAL4J_TEST_PASSWORD=...                       (default empty)
 * </pre>
 *
 * The user needs the privileges of the tests: creating and dropping databases, and reading the
 * binlog ({@code REPLICATION SLAVE, REPLICATION CLIENT}). The testkit does not own the server, so
 * {@link #start()}, {@link #stop()}, {@link #kill()}, {@link #dataDir()} and {@link #errorLog()}
 * throw {@link UnsupportedOperationException}.
 */
public final class ExternalServer implements SandboxServer {
  /** Environment variable: a JDBC URL without a database. */
  public static final String URL_VARIABLE = "CANAL4J_TEST_URL";

  /** Environment variable: the user (default {@code root}). */
  public static final String USER_VARIABLE = "CANAL4J_TEST_USER";

  /** Environment variable: the password (default empty). */
  public static final String PASSWORD_VARIABLE = "CANAL4J_TEST_PASSWORD";

  private static final Pattern URL =
      Pattern.compile("(jdbc:[a-z]+://)([^/:?]+)(?::(\\d+))?(?:/[^?]*)?(\\?.*)?");
  private static final String DEFAULT_PARAMETERS = "?useSSL=false&allowPublicKeyRetrieval=true";

  private final String scheme;
  private final String host;
  private final int port;
  private final String parameters;
  private final String user;
  private final String password;
  private volatile String version;

  private ExternalServer(String url, String user, String password) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a JDBC URL like jdbc:mysql://host:3306 : " + url);
    }
    this.scheme = m.group(1);
    this.host = m.group(2);
    this.port = m.group(3) == null ? 3306 : Integer.parseInt(m.group(3));
    this.parameters = m.group(4) == null ? DEFAULT_PARAMETERS : m.group(4);
    this.user = user;
    this.password = password;
  }

  /**
   * A server at {@code url} (any database in the URL is ignored; query parameters are kept, and
   * default to {@code useSSL=false&allowPublicKeyRetrieval=true}).
   */
  public static ExternalServer of(String url, String user, String password) {
    return new ExternalServer(
        Objects.requireNonNull(url, "url"),
        Objects.requireNonNull(user, "user"),
        password == null ? "" : password);
  }

  /** The server named by {@code CANAL4J_TEST_URL}, if that variable is set. */
  public static Optional<ExternalServer> fromEnvironment() {
    String url = System.getenv(URL_VARIABLE);
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    String user = System.getenv(USER_VARIABLE);
    return Optional.of(
        of(
            url.trim(),
            user == null || user.isBlank() ? "root" : user,
            System.getenv(PASSWORD_VARIABLE)));
  }

  @Override
  public ServerFlavor flavor() {
    return ServerFlavor.ofVersion(version());
  }

  @Override
  public String version() {
    String v = version;
    if (v == null) {
      try (Connection connection = connect();
          Statement statement = connection.createStatement();
          ResultSet row = statement.executeQuery("SELECT VERSION()")) {
        row.next();
        v = row.getString(1);
        version = v;
      } catch (SQLException e) {
        throw new IllegalStateException(
            "cannot reach the server at "
                + host
                + ":"
                + port
                + " ("
                + URL_VARIABLE
                + "): "
                + e.getMessage(),
            e);
      }
    }
    return v;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public String password() {
    return password;
  }

  @Override
  public String jdbcUrl(String database) {
    return scheme + host + ":" + port + "/" + (database == null ? "" : database) + parameters;
  }

  @Override
  public boolean isRunning() {
    return true;
  }

  @Override
  public void start() {
    throw unsupported("start");
  }

  @Override
  public void stop() {
    throw unsupported("stop");
  }

  @Override
  public void kill() {
    throw unsupported("kill");
  }

  @Override
  public Path dataDir() {
    throw unsupported("dataDir");
  }

  @Override
  public Path errorLog() {
    throw unsupported("errorLog");
  }

  /** Nothing to release: the server is not ours. */
  @Override
  public void close() {}

  private UnsupportedOperationException unsupported(String operation) {
    return new UnsupportedOperationException(
        operation
            + "() is not possible on the external server "
            + host
            + ":"
            + port
            + " ("
            + URL_VARIABLE
            + "): the testkit does not own it. Tests that stop, kill or inspect a server should"
            + " build their own MariaDbSandbox or MySqlSandbox.");
  }

  @Override
  public String toString() {
    try {
      return ServerFlavor.shortName(flavor(), version()) + " (external)";
    } catch (IllegalStateException e) { // unreachable: still name it
      return "external server " + host + ":" + port;
    }
  }
}
