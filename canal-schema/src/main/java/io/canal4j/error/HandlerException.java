package io.canal4j.error;

import io.canal4j.schema.Position;

/**
 * The user's event handler threw; the cause is what it threw. The canal stopped in state FAILED and
 * its saved position is at or before the start of the transaction the handler was given.
 */
public class HandlerException extends CanalException {
  private static final long serialVersionUID = 1L;

  private final transient Position position;

  public HandlerException(String message, Position position, Throwable cause) {
    super(message, cause);
    this.position = position;
  }

  /** The binlog position of the event the handler failed on. */
  public Position position() {
    return position;
  }
}
