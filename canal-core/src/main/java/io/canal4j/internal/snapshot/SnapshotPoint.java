package io.canal4j.internal.snapshot;

import io.canal4j.dump.SnapshotSession;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.server.ServerProbe;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A binlog position with the schema history seeded exactly there: a point snapshot's readers, or
 * the current position for a start from now, a lock-free snapshot or a dump.
 *
 * <p>The seed is read from information_schema, which no transaction isolates. Rows streamed from
 * the point must fit it, so no DDL may fall between the point and the seed's read. With {@code
 * FLUSH TABLES WITH READ LOCK} (MySQL, or several readers) the seed is read while the lock is held,
 * as Debezium does, so nothing can. Without a lock (MariaDB, one reader, and every start from the
 * current position) the binlog between the position and the seed's read is checked afterwards, and
 * the position taken again if a statement ran there.
 */
public final class SnapshotPoint {
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
      Duration lockTimeout,
      ServerInfo server,
      CanalLog log,
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
      try {
        if (session.method() == SnapshotSession.Method.LOCKED
            || settled(connections, server, log, where, session.point(), attempt)) {
          return session;
        }
      } catch (Throwable t) { // the caller gets no session to close: its readers would leak
        try {
          session.close();
        } catch (Throwable suppressed) {
          t.addSuppressed(suppressed);
        }
        throw t;
      }
      session.close();
    }
  }

  /**
   * The server's current position, with {@code seed} called there (the schema history's seed for a
   * start from now, a lock-free snapshot or a dump); taken again while a statement ran between it
   * and the seed's end, as for a point without a lock.
   */
  public static Position current(
      ConnectionFactory connections,
      ServerInfo server,
      CanalLog log,
      String where,
      Consumer<Position> seed)
      throws SQLException {
    for (int attempt = 1; ; attempt++) {
      Position at;
      try (Connection c = connections.open()) {
        at = ServerProbe.currentPosition(c, server, where);
      }
      seed.accept(at);
      if (settled(connections, server, log, where, at, attempt)) {
        return at;
      }
    }
  }

  /**
   * Whether to go on from {@code at}, seeded a moment ago: yes when the binlog since holds no
   * statement (logged and yes when it cannot be checked, or on the last attempt); no to take it
   * again.
   */
  private static boolean settled(
      ConnectionFactory connections,
      ServerInfo server,
      CanalLog log,
      String where,
      Position at,
      int attempt)
      throws SQLException {
    Optional<String> statement;
    Position seeded;
    try (Connection c = connections.open()) {
      seeded = ServerProbe.currentPosition(c, server, where);
      statement = ServerProbe.statementBetween(c, at, seeded, CHECKED_EVENTS);
    } catch (SQLException e) {
      log.warn(
          "could not check the binlog between {} and the schema's read for DDL ({}); going on:"
              + " a DDL there would stop the stream with a message",
          at,
          e.getMessage());
      return true;
    }
    if (statement.isEmpty()) {
      return true;
    }
    if (attempt >= ATTEMPTS) {
      log.warn(
          "between {} and the schema's read at {}: {}, for the {}th time; going on: if it"
              + " changed a captured table the stream stops with a message",
          at,
          seeded,
          statement.get(),
          attempt);
      return true;
    }
    log.info(
        "between {} and the schema's read at {}: {}; taking the position again",
        at,
        seeded,
        statement.get());
    return false;
  }
}
