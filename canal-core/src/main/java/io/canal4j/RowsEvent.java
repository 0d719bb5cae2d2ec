package io.canal4j;

import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The rows one binlog ROWS event changed in one table (one statement may write several such
 * events), or a batch of snapshot rows. Immutable.
 *
 * @param action what happened to the rows
 * @param table the table's schema as it was when the rows were written
 * @param changes the changed rows, in binlog order
 * @param transaction the transaction the rows belong to
 * @param position the binlog position of this event; for SNAPSHOT rows the point they were read at,
 *     {@linkplain Position#snapshotMark() marked} by the snapshot chunks delivered before them
 *     (under manual commit, committing it acknowledges those chunks)
 * @param timestamp when the server wrote the event (the statement's start time)
 */
public record RowsEvent(
    RowAction action,
    TableSchema table,
    List<RowChange> changes,
    TransactionId transaction,
    Position position,
    Instant timestamp) {
  public RowsEvent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(table, "table");
    changes = List.copyOf(changes);
  }

  public TableId tableId() {
    return table.id();
  }

  @Override
  public String toString() {
    return action
        + " "
        + table.id()
        + " rows="
        + changes.size()
        + " tx="
        + transaction
        + " at "
        + position
        + (changes.isEmpty() ? "" : " first=" + changes.get(0).latest());
  }
}
