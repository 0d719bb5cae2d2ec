package io.canal4j.internal.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One canal's log: every line starts with {@code [name] }, so that several canals in one JVM can be
 * told apart. The one rule for the logger's name: the canal's lines go to {@code io.canal4j.Canal}
 * (what a user configures), except the binlog session's and the dispatcher's, which log under their
 * own class ({@link #under}) so that their per-event detail can be turned up alone.
 *
 * <p>The name is passed as an argument, not joined into the format, so a name with {@code {}} in it
 * cannot shift the arguments. Levels below INFO check first, so a hot path pays nothing.
 */
public final class CanalLog {
  private static final Logger CANAL = LoggerFactory.getLogger("io.canal4j.Canal");

  private final Logger log;
  private final String prefix;

  private CanalLog(Logger log, String prefix) {
    this.log = log;
    this.prefix = prefix;
  }

  /** The log of the canal named {@code name}, as {@code io.canal4j.Canal}. */
  public static CanalLog of(String name) {
    return new CanalLog(CANAL, "[" + name + "] ");
  }

  /** The same canal's log under {@code type}'s own logger name. */
  public CanalLog under(Class<?> type) {
    return new CanalLog(LoggerFactory.getLogger(type), prefix);
  }

  /** {@code [name] }, for code outside this module that takes the prefix as text. */
  public String prefix() {
    return prefix;
  }

  public boolean isDebugEnabled() {
    return log.isDebugEnabled();
  }

  public void debug(String format, Object... args) {
    if (log.isDebugEnabled()) {
      log.debug("{}" + format, prefixed(args));
    }
  }

  public void info(String format, Object... args) {
    if (log.isInfoEnabled()) {
      log.info("{}" + format, prefixed(args));
    }
  }

  public void warn(String format, Object... args) {
    if (log.isWarnEnabled()) {
      log.warn("{}" + format, prefixed(args));
    }
  }

  public void error(String format, Object... args) {
    if (log.isErrorEnabled()) {
      log.error("{}" + format, prefixed(args));
    }
  }

  private Object[] prefixed(Object[] args) {
    Object[] all = new Object[args.length + 1];
    all[0] = prefix;
    System.arraycopy(args, 0, all, 1, args.length);
    return all;
  }
}
