package io.canal4j.dump;

import io.canal4j.error.CanalException;

/**
 * The dump tool failed: it exited with an error, or printed something {@link DumpToolReader} cannot
 * read. Carries the tool's exit code and the tail of its standard error, which never holds the
 * password (the tool reads it from a file, never from its command line). Rows delivered before the
 * failure are not a consistent snapshot and must be discarded.
 */
public final class DumpToolException extends CanalException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final String stderr;

  DumpToolException(String message, int exitCode, String stderr, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.stderr = stderr == null ? "" : stderr;
  }

  /** The tool's exit code, or -1 when it was still running (killed after a parse error). */
  public int exitCode() {
    return exitCode;
  }

  /** The tail of the tool's standard error (at most 64 KiB); empty when it printed none. */
  public String stderr() {
    return stderr;
  }
}
