package io.canal4j.testkit;

import java.time.Duration;

/** Polls a condition until it holds or a deadline passes; tests never sleep a fixed time. */
final class Poll {
  private Poll() {}

  /** A condition that may fail while not yet met; its last failure is reported on timeout. */
  @FunctionalInterface
  interface Condition {
    boolean met() throws Exception;
  }

  /**
   * Returns once {@code condition} is met.
   *
   * @return {@code null} when met, else the last exception the condition threw (or {@code null} if
   *     it just kept returning false) wrapped in a timeout description
   * @throws IllegalStateException when interrupted (the flag is restored)
   */
  static Exception until(Duration timeout, Duration interval, Condition condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (condition.met()) {
          return null;
        }
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        return last == null ? new Exception("condition not met within " + timeout) : last;
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while polling", e);
      }
    }
  }
}
