package io.canal4j;

import io.canal4j.schema.Position;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything a canal needs to resume, saved atomically as one record so that a store never holds a
 * position without the state that goes with it.
 *
 * @param position the binlog position to resume from (always a transaction end)
 * @param schemaHistory a reference to the schema-history version in force at {@code position}, or
 *     null when the canal keeps none
 * @param snapshotProgress the initial snapshot's progress (finished chunks) while it is running, or
 *     null once it is done or when there was none
 * @param savedAt when the record was made
 */
public record Checkpoint(
    Position position, String schemaHistory, String snapshotProgress, Instant savedAt) {
  /** The version of the record format that this canal4j writes. */
  public static final int VERSION = 1;

  public Checkpoint {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(savedAt, "savedAt");
  }

  public static Checkpoint of(Position position) {
    return new Checkpoint(position, null, null, Instant.now());
  }
}
