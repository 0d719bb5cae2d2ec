package io.canal4j.schema.internal;

/**
 * The server error codes canal4j acts on, in one place, by their MySQL names (MariaDB uses the same
 * numbers for these).
 */
public final class MysqlErrors {
  /** Wrong user or password. */
  public static final int ER_ACCESS_DENIED_ERROR = 1045;

  /** Unknown column (MariaDB's answer to a read of a column dropped since). */
  public static final int ER_BAD_FIELD_ERROR = 1054;

  /** A statement this server does not know (e.g. SHOW MASTER STATUS on MySQL 8.4+). */
  public static final int ER_PARSE_ERROR = 1064;

  public static final int ER_NO_SUCH_TABLE = 1146;
  public static final int ER_LOCK_WAIT_TIMEOUT = 1205;
  public static final int ER_LOCK_DEADLOCK = 1213;

  /** A privilege is missing (RELOAD for FLUSH TABLES WITH READ LOCK, say). */
  public static final int ER_SPECIFIC_ACCESS_DENIED_ERROR = 1227;

  /** The replication protocol's fatal error: a purged binlog, an unknown GTID, ... */
  public static final int ER_MASTER_FATAL_ERROR_READING_BINLOG = 1236;

  /** MySQL: a read at a snapshot of a table whose definition changed since. */
  public static final int ER_TABLE_DEF_CHANGED = 1412;

  /** The server refuses plain connections ({@code require_secure_transport=ON}). */
  public static final int ER_SECURE_TRANSPORT_REQUIRED = 3159;

  private MysqlErrors() {}
}
