package io.canal4j.testing;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

/**
 * A user's thread factory that keeps every thread it made, named {@code <prefix><n>} with {@code n}
 * the number made before it, for tests of what a canal runs on the threads it is given.
 */
public final class RecordingThreadFactory implements ThreadFactory {
  private final String prefix;
  private final List<Thread> made = new CopyOnWriteArrayList<>();

  public RecordingThreadFactory(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, prefix + made.size());
    made.add(t);
    return t;
  }

  /** The threads made so far, in the order they were made (a live, read-only view). */
  public List<Thread> made() {
    return Collections.unmodifiableList(made);
  }
}
