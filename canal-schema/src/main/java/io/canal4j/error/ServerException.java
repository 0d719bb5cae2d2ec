package io.canal4j.error;

/**
 * The server refused, could not be reached, or is not set up for change data capture (binary log
 * off, not ROW, missing privileges, purged binlog). {@link #isTransient()} tells whether retrying
 * the same thing later may succeed (a dropped connection) or a person has to act (bad password).
 */
public class ServerException extends CanalException {
  private static final long serialVersionUID = 1L;

  private final int errorCode;
  private final String sqlState;
  private final boolean transientFault;

  public ServerException(
      String message, int errorCode, String sqlState, boolean transientFault, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
    this.sqlState = sqlState;
    this.transientFault = transientFault;
  }

  /** A permanent problem that needs a person to act on the server or the settings. */
  public static ServerException permanent(String message, Throwable cause) {
    return new ServerException(message, 0, null, false, cause);
  }

  /** The server's error code, or 0 when the failure did not come with one. */
  public int errorCode() {
    return errorCode;
  }

  /** The SQL state, or null. */
  public String sqlState() {
    return sqlState;
  }

  /** Whether the same attempt may succeed later without anyone changing anything. */
  public boolean isTransient() {
    return transientFault;
  }
}
