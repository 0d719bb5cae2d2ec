package io.canal4j.error;

/** A setting is missing, invalid, or contradicts another; the message names the setting. */
public class ConfigurationException extends CanalException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
