package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;

/**
 * The table definitions a DDL statement is applied to: what a schema history keeps at one binlog
 * position. {@link DdlParser} reads the tables a statement needs and writes what it changed, only
 * after the whole statement was understood.
 */
public interface DdlTarget {

  /**
   * A table version and the default character set that columns added without one receive.
   *
   * @param schema the columns and primary key
   * @param charset the table's default character set, e.g. {@code utf8mb4}
   */
  record Table(TableSchema schema, String charset) {}

  /**
   * The table, or null when it is not known (not tracked, or never seen). Names match as the server
   * would: exactly first, then ignoring case.
   */
  Table get(TableId id);

  /**
   * Whether a table that {@link #get} does not know may still exist on the server: one this target
   * was told is {@link #unknown}, for instance. Then {@code CREATE TABLE IF NOT EXISTS} cannot tell
   * whether it created anything, and makes the table unknown instead.
   */
  default boolean mayExist(TableId id) {
    return false;
  }

  /** Creates or replaces a table. */
  void put(Table table);

  /** The table no longer exists under this name (dropped, or renamed away). */
  void remove(TableId id);

  /**
   * The statement changed the table in a way that cannot be derived from what is known (an ALTER or
   * a CREATE ... LIKE of a table that {@link #get} does not know): forget it, so it is read from
   * the server when it is next needed.
   */
  void unknown(TableId id);

  /**
   * The default character set of a database, for a CREATE TABLE that names none; never null for a
   * database that exists (the target asks the server when it does not know).
   */
  String databaseCharset(String database);

  /** CREATE DATABASE or ALTER DATABASE set a database's default character set. */
  void databaseCharset(String database, String charset);

  /** DROP DATABASE: every table of the database is gone. */
  void dropDatabase(String database);
}
