package io.canal4j;

import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import java.time.Instant;
import java.util.List;

/**
 * A schema change (CREATE, ALTER, DROP, RENAME, TRUNCATE) took effect. Delivered after the canal's
 * own schema knowledge was updated, so row events after it use the new table version.
 *
 * @param database the statement's default database ({@code USE db}); may be empty
 * @param statement the SQL text as the server logged it
 * @param tables the tables the statement names, sorted (both names of a RENAME); empty when it
 *     names none, e.g. {@code DROP DATABASE}
 * @param transaction the (single-statement) transaction of the DDL
 * @param position the position right after the statement
 * @param timestamp when the server wrote the statement
 */
public record DdlEvent(
    String database,
    String statement,
    List<TableId> tables,
    TransactionId transaction,
    Position position,
    Instant timestamp) {
  public DdlEvent {
    tables = List.copyOf(tables);
  }
}
