package io.canal4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A MariaDB server from the machine's {@code mariadb-server} package ({@code mariadbd} and {@code
 * mariadb-install-db} on the {@code PATH} or in {@code /usr/sbin}, {@code /usr/bin}), running as a
 * private process on a free port. A copied data dir starts in about a second.
 *
 * <p>Besides the {@link SandboxBuilder} defaults it uses {@code utf8mb4} as the server character
 * set, as distribution packages do (MariaDB's compiled-in default is {@code latin1}).
 *
 * <pre>{@code
 * try (MariaDbSandbox server = MariaDbSandbox.builder().binlog(false).start()) { ... }
 * }</pre>
 */
public final class MariaDbSandbox extends LocalSandbox {
  /** Bump when the template's initialization changes, so machines rebuild their templates. */
  private static final String TEMPLATE_REVISION = "t1";

  private static final List<Path> SEARCH_DIRS =
      Stream.concat(
              Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                  .filter(s -> !s.isEmpty())
                  .map(Path::of),
              Stream.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin").map(Path::of))
          .toList();

  private MariaDbSandbox(SandboxBuilder.Spec spec) {
    super(spec);
  }

  /** A builder for a MariaDB sandbox. */
  public static SandboxBuilder<MariaDbSandbox> builder() {
    return new SandboxBuilder<>(ServerFlavor.MARIADB, MariaDbSandbox::new);
  }

  @Override
  Path binary() {
    return find("mariadbd", "mysqld");
  }

  @Override
  Path templateDataDir() {
    Path server = binary();
    long stamp;
    try {
      stamp = Files.size(server) ^ Files.getLastModifiedTime(server).toMillis();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + server, e);
    }
    String key = "mariadb-" + Long.toHexString(stamp) + "-" + TEMPLATE_REVISION;
    Path templates = TestkitFiles.home().resolve("templates");
    try {
      Files.createDirectories(templates);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + templates, e);
    }
    return CachedDirectory.obtain(templates.resolve(key), MariaDbSandbox::initialize)
        .resolve("data");
  }

  @Override
  void addFlavorOptions(Map<String, String> options, boolean binlog) {
    options.put("innodb-log-file-size", "32M");
    options.put("character-set-server", "utf8mb4");
    options.put("collation-server", "utf8mb4_general_ci");
  }

  private static void initialize(Path directory) throws IOException, InterruptedException {
    Path installDb = find("mariadb-install-db", "mysql_install_db");
    Path data = directory.resolve("data");
    Commands.run(
        List.of(
            installDb.toString(),
            "--no-defaults",
            "--datadir=" + data,
            "--user=" + System.getProperty("user.name"),
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            "--tmpdir=" + Templates.initTmpDir(directory),
            "--innodb-log-file-size=32M"),
        directory.resolve("init.log"),
        null,
        Duration.ofMinutes(3));
    Templates.removeBinlogs(data);
  }

  private static Path find(String... names) {
    for (String name : names) {
      for (Path dir : SEARCH_DIRS) {
        Path candidate = dir.resolve(name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "MariaDB sandbox: "
            + names[0]
            + " not found on PATH nor in /usr/sbin, /usr/bin. Install the server (Debian/Ubuntu:"
            + " apt-get install -y mariadb-server) or set CANAL4J_TEST_URL to use an existing"
            + " server.");
  }
}
