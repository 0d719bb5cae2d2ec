package io.canal4j.internal.config;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A canal's request to stop: set once, by {@code close()} or by the canal itself; any thread. */
public final class StopSignal {
  private final CountDownLatch latch = new CountDownLatch(1);

  /** Requests the stop; idempotent. */
  public void stop() {
    latch.countDown();
  }

  public boolean stopRequested() {
    return latch.getCount() == 0;
  }

  /**
   * Waits for the stop at most {@code timeout} (whole milliseconds).
   *
   * @return whether the stop was requested
   */
  public boolean await(Duration timeout) throws InterruptedException {
    return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
