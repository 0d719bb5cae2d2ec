package io.canal4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs one benchmark fork and reads what it reports: lines {@code WARMUP <result>} and one {@code
 * RESULT <result>}; every other line is echoed with the fork's name, and the last ones are kept for
 * the error when the fork fails.
 */
final class ForkOutput {
  static final String WARMUP = "WARMUP ";
  static final String RESULT = "RESULT ";

  /** The warm-up results and the measured one. */
  record Outcome<T>(List<T> warmups, T measured) {}

  private ForkOutput() {}

  static <T> Outcome<T> run(
      List<String> command, String forkName, Duration timeout, Function<String, T> parse)
      throws IOException, InterruptedException {
    return run(command, forkName, timeout, parse, line -> false);
  }

  /**
   * As above; {@code claim} first sees every line that is not a result (the fork's log), and a line
   * it claims (returns true for) is not echoed.
   */
  static <T> Outcome<T> run(
      List<String> command,
      String forkName,
      Duration timeout,
      Function<String, T> parse,
      Predicate<String> claim)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<T> warmups = new ArrayList<>();
    T measured = null;
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(WARMUP)) {
          warmups.add(parse.apply(line.substring(WARMUP.length())));
        } else if (line.startsWith(RESULT)) {
          measured = parse.apply(line.substring(RESULT.length()));
        } else if (!claim.test(line)) {
          System.out.println("  [" + forkName + "] " + line);
          tail.addLast(line);
          if (tail.size() > 20) {
            tail.removeFirst();
          }
        }
      }
    } finally {
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    int exit = process.exitValue();
    if (exit != 0 || measured == null) {
      throw new IllegalStateException(
          forkName + " failed (exit " + exit + "); last lines:\n" + String.join("\n", tail));
    }
    return new Outcome<>(warmups, measured);
  }
}
