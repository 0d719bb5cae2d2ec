package io.canal4j.internal.server;

import io.canal4j.schema.Flavor;
import io.canal4j.schema.internal.ServerStatus;

/**
 * What the canal learned about the server at connect.
 *
 * @param flavor MySQL or MariaDB
 * @param version the version string, e.g. {@code 10.11.6-MariaDB-0+deb12u1}
 * @param major the major version
 * @param minor the minor version
 * @param gtidMode whether the binlog carries GTIDs the canal can resume by (MariaDB: always; MySQL:
 *     {@code gtid_mode=ON})
 * @param serverUuid {@code @@server_uuid} on MySQL, null on MariaDB
 * @param rowImage {@code @@binlog_row_image}
 */
public record ServerInfo(
    Flavor flavor,
    String version,
    int major,
    int minor,
    boolean gtidMode,
    String serverUuid,
    String rowImage,
    boolean zeroEndPositions) {

  /** MySQL 8.4 renamed SHOW MASTER STATUS (to SHOW BINARY LOG STATUS); MariaDB keeps it. */
  boolean binlogStatusRenamed() {
    return flavor == Flavor.MYSQL && (major > 8 || (major == 8 && minor >= 4));
  }

  /** The statement that reads the binlog position on this server. */
  String binlogStatusStatement() {
    return ServerStatus.binlogStatusStatement(binlogStatusRenamed());
  }

  @Override
  public String toString() {
    return (flavor == Flavor.MARIADB ? "MariaDB " : "MySQL ") + version;
  }
}
