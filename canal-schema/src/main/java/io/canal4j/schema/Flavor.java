package io.canal4j.schema;

/** Which server family wrote the binlog; GTIDs and a few statements differ between them. */
public enum Flavor {
  MYSQL,
  MARIADB
}
