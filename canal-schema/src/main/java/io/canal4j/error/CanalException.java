package io.canal4j.error;

/**
 * The root of every exception canal4j throws or reports. Messages name the cause and, where there
 * is one, the fix; subclasses carry the context (server error code, binlog position, table).
 */
public class CanalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CanalException(String message) {
    super(message);
  }

  public CanalException(String message, Throwable cause) {
    super(message, cause);
  }
}
