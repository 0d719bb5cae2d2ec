package io.canal4j;

import io.canal4j.schema.Position;
import java.util.Objects;

/**
 * The binlog a canal had to resume from was purged; delivered to {@link EventHandler#onBinlogGap}
 * before anything else in that run.
 *
 * @param saved the saved position the canal could not resume from
 * @param oldestAvailable the start of the oldest binlog the server still has (with its GTID set
 *     where the server has GTIDs): the changes between {@code saved} and it are gone
 * @param policy what the canal does now: {@link PurgedBinlogPolicy#RESNAPSHOT} (SNAPSHOT rows of
 *     every table follow) or {@link PurgedBinlogPolicy#SKIP_TO_CURRENT} (streaming goes on from the
 *     current position)
 */
public record BinlogGap(Position saved, Position oldestAvailable, PurgedBinlogPolicy policy) {
  public BinlogGap {
    Objects.requireNonNull(saved, "saved");
    Objects.requireNonNull(oldestAvailable, "oldestAvailable");
    Objects.requireNonNull(policy, "policy");
  }
}
