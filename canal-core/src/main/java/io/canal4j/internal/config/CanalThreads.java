package io.canal4j.internal.config;

import java.util.concurrent.ThreadFactory;

/**
 * The one place that makes a canal's threads, always through the user's {@code threadFactory} when
 * there is one: the canal's own thread, and its helpers (snapshot readers, the binlog client's
 * connect timer), which are renamed {@code canal-<name>-<role>} and made daemons.
 */
public final class CanalThreads {
  private final String name;
  private final ThreadFactory factory;

  /**
   * @param factory the user's, or null for plain threads
   */
  public CanalThreads(String name, ThreadFactory factory) {
    this.name = name;
    this.factory = factory;
  }

  /** The canal's thread: as the user's factory makes it, else a non-daemon {@code canal-<name>}. */
  public Thread canal(Runnable body) {
    return factory != null ? factory.newThread(body) : new Thread(body, "canal-" + name);
  }

  /** A helper thread, named {@code canal-<name>-<role>}, daemon, not started. */
  public Thread helper(Runnable body, String role) {
    Thread t = factory != null ? factory.newThread(body) : new Thread(body);
    t.setName("canal-" + name + "-" + role);
    t.setDaemon(true);
    return t;
  }
}
