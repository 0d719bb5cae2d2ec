package io.canal4j.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers shared by all tests of a JVM: one per flavor, started on first use and killed and
 * deleted at JVM exit, so a test run pays each server's start-up once. Tests isolate themselves
 * with {@link SandboxServer#createDatabase()}.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @MethodSource("io.canal4j.testkit.SandboxServers#both")
 * void insert_isDelivered(SandboxServer server) throws Exception {
 *   try (TestDatabase db = server.createDatabase()) { ... }
 * }
 * }</pre>
 *
 * <p>Shared servers ignore {@link SandboxServer#close()}. A test may {@link SandboxServer#stop()}
 * or {@link SandboxServer#kill()} one, but others depend on it: the next {@link #shared} call
 * starts it again. Tests that change server settings build their own sandbox.
 *
 * <p>If {@code CANAL4J_TEST_URL} is set (see {@link ExternalServer}), no sandbox is started: {@link
 * #both()} yields only that server, and {@link #shared} returns it if its flavor matches or aborts
 * the test (JUnit assumption) if not.
 *
 * <p>Where the bundled MySQL cannot run (a machine without {@code libaio1} and {@code libnuma1}),
 * {@link #both()} and {@link #all()} yield the MariaDB servers only, and {@link #shared} of MySQL
 * skips the test, each with a warning naming the packages; {@code CANAL4J_TEST_REQUIRE_MYSQL} turns
 * that into a failure (CI sets it).
 */
public final class SandboxServers {
  private static final Logger log = LoggerFactory.getLogger(SandboxServers.class);
  private static final Map<ServerFlavor, LocalSandbox> SHARED = new EnumMap<>(ServerFlavor.class);
  private static final Optional<ExternalServer> EXTERNAL = ExternalServer.fromEnvironment();
  private static LocalSandbox bundledMariaDb; // guarded by SHARED

  private SandboxServers() {}

  /**
   * The running shared server of a flavor (or the external server, see class doc). Thread-safe;
   * blocks while the server starts.
   *
   * @throws IllegalStateException if the sandbox cannot start (never skipped, except MySQL on a
   *     machine lacking its libraries, see the class doc)
   */
  public static SandboxServer shared(ServerFlavor flavor) {
    if (EXTERNAL.isPresent()) {
      ExternalServer external = EXTERNAL.get();
      Assumptions.assumeTrue(
          external.flavor() == flavor,
          () ->
              "test needs "
                  + flavor.displayName()
                  + " but "
                  + ExternalServer.URL_VARIABLE
                  + " names "
                  + external);
      return external;
    }
    LocalSandbox server;
    synchronized (SHARED) {
      server = SHARED.get(flavor);
      if (server == null) {
        server =
            flavor == ServerFlavor.MARIADB
                ? MariaDbSandbox.builder().name("shared-mariadb").build()
                : MySqlSandbox.builder().name("shared-mysql").build();
        server.markShared();
        SHARED.put(flavor, server);
      }
    }
    if (!server.isRunning()) {
      server.start(); // synchronized in the sandbox: concurrent callers wait for one start
    }
    return server;
  }

  /**
   * Both shared servers (or just the external one), for {@code @MethodSource(
   * "io.canal4j.testkit.SandboxServers#both")}. Servers not yet running are started in parallel.
   */
  public static Stream<SandboxServer> both() {
    if (EXTERNAL.isPresent()) {
      return Stream.of(EXTERNAL.get());
    }
    synchronized (SHARED) {
      if (SHARED.size() == ServerFlavor.values().length
          && SHARED.values().stream().allMatch(LocalSandbox::isRunning)) {
        return List.<SandboxServer>copyOf(SHARED.values()).stream(); // the usual case: no threads
      }
    }
    List<CompletableFuture<SandboxServer>> starts = new ArrayList<>();
    for (ServerFlavor flavor : ServerFlavor.values()) {
      if (flavor == ServerFlavor.MYSQL && !MySqlDistribution.runnable()) {
        warnMySqlSkipped();
        continue;
      }
      CompletableFuture<SandboxServer> start = new CompletableFuture<>();
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.complete(shared(flavor));
                } catch (Throwable t) {
                  start.completeExceptionally(t);
                }
              },
              "canal-testkit-start-" + flavor.name().toLowerCase(Locale.ROOT));
      thread.setDaemon(true);
      thread.start();
      starts.add(start);
    }
    List<SandboxServer> servers = new ArrayList<>();
    RuntimeException failure = null;
    for (CompletableFuture<SandboxServer> start : starts) {
      try {
        servers.add(start.join());
      } catch (CompletionException e) {
        RuntimeException cause =
            e.getCause() instanceof RuntimeException r
                ? r
                : new IllegalStateException(e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      log.error("shared servers failed to start", failure);
      throw failure;
    }
    return servers.stream();
  }

  private static boolean mysqlSkipWarned; // guarded by SandboxServers.class

  private static synchronized void warnMySqlSkipped() {
    if (!mysqlSkipWarned) {
      mysqlSkipWarned = true;
      log.warn(
          "{}; the tests run on MariaDB only", MySqlDistribution.whyNotRunnable().orElseThrow());
    }
  }

  /**
   * The shared MariaDB {@value MariaDbDistribution#BUNDLED_VERSION} from the bundled build, started
   * on first use. Where the machine has no MariaDB package this is the same server as {@code
   * shared(MARIADB)}.
   */
  public static SandboxServer sharedBundledMariaDb() {
    LocalSandbox server;
    synchronized (SHARED) {
      LocalSandbox maria = SHARED.get(ServerFlavor.MARIADB);
      if (maria == null
          && !MariaDbDistribution.system(MariaDbDistribution.searchDirs()).isPresent()) {
        return shared(ServerFlavor.MARIADB); // the preferred build is the bundled one
      }
      if (maria instanceof MariaDbSandbox m && m.isBundled()) {
        server = maria;
      } else {
        if (bundledMariaDb == null) {
          bundledMariaDb = MariaDbSandbox.bundledBuilder().name("shared-mariadb-11").build();
          bundledMariaDb.markShared();
        }
        server = bundledMariaDb;
      }
    }
    if (!server.isRunning()) {
      server.start();
    }
    return server;
  }

  /**
   * {@link #both()} plus the bundled MariaDB {@value MariaDbDistribution#BUNDLED_VERSION} when the
   * shared MariaDB is another version, for the suites that run on every server version we have
   * (streaming, snapshot, DDL). With {@code CANAL4J_TEST_URL} set, only that server.
   */
  public static Stream<SandboxServer> all() {
    List<SandboxServer> servers = new ArrayList<>(both().toList());
    if (EXTERNAL.isPresent() || !MariaDbDistribution.bundleOnClasspath()) {
      return servers.stream();
    }
    SandboxServer bundled = sharedBundledMariaDb();
    if (servers.stream().noneMatch(s -> s == bundled)) {
      servers.add(bundled);
    }
    return servers.stream();
  }

  /**
   * The dump tool for tests of {@code snapshotReader(DUMP_TOOL)}: the machine's {@code
   * mariadb-dump} or {@code mysqldump} on the PATH, else the {@code mariadb-dump} of the shared
   * MariaDB's build (the bundled one on a machine without a MariaDB package).
   *
   * @throws IllegalStateException if there is neither
   */
  public static Path dumpTool() {
    for (String name : List.of("mariadb-dump", "mysqldump")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name);
        }
      }
    }
    if (shared(ServerFlavor.MARIADB) instanceof MariaDbSandbox maria
        && maria.dumpTool().isPresent()) {
      return maria.dumpTool().get();
    }
    throw new IllegalStateException(
        "no dump tool: neither mariadb-dump nor mysqldump is on the PATH, and the shared MariaDB"
            + " build has none; install one, e.g. `apt-get install mariadb-client`");
  }

  /** The external server named by {@code CANAL4J_TEST_URL}, if set. */
  public static Optional<ExternalServer> external() {
    return EXTERNAL;
  }
}
