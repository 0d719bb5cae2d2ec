package io.canal4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one sandbox, under {@code ${java.io.tmpdir}/canal4j-testkit/run/<name>-<random>/}:
 * {@code data/}, {@code tmp/}, {@code error.log}, {@code console.log}, {@code server.pid}, {@code
 * sock} and {@code owner.pid} (the JVM that owns it).
 *
 * <p>A JVM killed with SIGKILL (a CI timeout, the OOM killer) cannot stop its servers, and they
 * would keep running and filling the disk. So the first sandbox of each JVM reaps directories whose
 * owner JVM is gone: it kills their server, if that still runs, and deletes them.
 */
record SandboxDirectory(Path root) {
  private static final Logger log = LoggerFactory.getLogger(SandboxDirectory.class);
  private static final AtomicBoolean REAPED = new AtomicBoolean();
  private static final Duration GRACE = Duration.ofMinutes(10);

  /** Creates a new, empty sandbox directory owned by this JVM. */
  static SandboxDirectory create(String name) {
    Path runs = TestkitFiles.home().resolve("run");
    try {
      Files.createDirectories(runs);
      if (REAPED.compareAndSet(false, true)) {
        reapStale(runs);
      }
      String suffix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
      Path root = Files.createDirectory(runs.resolve(name + "-" + suffix));
      Files.createDirectory(root.resolve("tmp"));
      Files.writeString(root.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
      return new SandboxDirectory(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a sandbox directory under " + runs, e);
    }
  }

  Path dataDir() {
    return root.resolve("data");
  }

  /**
   * The server's own {@code tmpdir}. Never a shared one such as /tmp: a MariaDB or MySQL server
   * deletes every {@code #sql*} file in its tmpdir when it starts, so it would delete the live
   * internal temporary tables of the other servers there (MariaDB 10.11.19 then segfaults in
   * ha_maria::drop_table when the query ends).
   */
  Path tmpDir() {
    return root.resolve("tmp");
  }

  Path errorLog() {
    return root.resolve("error.log");
  }

  /** Standard output and error of the server; holds what fails before the error log opens. */
  Path consoleLog() {
    return root.resolve("console.log");
  }

  Path pidFile() {
    return root.resolve("server.pid");
  }

  /** The Unix socket; servers insist on one. Falls back to /tmp if the path is too long. */
  Path socket() {
    Path socket = root.resolve("sock");
    return socket.toString().length() < 100
        ? socket
        : Path.of("/tmp", "canal4j-" + root.getFileName() + ".sock");
  }

  private static void reapStale(Path runs) throws IOException {
    try (var dirs = Files.list(runs)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        if (isStale(dir)) {
          killServer(dir.resolve("server.pid"));
          log.info("deleting stale sandbox directory {} (its JVM is gone)", dir);
          TestkitFiles.deleteTree(dir);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not reap stale sandboxes in {}: {}", runs, e.toString());
    }
  }

  private static boolean isStale(Path dir) throws IOException {
    Optional<Long> owner = readPid(dir.resolve("owner.pid"));
    if (owner.isEmpty()) { // being created right now, or very old
      FileTime modified = Files.getLastModifiedTime(dir);
      return modified.toInstant().isBefore(Instant.now().minus(GRACE));
    }
    return ProcessHandle.of(owner.get()).map(p -> !p.isAlive()).orElse(true);
  }

  private static void killServer(Path pidFile) {
    readPid(pidFile)
        .flatMap(ProcessHandle::of)
        .filter(
            p ->
                p.info()
                    .command()
                    .map(c -> c.endsWith("mysqld") || c.endsWith("mariadbd"))
                    .orElse(false))
        .ifPresent(
            p -> {
              log.info("killing stale sandbox server pid {}", p.pid());
              p.destroyForcibly();
              try {
                p.onExit().get(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception e) {
                log.warn("stale server pid {} did not exit: {}", p.pid(), e.toString());
              }
            });
  }

  private static Optional<Long> readPid(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
