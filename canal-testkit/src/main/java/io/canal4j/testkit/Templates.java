package io.canal4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks shared by the template data directories of both flavors. */
final class Templates {
  private Templates() {}

  /**
   * A private, empty tmpdir for initializing a template in {@code directory}: initialization
   * deletes every {@code #sql*} file in its tmpdir, which in a shared /tmp would include the live
   * internal temporary tables of servers already running there.
   */
  static Path initTmpDir(Path directory) throws IOException {
    return Files.createDirectories(directory.resolve("tmp"));
  }

  /**
   * Deletes binlog files from a freshly initialized data dir. Initialization writes none today; if
   * a server version started to, every sandbox would begin with the same binlog history and a
   * binlog index naming files by absolute path, so we make sure.
   */
  static void removeBinlogs(Path dataDir) throws IOException {
    try (var files = Files.list(dataDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().startsWith("binlog.")) {
          Files.delete(file);
        }
      }
    }
  }
}
