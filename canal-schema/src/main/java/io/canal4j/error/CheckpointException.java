package io.canal4j.error;

/** A checkpoint could not be loaded (missing, corrupt, of an unknown version) or saved. */
public class CheckpointException extends CanalException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
