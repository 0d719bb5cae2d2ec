package io.canal4j.internal;

import io.canal4j.PositionStore;
import io.canal4j.error.ConfigurationException;
import io.canal4j.error.ServerException;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.schema.Position;

/**
 * Whether a saved position may be resumed on the server at hand: written by a server of the same
 * flavor; with GTIDs, all of its GTID set executed there; without, from the same server (by UUID),
 * since binlog offsets mean nothing elsewhere. Each refusal names both sides and the fix.
 */
final class CheckpointChecks {
  private CheckpointChecks() {}

  /** A position written by a MySQL server means nothing to MariaDB, and the other way round. */
  static void requireSameFlavor(Position p, ServerInfo server, PositionStore store, String where) {
    if (p.flavor() != server.flavor()) {
      throw new ConfigurationException(
          "the saved position "
              + p
              + " in "
              + store
              + " was written by a "
              + p.flavor()
              + " server, but "
              + where
              + " is "
              + server
              + ": point the canal at the right server or give it its own position store");
    }
  }

  /**
   * With GTIDs, a saved position is resumed by its GTID set; a server that has not executed all of
   * it ({@code now} is its current position) is another server (rebuilt, restored, or a replica
   * that lags or lacks transactions), where resuming would skip or misread transactions.
   */
  static void requireHistory(Position saved, Position now, PositionStore store, String where) {
    if (now.gtids() != null && now.gtids().containsAll(saved.gtids())) {
      return;
    }
    throw ServerException.permanent(
        "the saved position "
            + saved
            + " in "
            + store
            + " has GTIDs "
            + saved.gtids()
            + " that the server at "
            + where
            + " has not executed (it has "
            + (now.gtids() == null ? "none" : now.gtids())
            + "): the canal delivered transactions this server does not have, so it is not the"
            + " server the position came from, or a replica of it that is behind (a rebuilt or"
            + " restored server, or one that missed transactions). Point the canal at the server"
            + " it read from, let the replica catch up first, or give the canal a new position"
            + " store to take a new snapshot",
        null);
  }

  /** Without GTIDs, a position is a file and offset of one server's binlog: that server's only. */
  static void requireSameServer(Position p, ServerInfo server, String where) {
    if (p.serverUuid() != null
        && server.serverUuid() != null
        && !p.serverUuid().equals(server.serverUuid())) {
      throw new ConfigurationException(
          "the saved position "
              + p
              + " belongs to the server with UUID "
              + p.serverUuid()
              + ", but "
              + where
              + " is "
              + server.serverUuid()
              + ": its binlog offsets mean nothing here. Point the canal at the right server,"
              + " or enable GTIDs (gtid_mode=ON) so positions survive a fail-over");
    }
  }
}
