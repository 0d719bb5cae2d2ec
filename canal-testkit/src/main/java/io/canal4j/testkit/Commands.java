package io.canal4j.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one-shot commands (data dir initialization, archive extraction) to completion. */
final class Commands {
  private Commands() {}

  /**
   * Runs {@code command} with its output in {@code log}, optionally feeding {@code stdin}.
   *
   * @throws IOException if it cannot start, times out or exits non-zero; the message includes the
   *     tail of its output
   */
  static void run(List<String> command, Path log, InputStream stdin, Duration timeout)
      throws IOException, InterruptedException {
    run(command, Map.of(), log, stdin, timeout);
  }

  /** {@link #run(List, Path, InputStream, Duration)} with extra environment variables. */
  static void run(
      List<String> command,
      Map<String, String> environment,
      Path log,
      InputStream stdin,
      Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process =
        builder
            .redirectErrorStream(true)
            .redirectOutput(Redirect.to(log.toFile()))
            .redirectInput(stdin == null ? Redirect.from(nullFile()) : Redirect.PIPE)
            .start();
    try {
      if (stdin != null) {
        try (OutputStream out = process.getOutputStream()) {
          stdin.transferTo(out);
        }
      }
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IOException(
            command.get(0) + " did not finish within " + timeout + ":\n" + tail(log));
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            command.get(0) + " exited with code " + process.exitValue() + ":\n" + tail(log));
      }
    } finally {
      process.destroyForcibly();
    }
  }

  private static File nullFile() {
    return new File("/dev/null");
  }

  private static String tail(Path log) {
    return TestkitFiles.tail(log, 0, 30);
  }
}
