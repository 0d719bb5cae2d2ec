package io.canal4j.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A server in a Docker container, for versions no local binary provides (MySQL 8.4, MariaDB 11).
 * Needs {@code org.testcontainers:testcontainers} on the test classpath (an optional dependency of
 * the testkit) and a Docker engine; guard tests with {@link #dockerAvailable()}, e.g.
 * {@code @EnabledIf("io.canal4j.testkit.TestcontainersServer#dockerAvailable")}. Nothing else in
 * the testkit loads this class, so it costs nothing where Docker is absent.
 *
 * <p>The container runs with the binlog on in ROW format, {@code server_id=1} and (MySQL) GTIDs on;
 * the user is root with password {@value #PASSWORD}. It cannot be stopped, killed or restarted
 * through this interface (a new container would get a new port); {@link #close()} removes it.
 */
public final class TestcontainersServer implements SandboxServer {
  /** The image {@link #start(ServerFlavor)} uses for MySQL. */
  public static final String MYSQL_IMAGE = "mysql:8.4";

  /** The image {@link #start(ServerFlavor)} uses for MariaDB. */
  public static final String MARIADB_IMAGE = "mariadb:11";

  /** The root password of the containers. */
  public static final String PASSWORD = "canal4j";

  private static final int PORT = 3306;
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

  private final GenericContainer<?> container;
  private final ServerFlavor flavor;
  private final String version;

  private TestcontainersServer(GenericContainer<?> container, ServerFlavor flavor, String version) {
    this.container = container;
    this.flavor = flavor;
    this.version = version;
  }

  /**
   * Whether a Docker engine is reachable. Returns {@code false}, without loading Testcontainers,
   * when Testcontainers is not on the classpath.
   */
  public static boolean dockerAvailable() {
    try {
      Class.forName(
          "org.testcontainers.DockerClientFactory",
          false,
          TestcontainersServer.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
    return DockerProbe.available();
  }

  /** Starts the default image of a flavor ({@value #MYSQL_IMAGE} or {@value #MARIADB_IMAGE}). */
  public static TestcontainersServer start(ServerFlavor flavor) {
    return start(flavor == ServerFlavor.MARIADB ? MARIADB_IMAGE : MYSQL_IMAGE);
  }

  /**
   * Starts an image of the official {@code mysql} or {@code mariadb} repositories (the flavor is
   * taken from the name) and waits until it accepts JDBC connections.
   */
  public static TestcontainersServer start(String image) {
    Objects.requireNonNull(image, "image");
    ServerFlavor flavor =
        image.toLowerCase(Locale.ROOT).contains("mariadb")
            ? ServerFlavor.MARIADB
            : ServerFlavor.MYSQL;
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse(image)).withExposedPorts(PORT);
    if (flavor == ServerFlavor.MARIADB) {
      container
          .withEnv("MARIADB_ROOT_PASSWORD", PASSWORD)
          .withCommand("--server-id=1", "--log-bin=binlog", "--binlog-format=ROW");
    } else {
      container
          .withEnv("MYSQL_ROOT_PASSWORD", PASSWORD)
          .withCommand(
              "--server-id=1",
              "--log-bin=binlog",
              "--binlog-format=ROW",
              "--gtid-mode=ON",
              "--enforce-gtid-consistency=ON");
    }
    container.start();
    try {
      String[] version = new String[1];
      Exception failure =
          Poll.until(
              READY_TIMEOUT,
              Duration.ofMillis(250),
              () -> {
                try (Connection c = DockerUrl.connect(container);
                    Statement s = c.createStatement();
                    ResultSet row = s.executeQuery("SELECT VERSION()")) {
                  row.next();
                  version[0] = row.getString(1);
                  return true;
                }
              });
      if (failure != null) {
        throw new IllegalStateException(
            image
                + " did not accept connections within "
                + READY_TIMEOUT
                + ": "
                + failure
                + "\n"
                + container.getLogs(),
            failure);
      }
      return new TestcontainersServer(container, flavor, version[0]);
    } catch (RuntimeException e) {
      container.stop();
      throw e;
    }
  }

  @Override
  public ServerFlavor flavor() {
    return flavor;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public String host() {
    return container.getHost();
  }

  @Override
  public int port() {
    return container.getMappedPort(PORT);
  }

  @Override
  public String user() {
    return "root";
  }

  @Override
  public String password() {
    return PASSWORD;
  }

  @Override
  public String jdbcUrl(String database) {
    return DockerUrl.of(container, database);
  }

  @Override
  public boolean isRunning() {
    return container.isRunning();
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

  /** Stops and removes the container. */
  @Override
  public void close() {
    container.stop();
  }

  @Override
  public String toString() {
    return ServerFlavor.shortName(flavor, version) + " (container)";
  }

  private UnsupportedOperationException unsupported(String operation) {
    return new UnsupportedOperationException(
        operation
            + "() is not supported for container servers; use a MariaDbSandbox or MySqlSandbox"
            + " to stop, kill or inspect a server");
  }

  /** Loaded only after the class check in {@link #dockerAvailable()} passed. */
  private static final class DockerProbe {
    static boolean available() {
      try {
        return DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException e) {
        return false;
      }
    }
  }

  /** JDBC access to a container before the server object exists. */
  private static final class DockerUrl {
    static String of(GenericContainer<?> container, String database) {
      return "jdbc:mysql://"
          + container.getHost()
          + ":"
          + container.getMappedPort(PORT)
          + "/"
          + (database == null ? "" : database)
          + "?useSSL=false&allowPublicKeyRetrieval=true";
    }

    static Connection connect(GenericContainer<?> container) throws SQLException {
      return DriverManager.getConnection(of(container, null), "root", PASSWORD);
    }
  }
}
