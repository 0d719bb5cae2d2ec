package io.canal4j;

/**
 * One changed row of a {@link RowsEvent}.
 *
 * @param before the row before the change (UPDATE, DELETE), else null
 * @param after the row after the change (INSERT, UPDATE, SNAPSHOT), else null
 * @param index the row's 0-based index within its transaction: with the transaction's {@link
 *     TransactionId} it identifies the change, so a sink can recognise a replay
 */
public record RowChange(Row before, Row after, int index) {
  public RowChange {
    if (before == null && after == null) {
      throw new IllegalArgumentException("a row change needs a before or an after image");
    }
  }

  /** The after image, or the before image of a delete: the row as the change leaves it known. */
  public Row latest() {
    return after != null ? after : before;
  }
}
