package io.canal4j.schema.internal.ddl;

import java.util.Set;

/**
 * The word sets by which {@link DdlParser} and its statement parsers tell statements and ALTER
 * TABLE specifications apart, and those by which {@link DdlScope} tells which tables a statement
 * may touch, side by side.
 */
final class DdlKeywords {
  /** First words of statements that never change a table's layout. */
  static final Set<String> HARMLESS =
      Set.of(
          "ANALYZE",
          "BACKUP",
          "BEGIN",
          "BINLOG",
          "CACHE",
          "CALL",
          "CHANGE",
          "CHECK",
          "CHECKSUM",
          "CLONE",
          "COMMIT",
          "DEALLOCATE",
          "DELETE",
          "DESC",
          "DESCRIBE",
          "DO",
          "EXECUTE",
          "EXPLAIN",
          "FLUSH",
          "GET",
          "GRANT",
          "HANDLER",
          "HELP",
          "INSERT",
          "INSTALL",
          "KILL",
          "LOAD",
          "LOCK",
          "OPTIMIZE",
          "PREPARE",
          "PURGE",
          "RELEASE",
          "REPAIR",
          "REPLACE",
          "RESET",
          "RESIGNAL",
          "RESTART",
          "REVOKE",
          "ROLLBACK",
          "SAVEPOINT",
          "SELECT",
          "SHOW",
          "SHUTDOWN",
          "SIGNAL",
          "START",
          "STOP",
          "TABLE",
          "TRUNCATE",
          "UNINSTALL",
          "UNLOCK",
          "UPDATE",
          "USE",
          "VALUES",
          "WITH",
          "XA");

  /** ALTER TABLE options that name a value and change no column. */
  static final Set<String> TABLE_OPTIONS =
      Set.of(
          "AUTOEXTEND_SIZE",
          "AUTO_INCREMENT",
          "AVG_ROW_LENGTH",
          "CHECKSUM",
          "COMMENT",
          "COMPRESSION",
          "CONNECTION",
          "DATA",
          "DELAY_KEY_WRITE",
          "ENCRYPTED",
          "ENCRYPTION",
          "ENCRYPTION_KEY_ID",
          "ENGINE",
          "ENGINE_ATTRIBUTE",
          "IETF_QUOTES",
          "INDEX",
          "INSERT_METHOD",
          "KEY_BLOCK_SIZE",
          "MAX_ROWS",
          "MIN_ROWS",
          "PACK_KEYS",
          "PAGE_CHECKSUM",
          "PAGE_COMPRESSED",
          "PAGE_COMPRESSION_LEVEL",
          "PASSWORD",
          "ROW_FORMAT",
          "SECONDARY_ENGINE",
          "SECONDARY_ENGINE_ATTRIBUTE",
          "SEQUENCE",
          "STATS_AUTO_RECALC",
          "STATS_PERSISTENT",
          "STATS_SAMPLE_PAGES",
          "TABLESPACE",
          "TABLE_CHECKSUM",
          "TRANSACTIONAL",
          "UNION",
          "ALGORITHM",
          "LOCK");

  /** ALTER TABLE specifications about partitions: they end the statement's column changes. */
  static final Set<String> PARTITION_SPECS =
      Set.of(
          "PARTITION",
          "COALESCE",
          "REORGANIZE",
          "EXCHANGE",
          "ANALYZE",
          "CHECK",
          "OPTIMIZE",
          "REBUILD",
          "REPAIR",
          "REMOVE",
          "TRUNCATE",
          "UPGRADE");

  /** Words that start an ALTER TABLE specification (to tell them from ORDER BY columns). */
  static final Set<String> SPEC_WORDS =
      Set.of(
          "ADD",
          "DROP",
          "MODIFY",
          "CHANGE",
          "RENAME",
          "ALTER",
          "CONVERT",
          "DEFAULT",
          "CHARACTER",
          "CHARSET",
          "COLLATE",
          "FORCE",
          "ORDER",
          "ENABLE",
          "DISABLE",
          "DISCARD",
          "IMPORT",
          "WITH",
          "WITHOUT");

  private DdlKeywords() {}

  /**
   * {@link DdlScope}'s first words of statements that touch no table. It differs from {@link
   * #HARMLESS} on purpose. The parser asks only "does a layout change", so it skips TRUNCATE and
   * MySQL's {@code TABLE t}. The scope asks "which tables may this change, rows included" and takes
   * a first word it does not know as touching the whole default database: TRUNCATE is read for its
   * table, and {@code TABLE t} errs on the broad side. SET is here because MariaDB's {@code SET
   * STATEMENT ... FOR} is read before this list is asked.
   */
  static final Set<String> SCOPE_HARMLESS =
      Set.of(
          "BEGIN",
          "COMMIT",
          "ROLLBACK",
          "SAVEPOINT",
          "RELEASE",
          "XA",
          "START",
          "SET",
          "USE",
          "INSERT",
          "UPDATE",
          "DELETE",
          "REPLACE",
          "SELECT",
          "CALL",
          "DO",
          "LOAD",
          "GRANT",
          "REVOKE",
          "FLUSH",
          "ANALYZE",
          "OPTIMIZE",
          "REPAIR",
          "CHECK",
          "CHECKSUM",
          "INSTALL",
          "UNINSTALL",
          "SHOW",
          "LOCK",
          "UNLOCK",
          "PURGE",
          "RESET",
          "KILL",
          "HANDLER");

  /** Objects of CREATE/ALTER/DROP whose changes can touch a table's columns. */
  static final Set<String> OBJECTS =
      Set.of("TABLE", "TABLES", "SEQUENCE", "INDEX", "DATABASE", "SCHEMA");

  /** Objects of CREATE/ALTER/DROP that are not tables and never change a table's columns. */
  static final Set<String> OTHER_OBJECTS =
      Set.of(
          "VIEW",
          "TRIGGER",
          "PROCEDURE",
          "FUNCTION",
          "EVENT",
          "USER",
          "ROLE",
          "SERVER",
          "LOGFILE",
          "TABLESPACE",
          "RESOURCE",
          "PACKAGE",
          "INSTANCE");
}
