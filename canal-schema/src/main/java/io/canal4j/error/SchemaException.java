package io.canal4j.error;

import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;

/**
 * The schema of a table at a binlog position could not be determined, or does not match the row
 * events the server wrote for it. Never answered with guessed column names.
 */
public class SchemaException extends CanalException {
  private static final long serialVersionUID = 1L;

  private final TableId table;
  private final transient Position position;

  public SchemaException(String message, TableId table, Position position) {
    this(message, table, position, null);
  }

  public SchemaException(String message, TableId table, Position position, Throwable cause) {
    super(message, cause);
    this.table = table;
    this.position = position;
  }

  /** The table concerned. */
  public TableId table() {
    return table;
  }

  /** The binlog position of the event that could not be mapped, or null. */
  public Position position() {
    return position;
  }
}
