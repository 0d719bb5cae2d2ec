package io.canal4j.dump;

import io.canal4j.error.ServerException;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.Position;
import io.canal4j.schema.internal.MysqlErrors;
import io.canal4j.schema.internal.ServerStatus;
import io.canal4j.schema.internal.value.JdbcValues;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader connections that all see the database as it was at one binlog position, the snapshot
 * point: rows read through them plus the binlog from the point on give every committed change
 * exactly once.
 *
 * <ul>
 *   <li>{@link Method#CONSISTENT_SNAPSHOT} (MariaDB, one reader): {@code START TRANSACTION WITH
 *       CONSISTENT SNAPSHOT}, whose point MariaDB reports in {@code binlog_snapshot_file} and
 *       {@code binlog_snapshot_position}. No lock, no RELOAD privilege.
 *   <li>{@link Method#LOCKED} (MySQL, or several readers): {@code FLUSH TABLES WITH READ LOCK}
 *       while every reader starts its consistent snapshot and the point is read, then {@code UNLOCK
 *       TABLES}: writes wait for a moment. Needs the RELOAD privilege.
 * </ul>
 *
 * The readers' sessions are prepared for {@link JdbcValues#read}. Closing the session ends the
 * readers' transactions and closes their connections.
 */
public final class SnapshotSession implements AutoCloseable {
  /** The error code of the exception {@link #open} throws when the user lacks RELOAD. */
  public static final int ER_SPECIFIC_ACCESS_DENIED = MysqlErrors.ER_SPECIFIC_ACCESS_DENIED_ERROR;

  /** The error code of the exception {@link #open} throws when the lock was not granted in time. */
  public static final int ER_LOCK_WAIT_TIMEOUT = MysqlErrors.ER_LOCK_WAIT_TIMEOUT;

  static final int READER_LOCK_WAIT_SECONDS = 60;

  /** How the point was made consistent with the readers' view. */
  public enum Method {
    CONSISTENT_SNAPSHOT,
    LOCKED
  }

  /** Reads binlog positions in the form the canal resumes from (with GTIDs and server id). */
  public interface PointReader {
    /** The server's current binlog position. */
    Position current(Connection c) throws SQLException;

    /** The position at {@code file}/{@code offset}, with the GTID set there. */
    Position at(Connection c, String file, long offset) throws SQLException;

    /**
     * Called once with the point, before {@link #open} returns. With {@link Method#LOCKED} it runs
     * while {@code FLUSH TABLES WITH READ LOCK} is held, so no DDL can run meanwhile and a schema
     * read here is exactly the point's (the lock is held longer by what this does); with {@link
     * Method#CONSISTENT_SNAPSHOT} there is no lock, and DDL may run concurrently.
     */
    default void fixed(Position point) throws SQLException {}
  }

  private final List<Connection> readers;
  private final Position point;
  private final Method method;
  private final Duration lockHeld;

  private SnapshotSession(
      List<Connection> readers, Position point, Method method, Duration lockHeld) {
    this.readers = List.copyOf(readers);
    this.point = point;
    this.method = method;
    this.lockHeld = lockHeld;
  }

  /**
   * Opens {@code readerCount} readers at one snapshot point.
   *
   * @param where the server's address, for messages
   * @param user the user, for the message that names a missing privilege
   * @param lockTimeout how long {@code FLUSH TABLES WITH READ LOCK} may wait for running queries
   *     (writes queue behind it meanwhile); at least a second
   * @throws ServerException naming the fix when the user lacks RELOAD for the locked method ({@link
   *     #ER_SPECIFIC_ACCESS_DENIED}), or the lock was not granted in time ({@link
   *     #ER_LOCK_WAIT_TIMEOUT})
   * @throws SQLException when the server fails otherwise
   */
  public static SnapshotSession open(
      ConnectionFactory connections,
      Flavor flavor,
      int readerCount,
      PointReader points,
      String where,
      String user,
      Duration lockTimeout)
      throws SQLException {
    if (readerCount < 1) {
      throw new IllegalArgumentException("readerCount must be >= 1: " + readerCount);
    }
    List<Connection> readers = new ArrayList<>();
    boolean done = false;
    try {
      if (flavor == Flavor.MARIADB && readerCount == 1) {
        Connection c = reader(connections, readers);
        Position at = snapshotPosition(c, flavor, where);
        Position point;
        try (Connection other = connections.open()) {
          point = points.at(other, at.file(), at.offset());
        }
        points.fixed(point);
        done = true;
        return new SnapshotSession(readers, point, Method.CONSISTENT_SNAPSHOT, Duration.ZERO);
      }
      // Everything that takes time happens before the lock: under it, only the snapshots start
      // and the point is read, so writes wait as briefly as possible.
      for (int i = 0; i < readerCount; i++) {
        prepared(connections, readers);
      }
      try (Connection lock = connections.open();
          Statement s = lock.createStatement()) {
        long seconds = Math.max(1, lockTimeout.toSeconds());
        s.execute("SET SESSION lock_wait_timeout = " + seconds);
        try {
          s.execute("FLUSH TABLES WITH READ LOCK");
        } catch (SQLException e) {
          if (e.getErrorCode() == ER_SPECIFIC_ACCESS_DENIED) {
            throw new ServerException(
                "user '"
                    + user
                    + "' may not FLUSH TABLES WITH READ LOCK on "
                    + where
                    + ", which a snapshot with "
                    + readerCount
                    + " reader(s) on "
                    + (flavor == Flavor.MARIADB ? "MariaDB" : "MySQL")
                    + " needs for a moment to fix its point. GRANT RELOAD ON *.* TO '"
                    + user
                    + "'"
                    + (flavor == Flavor.MARIADB
                        ? ", or use snapshotThreads(1), which needs no lock on MariaDB"
                        : "")
                    + ", or allow the lock-free snapshot (snapshotMethod AUTO or WATERMARKS)",
                ER_SPECIFIC_ACCESS_DENIED,
                e.getSQLState(),
                false,
                e);
          }
          if (e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT) {
            throw new ServerException(
                "FLUSH TABLES WITH READ LOCK on "
                    + where
                    + " waited "
                    + seconds
                    + " s for running statements to finish (a long query, or a transaction"
                    + " holding table locks) and gave up; writes were queued behind it meanwhile."
                    + " Retry when the server is quieter, raise snapshotLockTimeout, or take the"
                    + " snapshot without a lock (snapshotMethod AUTO or WATERMARKS)",
                ER_LOCK_WAIT_TIMEOUT,
                e.getSQLState(),
                false,
                e);
          }
          throw e;
        }
        Position point;
        long locked = System.nanoTime();
        try {
          for (Connection c : readers) {
            begin(c);
          }
          point = points.current(lock);
          points.fixed(point);
        } finally {
          s.execute("UNLOCK TABLES");
        }
        Duration held = Duration.ofNanos(System.nanoTime() - locked);
        done = true;
        return new SnapshotSession(readers, point, Method.LOCKED, held);
      }
    } finally {
      if (!done) {
        closeAll(readers);
      }
    }
  }

  /**
   * Where the binlog stands for the consistent snapshot that {@code c}'s transaction holds
   * (MariaDB: {@code binlog_snapshot_file} and {@code binlog_snapshot_position}), without GTIDs.
   *
   * @throws ServerException when the server does not report it
   */
  public static Position snapshotPosition(Connection c, Flavor flavor, String where)
      throws SQLException {
    ServerStatus.BinlogStatus status = ServerStatus.snapshotStatus(c);
    String file = status.file();
    long offset = status.offset();
    if (file == null || file.isEmpty() || offset < 0) {
      throw ServerException.permanent(
          "the server at "
              + where
              + " does not report binlog_snapshot_file/position for a consistent snapshot"
              + " (is the binary log on?)",
          null);
    }
    return Position.of(flavor, file, offset);
  }

  private static Connection reader(ConnectionFactory connections, List<Connection> readers)
      throws SQLException {
    Connection c = prepared(connections, readers);
    begin(c);
    return c;
  }

  /** A reader connection with its session set up, not yet in its snapshot. */
  private static Connection prepared(ConnectionFactory connections, List<Connection> readers)
      throws SQLException {
    Connection c = connections.open();
    readers.add(c);
    JdbcValues.prepareSession(c);
    try (Statement s = c.createStatement()) {
      s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      // A reader queued behind an ALTER (which waits for another reader's locks) gives up instead
      // of waiting with it until the snapshot ends, which would be for ever.
      s.execute("SET SESSION lock_wait_timeout = " + READER_LOCK_WAIT_SECONDS);
    }
    return c;
  }

  private static void begin(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    }
  }

  /** Where the binlog continues after the rows these readers see. */
  public Position point() {
    return point;
  }

  public Method method() {
    return method;
  }

  /** How long writes waited for the global read lock (zero without one). */
  public Duration lockHeld() {
    return lockHeld;
  }

  /** The reader connections, each inside its consistent-snapshot transaction. */
  public List<Connection> readers() {
    return readers;
  }

  @Override
  public void close() {
    closeAll(readers);
  }

  private static void closeAll(List<Connection> connections) {
    for (Connection c : connections) {
      try {
        c.close(); // ends the read-only transaction
      } catch (SQLException ignored) {
        // closing a reader that already failed
      }
    }
  }
}
