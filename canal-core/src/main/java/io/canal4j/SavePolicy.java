package io.canal4j;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a canal saves its position at transaction ends that are not forced save points
 * (rotations, DDL, snapshot end and close always save). Saving every commit costs an fsync per
 * transaction; saving periodically replays at most one interval's transactions after a crash.
 */
public final class SavePolicy {
  private final Duration interval;

  private SavePolicy(Duration interval) {
    this.interval = interval;
  }

  /** Save at every transaction end. */
  public static SavePolicy everyCommit() {
    return new SavePolicy(Duration.ZERO);
  }

  /** Save at the first transaction end after {@code interval} has passed since the last save. */
  public static SavePolicy periodic(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("save interval must not be negative: " + interval);
    }
    return new SavePolicy(interval);
  }

  /** The default: {@code periodic(1 s)}. */
  public static SavePolicy defaultPolicy() {
    return periodic(Duration.ofSeconds(1));
  }

  /** The least time between two unforced saves; zero means every commit. */
  public Duration interval() {
    return interval;
  }

  @Override
  public String toString() {
    return interval.isZero() ? "everyCommit" : "periodic(" + interval + ")";
  }
}
