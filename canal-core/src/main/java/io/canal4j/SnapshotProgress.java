package io.canal4j;

import io.canal4j.schema.Position;
import java.time.Duration;

/**
 * How far the initial snapshot is, given to the listener set with {@code
 * Canal.Builder.snapshotProgress} after every finished chunk, on the canal's thread.
 *
 * @param point the snapshot's binlog point
 * @param rows rows delivered so far
 * @param chunksDone chunks whose rows were all delivered
 * @param chunks all chunks of the snapshot
 * @param rowsPerSecond rows delivered per second since the snapshot started
 * @param remaining the time left if the chunks still to read go as fast as the finished ones
 */
public record SnapshotProgress(
    Position point,
    long rows,
    int chunksDone,
    int chunks,
    double rowsPerSecond,
    Duration remaining) {

  /** Whether every chunk is done. */
  public boolean done() {
    return chunksDone == chunks;
  }
}
