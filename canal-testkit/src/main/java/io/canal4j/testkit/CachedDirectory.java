package io.canal4j.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory built once per machine (extracted binaries, an initialized template data dir) and
 * reused by every later JVM.
 *
 * <p>It is built in a temporary sibling and renamed into place, so a directory under its final name
 * is always complete, even if a JVM died while building. Builders are serialized by a file lock
 * (other JVMs) and a monitor (other threads: a JVM cannot hold the same file lock twice), so
 * concurrent test JVMs do the work once and never see a half-built directory.
 */
final class CachedDirectory {
  private static final Logger log = LoggerFactory.getLogger(CachedDirectory.class);
  private static final ConcurrentMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

  /** Fills an empty directory. */
  @FunctionalInterface
  interface Builder {
    void build(Path emptyDirectory) throws IOException, InterruptedException;
  }

  private CachedDirectory() {}

  /** Returns {@code target}, building it first if no JVM has yet. */
  static Path obtain(Path target, Builder builder) {
    if (Files.isDirectory(target)) {
      return target;
    }
    synchronized (MONITORS.computeIfAbsent(target, t -> new Object())) {
      Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        if (Files.isDirectory(target)) {
          return target;
        }
        deleteLeftovers(target);
        Path temporary =
            Files.createTempDirectory(target.getParent(), target.getFileName() + ".tmp-");
        long started = System.nanoTime();
        try {
          builder.build(temporary);
          Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | InterruptedException | RuntimeException e) {
          TestkitFiles.deleteTree(temporary);
          throw e;
        }
        log.info("built {} in {} ms", target, (System.nanoTime() - started) / 1_000_000);
        return target;
      } catch (IOException e) {
        throw new IllegalStateException("cannot build " + target + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while building " + target, e);
      }
    }
  }

  /** Temporary directories of builders that died; safe to delete because we hold the lock. */
  private static void deleteLeftovers(Path target) throws IOException {
    String prefix = target.getFileName() + ".tmp-";
    try (var siblings = Files.list(target.getParent())) {
      for (Path sibling : (Iterable<Path>) siblings::iterator) {
        if (sibling.getFileName().toString().startsWith(prefix)) {
          log.info("deleting leftover {}", sibling);
          TestkitFiles.deleteTree(sibling);
        }
      }
    }
  }
}
