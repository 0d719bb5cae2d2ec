package io.canal4j.internal.config;

import java.time.Duration;

/**
 * The wait before another attempt after a transient fault: {@code reconnectInitialBackoff} at
 * first, doubled after each failed attempt up to {@code reconnectMaxBackoff}. Not thread-safe.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration delay;

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
    this.delay = initial;
  }

  /** The wait before the next attempt. */
  public Duration delay() {
    return delay;
  }

  /** Back to the initial wait (after progress). */
  public void reset() {
    delay = initial;
  }

  /** Doubles the wait, up to the maximum. */
  public void grow() {
    Duration doubled = delay.multipliedBy(2);
    delay = doubled.compareTo(max) > 0 ? max : doubled;
  }
}
