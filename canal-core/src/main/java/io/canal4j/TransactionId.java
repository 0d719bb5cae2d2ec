package io.canal4j;

import io.canal4j.schema.Position;
import java.util.Objects;

/**
 * Identifies the transaction an event belongs to, so that a sink can recognise a transaction it has
 * seen before when the canal replays after a restart: the transaction's GTID where the server
 * writes one, otherwise the binlog position where the transaction began.
 *
 * @param gtid {@code uuid:n} (MySQL) or {@code domain-server-seq} (MariaDB), or null
 * @param begin the position of the transaction's first event
 */
public record TransactionId(String gtid, Position begin) {
  public TransactionId {
    Objects.requireNonNull(begin, "begin");
  }

  /** The GTID when there is one, else {@code file:offset} of the transaction's start. */
  @Override
  public String toString() {
    return gtid != null ? gtid : begin.file() + ":" + begin.offset();
  }
}
