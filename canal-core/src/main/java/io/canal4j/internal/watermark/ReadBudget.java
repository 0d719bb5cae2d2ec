package io.canal4j.internal.watermark;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * How far the chunk readers may read ahead of the stream: the bytes of rows read and not yet
 * delivered, against a limit. Readers take, the canal thread frees; any thread.
 */
final class ReadBudget {
  private final AtomicLong held = new AtomicLong();
  private final long limit;

  ReadBudget(long limit) {
    this.limit = limit;
  }

  /** A reader's chunk of {@code bytes} waits to be delivered. */
  void take(long bytes) {
    held.addAndGet(bytes);
  }

  /** Rows of {@code bytes} left the budget (delivered, or dropped). */
  void free(long bytes) {
    held.addAndGet(-bytes);
    synchronized (held) {
      held.notifyAll();
    }
  }

  /** Waits while the rows read and not delivered exceed the limit, or until {@code closed}. */
  void await(BooleanSupplier closed) throws InterruptedException {
    synchronized (held) {
      while (!closed.getAsBoolean() && held.get() >= limit) {
        held.wait(100);
      }
    }
  }
}
