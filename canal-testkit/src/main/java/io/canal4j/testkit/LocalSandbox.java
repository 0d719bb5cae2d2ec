package io.canal4j.testkit;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process started from local binaries on a copy of a prepared data directory.
 *
 * <p>Start-up copies the flavor's template data dir (initialized once per machine, see {@link
 * CachedDirectory}), launches the server on a free port and polls JDBC until the server answers and
 * reports our data directory: a port taken by someone else between picking and binding is detected
 * (from the error log, or from a foreign data dir answering) and retried with another port.
 * Restarts reuse port and data dir. A JVM shutdown hook kills and deletes every sandbox still open,
 * so forgotten sandboxes do not outlive the test JVM.
 *
 * <p>Size: a server process's whole life (data dir, start, stop, kill, restart, clean-up) in one
 * place, shared by the MariaDB and MySQL sandboxes.
 */
abstract class LocalSandbox implements SandboxServer {
  private static final Logger log = LoggerFactory.getLogger(LocalSandbox.class);
  private static final Set<LocalSandbox> OPEN = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOK_ADDED = new AtomicBoolean();
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final int PORT_ATTEMPTS = 5;
  private static final Duration POLL = Duration.ofMillis(50);

  private enum State {
    NEW,
    RUNNING,
    STOPPED,
    CLOSED
  }

  private final SandboxBuilder.Spec spec;
  private final String name;
  private SandboxDirectory directory;
  private State state = State.NEW;
  private volatile Process process;
  private volatile int port = -1;
  private volatile String version;
  private volatile boolean shared;

  LocalSandbox(SandboxBuilder.Spec spec) {
    this.spec = spec;
    this.name =
        spec.name() != null
            ? spec.name()
            : spec.flavor().name().toLowerCase(Locale.ROOT) + "-" + COUNTER.incrementAndGet();
  }

  /** The server binary. */
  abstract Path binary();

  /** The flavor's template data directory, initialized on first use. */
  abstract Path templateDataDir();

  /** Adjusts a fresh copy of the template before its first start. */
  void prepareDataDir(Path dataDir) throws IOException {}

  /** Environment variables the server process needs (e.g. {@code LD_LIBRARY_PATH}). */
  Map<String, String> environment() {
    return Map.of();
  }

  /** Adds the flavor's options to the common ones; user options are applied afterwards. */
  abstract void addFlavorOptions(Map<String, String> options, boolean binlog);

  /** The sandbox's name, which prefixes its log lines. */
  public final String name() {
    return name;
  }

  @Override
  public final ServerFlavor flavor() {
    return spec.flavor();
  }

  @Override
  public final String version() {
    requireStarted();
    return version;
  }

  @Override
  public final String host() {
    return "127.0.0.1";
  }

  @Override
  public final int port() {
    requireStarted();
    return port;
  }

  @Override
  public final String user() {
    return "root";
  }

  @Override
  public final String password() {
    return "";
  }

  @Override
  public final String jdbcUrl(String database) {
    requireStarted();
    return url(database);
  }

  private String url(String database) {
    return "jdbc:mysql://127.0.0.1:"
        + port
        + "/"
        + (database == null ? "" : database)
        + "?useSSL=false&allowPublicKeyRetrieval=true";
  }

  @Override
  public final Path dataDir() {
    requireStarted();
    return directory.dataDir();
  }

  @Override
  public final Path errorLog() {
    requireStarted();
    return directory.errorLog();
  }

  @Override
  public final boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  @Override
  public final synchronized void start() {
    switch (state) {
      case CLOSED -> throw new IllegalStateException("[" + name + "] is closed");
      case RUNNING -> {
        if (process.isAlive()) {
          return;
        }
        log.warn(
            "[{}] server had exited with code {}; starting it again", name, process.exitValue());
      }
      default -> {}
    }
    if (state == State.NEW) {
      startFirstTime();
    } else {
      launch(port);
    }
    state = State.RUNNING;
    OPEN.add(this);
    addShutdownHookOnce();
  }

  @Override
  public final synchronized void stop() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    long started = System.nanoTime();
    p.destroy();
    if (!waitForExit(p, spec.startTimeout())) {
      log.warn("[{}] did not shut down within {}; killing it", name, spec.startTimeout());
      p.destroyForcibly();
      waitForExit(p, Duration.ofSeconds(30));
    }
    state = State.STOPPED;
    log.info("[{}] stopped in {} ms", name, millisSince(started));
  }

  @Override
  public final synchronized void kill() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroyForcibly();
    waitForExit(p, Duration.ofSeconds(30));
    state = State.STOPPED;
    log.info("[{}] killed (SIGKILL)", name);
  }

  /**
   * Kills the server and deletes its directory. A graceful shutdown would only slow this down: the
   * data is deleted anyway. Shared servers ignore this; they are closed at JVM exit.
   */
  @Override
  public final void close() {
    if (shared) {
      log.debug("[{}] is shared; it is closed at JVM exit", name);
      return;
    }
    destroy();
  }

  /** Marks this as a {@link SandboxServers} server, which users must not close. */
  final void markShared() {
    shared = true;
  }

  private synchronized void destroy() {
    if (state == State.CLOSED) {
      return;
    }
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      waitForExit(p, Duration.ofSeconds(30));
    }
    state = State.CLOSED;
    OPEN.remove(this);
    if (directory != null) {
      try {
        TestkitFiles.deleteTree(directory.root());
      } catch (IOException e) {
        log.warn("[{}] could not delete {}: {}", name, directory.root(), e.toString());
      }
    }
    log.info("[{}] closed", name);
  }

  /** Copies the template and starts on a free port; a failed attempt leaves no directory. */
  private void startFirstTime() {
    Path template = templateDataDir();
    directory = SandboxDirectory.create(name);
    try {
      TestkitFiles.copyTree(template, directory.dataDir());
      prepareDataDir(directory.dataDir());
      for (int attempt = 1; ; attempt++) {
        try {
          launch(TestkitFiles.freePort());
          return;
        } catch (PortTakenException e) {
          if (attempt == PORT_ATTEMPTS) {
            throw new IllegalStateException("[" + name + "] " + e.getMessage(), e);
          }
          log.info("[{}] {}; retrying on another port", name, e.getMessage());
        }
      }
    } catch (IOException | RuntimeException e) {
      try {
        TestkitFiles.deleteTree(directory.root());
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      directory = null;
      if (e instanceof IOException io) {
        throw new IllegalStateException("[" + name + "] cannot copy " + template, io);
      }
      throw (RuntimeException) e;
    }
  }

  private void launch(int candidatePort) {
    port = candidatePort;
    long logOffset = TestkitFiles.size(directory.errorLog());
    List<String> command = command();
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(directory.consoleLog().toFile()));
    builder.environment().putAll(environment());
    if (spec.timeZone() != null && !spec.timeZoneIsOffset()) {
      builder.environment().put("TZ", spec.timeZone());
    }
    log.debug("[{}] starting {}", name, command);
    long started = System.nanoTime();
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("[" + name + "] cannot run " + command.get(0), e);
    }
    try {
      version = awaitReady(logOffset);
    } catch (RuntimeException e) {
      process.destroyForcibly();
      waitForExit(process, Duration.ofSeconds(30));
      throw e;
    }
    log.info(
        "[{}] {} ready on 127.0.0.1:{} in {} ms ({})",
        name,
        ServerFlavor.shortName(flavor(), version),
        port,
        millisSince(started),
        directory.root());
  }

  private List<String> command() {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("user", System.getProperty("user.name"));
    options.put("datadir", directory.dataDir().toString());
    options.put("port", Integer.toString(port));
    options.put("bind-address", "127.0.0.1");
    options.put("socket", directory.socket().toString());
    options.put("pid-file", directory.pidFile().toString());
    options.put("log-error", directory.errorLog().toString());
    options.put("tmpdir", directory.tmpDir().toString()); // start-up deletes #sql* files there
    options.put("server-id", "1");
    if (spec.binlog()) {
      options.put("log-bin", directory.dataDir().resolve("binlog").toString());
    }
    options.put("binlog-format", "ROW");
    options.put("innodb-buffer-pool-size", "128M");
    options.put("innodb-flush-log-at-trx-commit", "2");
    options.put("sync-binlog", "0");
    options.put("innodb-doublewrite", "0");
    if (spec.timeZoneIsOffset()) {
      options.put("default-time-zone", spec.timeZone());
    }
    addFlavorOptions(options, spec.binlog());
    options.putAll(spec.options());
    List<String> command = new ArrayList<>(List.of(binary().toString(), "--no-defaults"));
    options.forEach((k, v) -> command.add(v == null ? "--" + k : "--" + k + "=" + v));
    return command;
  }

  /** Polls JDBC until the server answers for our data dir; returns its VERSION(). */
  private String awaitReady(long logOffset) {
    long deadline = System.nanoTime() + spec.startTimeout().toNanos();
    SQLException lastError = null;
    while (true) {
      if (!process.isAlive()) {
        if (TestkitFiles.tail(directory.errorLog(), logOffset, 200)
            .contains("Address already in use")) {
          throw new PortTakenException("port " + port + " is in use");
        }
        throw failure("exited with code " + process.exitValue(), logOffset, null);
      }
      try (Connection connection = connectForProbe();
          Statement statement = connection.createStatement();
          ResultSet row = statement.executeQuery("SELECT VERSION(), @@datadir")) {
        row.next();
        Path reported = Path.of(row.getString(2));
        if (!isSameFile(reported, directory.dataDir())) {
          throw new PortTakenException(
              "port " + port + " answered for another server (" + reported + ")");
        }
        return row.getString(1);
      } catch (SQLException e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw failure(
            "did not accept connections within " + spec.startTimeout(), logOffset, lastError);
      }
      waitForExit(process, POLL); // the pause between polls; returns early if the server dies
    }
  }

  private Connection connectForProbe() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user());
    properties.setProperty("password", password());
    properties.setProperty("connectTimeout", "2000");
    properties.setProperty("socketTimeout", "30000");
    return DriverManager.getConnection(url(null), properties);
  }

  private IllegalStateException failure(String reason, long logOffset, Exception cause) {
    StringBuilder message =
        new StringBuilder("[")
            .append(name)
            .append("] ")
            .append(flavor().displayName())
            .append(" sandbox failed to start: ")
            .append(reason);
    if (cause != null) {
      message.append(" (last error: ").append(cause.getMessage()).append(')');
    }
    message
        .append("\n--- last lines of the error log ---\n")
        .append(TestkitFiles.tail(directory.errorLog(), logOffset, 40));
    String console = TestkitFiles.tail(directory.consoleLog(), 0, 20);
    if (!console.isBlank()) {
      message.append("\n--- console output ---\n").append(console);
    }
    return new IllegalStateException(message.toString(), cause);
  }

  private void requireStarted() {
    if (version == null) {
      throw new IllegalStateException("[" + name + "] has not been started");
    }
  }

  private static boolean isSameFile(Path a, Path b) {
    try {
      return a.toRealPath().equals(b.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits for a process; on interrupt, restores the flag and fails. */
  private static boolean waitForExit(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the server process", e);
    }
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static void addShutdownHookOnce() {
    if (HOOK_ADDED.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    // Kill first without the monitor, so a start() in progress fails fast.
                    OPEN.forEach(
                        s -> {
                          Process p = s.process;
                          if (p != null) {
                            p.destroyForcibly();
                          }
                        });
                    OPEN.forEach(LocalSandbox::destroy);
                  },
                  "canal-testkit-sandbox-cleanup"));
    }
  }

  @Override
  public String toString() {
    return ServerFlavor.shortName(flavor(), version);
  }

  /** The port was taken between picking and binding it; start-up retries with another. */
  private static final class PortTakenException extends RuntimeException {
    PortTakenException(String message) {
      super(message);
    }
  }
}
