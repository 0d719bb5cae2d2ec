package io.canal4j.internal.snapshot;

import io.canal4j.dump.SnapshotSession;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.server.ServerProbe;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a point snapshot's readers at one point with the schema history seeded exactly there.
 *
 * <p>The seed is read from information_schema, which no transaction isolates. Rows streamed from
 * the point must fit it, so no DDL may fall between the point and the seed's read. With {@code
 * FLUSH TABLES WITH READ LOCK} (MySQL, or several readers) the seed is read while the lock is held,
 * as Debezium does, so nothing can. Without a lock (MariaDB, one reader) the binlog between the
 * point and the seed's read is checked afterwards, and the point taken again if a statement ran
 * there.
 */
final class SnapshotPoint {
  private static final Logger log = LoggerFactory.getLogger("io.canal4j.Canal");

  /** How often a point without a lock is taken again because a statement ran before the seed. */
  static final int ATTEMPTS = 5;

  /** How many binlog events the check reads at most; a longer range counts as holding a DDL. */
  static final int CHECKED_EVENTS = 10_000;

  private SnapshotPoint() {}

  /**
   * The readers at one point, {@code atPoint} called with it (the schema seed), under the lock
   * where there is one.
   */
  static SnapshotSession open(
      String user,
      java.time.Duration lockTimeout,
      ServerInfo server,
      String prefix,
      String where,
      ConnectionFactory connections,
      int threads,
      Consumer<Position> atPoint)
      throws SQLException {
    SnapshotSession.PointReader points =
        new SnapshotSession.PointReader() {
          @Override
          public Position current(Connection c) throws SQLException {
            return ServerProbe.currentPosition(c, server, where);
          }

          @Override
          public Position at(Connection c, String file, long offset) throws SQLException {
            return ServerProbe.positionAt(c, server, file, offset);
          }

          @Override
          public void fixed(Position point) {
            atPoint.accept(point);
          }
        };
    for (int attempt = 1; ; attempt++) {
      SnapshotSession session =
          SnapshotSession.open(
              connections, server.flavor(), threads, points, where, user, lockTimeout);
      if (session.method() == SnapshotSession.Method.LOCKED) {
        return session;
      }
      Optional<String> statement;
      Position seeded;
      try (Connection c = connections.open()) {
        seeded = ServerProbe.currentPosition(c, server, where);
        statement = ServerProbe.statementBetween(c, session.point(), seeded, CHECKED_EVENTS);
      } catch (SQLException e) {
        log.warn(
            "{}could not check the binlog between the snapshot point {} and the schema's read"
                + " for DDL ({}); going on: a DDL there would stop the stream with a message",
            prefix,
            session.point(),
            e.getMessage());
        return session;
      }
      if (statement.isEmpty()) {
        return session;
      }
      if (attempt == ATTEMPTS) {
        log.warn(
            "{}between the snapshot point {} and the schema's read at {}: {}, for the {}th time;"
                + " going on: if it changed a captured table the stream stops with a message."
                + " snapshotThreads(2) holds a lock instead (it needs RELOAD)",
            prefix,
            session.point(),
            seeded,
            statement.get(),
            attempt);
        return session;
      }
      log.info(
          "{}between the snapshot point {} and the schema's read at {}: {}; taking the point"
              + " again",
          prefix,
          session.point(),
          seeded,
          statement.get());
      session.close();
    }
  }
}
