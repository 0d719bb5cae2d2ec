package io.canal4j.internal;

import io.canal4j.SnapshotMethod;
import io.canal4j.error.ServerException;
import io.canal4j.internal.save.SnapshotPlan;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.watermark.WatermarkChecks;
import io.canal4j.schema.Position;

/** How an unfinished snapshot goes on: lock-free with the stream, or at one point again. */
final class SnapshotChoice {
  private SnapshotChoice() {}

  /**
   * Whether the snapshot that a checkpoint at {@code p} left unfinished goes on lock-free. A
   * lock-free plan goes on lock-free unless {@code POINT} is asked or the server no longer allows
   * it (then at one point); a plan at one point, or none that can be read, goes on lock-free only
   * when {@code WATERMARKS} is asked.
   *
   * @param plan the saved plan, or null when there is none or it cannot be read
   * @throws ServerException naming the fix when {@code WATERMARKS} is asked and this server cannot
   *     take it from {@code p}
   */
  static boolean resumeLockFree(
      SnapshotPlan plan,
      SnapshotMethod method,
      ServerInfo server,
      Position p,
      String where,
      String user) {
    if (method == SnapshotMethod.WATERMARKS) {
      WatermarkChecks.checkPossible(server, where, user, p); // as asked, or fail
    }
    return plan != null && plan.watermarks()
        ? method != SnapshotMethod.POINT && WatermarkChecks.possible(server, p)
        : method == SnapshotMethod.WATERMARKS;
  }
}
