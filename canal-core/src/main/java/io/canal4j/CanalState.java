package io.canal4j;

/**
 * The lifecycle of a canal: {@code NEW -> STARTING -> RUNNING -> STOPPING -> STOPPED}, or {@code
 * FAILED} from any running state. STOPPED and FAILED are final.
 */
public enum CanalState {
  /** Built, not started. */
  NEW,
  /** Checking the server and connecting. */
  STARTING,
  /** Streaming events to the handler. */
  RUNNING,
  /** {@link Canal#close()} was called; finishing the event in hand and saving the position. */
  STOPPING,
  /** Stopped after close; the last position was saved. */
  STOPPED,
  /** Stopped by an error; {@link Canal#termination()} completes exceptionally with the cause. */
  FAILED;

  public boolean isFinal() {
    return this == STOPPED || this == FAILED;
  }
}
