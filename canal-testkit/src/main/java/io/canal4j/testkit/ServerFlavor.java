package io.canal4j.testkit;

/** The two server families canal4j reads binlogs from; their GTIDs and binlog events differ. */
public enum ServerFlavor {
  MARIADB("MariaDB"),
  MYSQL("MySQL");

  private final String displayName;

  ServerFlavor(String displayName) {
    this.displayName = displayName;
  }

  /** The product name as users write it: {@code "MariaDB"} or {@code "MySQL"}. */
  public String displayName() {
    return displayName;
  }

  /**
   * The flavor of a server from its {@code SELECT VERSION()} string; MariaDB always includes its
   * name there (e.g. {@code 10.11.6-MariaDB-log}), MySQL never does.
   */
  public static ServerFlavor ofVersion(String version) {
    return version.contains("MariaDB") ? MARIADB : MYSQL;
  }

  /** {@code "MariaDB 10.11.6"} from {@code "10.11.6-MariaDB-0+deb12u1-log"}: short test names. */
  static String shortName(ServerFlavor flavor, String version) {
    if (version == null) {
      return flavor.displayName;
    }
    int end = 0;
    while (end < version.length()
        && (Character.isDigit(version.charAt(end)) || version.charAt(end) == '.')) {
      end++;
    }
    return flavor.displayName + " " + (end == 0 ? version : version.substring(0, end));
  }
}
