package io.canal4j.schema.internal;

import io.canal4j.error.SchemaException;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;

/**
 * Why a binlog row event's table cannot be named, without FULL row metadata: the exception that
 * says which of the known ways the schema history and the server got out of step, and the fix.
 */
final class SchemaMisfits {
  private SchemaMisfits() {}

  /**
   * @param misfit how the known version differs from the TABLE_MAP, or null when no version is
   *     known (neither in the history nor in information_schema)
   * @param fromServer whether the version was read from information_schema just now
   * @param horizon where the seed was read, when the event is at or before it; else null
   */
  static SchemaException unfit(
      TableId id, Position position, String misfit, boolean fromServer, Position horizon) {
    if (misfit == null) {
      return new SchemaException(
          "Table "
              + id
              + " at "
              + position
              + " is neither in the schema history nor in information_schema: it was dropped or"
              + " renamed after this event was written, by a statement the history did not see."
              + " Enable binlog_row_metadata=FULL on the server, or start from a position after"
              + " the DROP or RENAME",
          id,
          position);
    }
    if (fromServer) {
      return new SchemaException(
          "Table "
              + id
              + " at "
              + position
              + " is not in the schema history, and information_schema has another version of"
              + " it: "
              + misfit
              + ". The table was altered after this event was written. Enable"
              + " binlog_row_metadata=FULL on the server, or start from a position after the"
              + " ALTER",
          id,
          position);
    }
    if (horizon != null) {
      return new SchemaException(
          "Table "
              + id
              + " at "
              + position
              + " does not match the schema history, which was read from information_schema at "
              + horizon
              + ", after this event was written: the table was altered in between ("
              + misfit
              + "). Enable binlog_row_metadata=FULL on the server, or start from a position after"
              + " the ALTER",
          id,
          position);
    }
    return new SchemaException(
        "Table "
            + id
            + " at "
            + position
            + " does not match the schema history: "
            + misfit
            + ". The history missed a change to the table (a DDL statement skipped with"
            + " skipUnparseableDdl(), or a change the binlog does not show). Enable"
            + " binlog_row_metadata=FULL on the server, or restart from a position after the"
            + " change with a new checkpoint",
        id,
        position);
  }
}
