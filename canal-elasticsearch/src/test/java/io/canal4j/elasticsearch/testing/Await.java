package io.canal4j.elasticsearch.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** Waiting on conditions, never on sleeps alone. */
public final class Await {
  private Await() {}

  /**
   * Polls {@code differences} until it returns an empty list; fails with the last differences (at
   * most 20) after {@code timeout}.
   */
  public static void noDifferences(
      String what, Duration timeout, Callable<List<String>> differences) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> last;
    while (true) {
      last = differences.call();
      if (last.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            what
                + ": "
                + last.size()
                + " differences after "
                + timeout.toSeconds()
                + " s, e.g. "
                + last.subList(0, Math.min(20, last.size())));
      }
      Thread.sleep(200);
    }
  }

  /** Polls until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
