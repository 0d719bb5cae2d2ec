package io.canal4j.internal.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canal4j.dump.SnapshotSession;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.server.ServerProbe;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema history is seeded exactly at the snapshot point: a DDL in the moment between the point
 * and the seed's read (simulated by running it from the seed callback) either waits for the lock or
 * makes the point be taken again.
 */
class SnapshotPointTest {

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void withoutALock_aDdlBeforeTheSeed_takesThePointAgain(SandboxServer server) throws Exception {
    assumeTrue(server.flavor() == ServerFlavor.MARIADB, "one reader holds no lock on MariaDB only");
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      ServerInfo info = ServerProbe.probe(c, "test");
      List<Position> seeds = new CopyOnWriteArrayList<>();
      try (SnapshotSession session =
          open(
              server,
              db,
              info,
              1,
              point -> {
                seeds.add(point);
                if (seeds.size() == 1) {
                  try {
                    db.execute(
                        "ALTER TABLE t ADD COLUMN b INT"); // after the point, before the seed
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }
              })) {
        assertEquals(SnapshotSession.Method.CONSISTENT_SNAPSHOT, session.method());
        assertEquals(2, seeds.size(), "seeded again at a new point: " + seeds);
        assertEquals(seeds.get(1), session.point());
        assertTrue(session.point().compareTo(seeds.get(0)) > 0, seeds.toString());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void current_aDdlBeforeTheSeed_takesThePositionAgain(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      ServerInfo info = ServerProbe.probe(c, "test");
      List<Position> seeds = new CopyOnWriteArrayList<>();
      Position from =
          SnapshotPoint.current(
              db::connect,
              info,
              CanalLog.of("test"),
              "test",
              at -> {
                seeds.add(at);
                try {
                  db.execute(
                      "INSERT INTO t (id) VALUES (" + seeds.size() + ")"); // rows do not count
                  if (seeds.size() == 1) {
                    db.execute("ALTER TABLE t ADD COLUMN b INT");
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertEquals(2, seeds.size(), "seeded again at a new position: " + seeds);
      assertEquals(seeds.get(1), from);
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void underTheLock_aDdlWaitsUntilTheSeedIsRead(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      ServerInfo info = ServerProbe.probe(c, "test");
      CompletableFuture<Void> ddl = new CompletableFuture<>();
      List<Position> seeds = new CopyOnWriteArrayList<>();
      try (SnapshotSession session =
          open(
              server,
              db,
              info,
              2,
              point -> {
                seeds.add(point);
                CompletableFuture.runAsync(
                    () -> {
                      try {
                        db.execute("ALTER TABLE t ADD COLUMN b INT");
                        ddl.complete(null);
                      } catch (Exception e) {
                        ddl.completeExceptionally(e);
                      }
                    });
                awaitWaitingForTheLock(server);
                assertTrue(!ddl.isDone(), "the DDL waits while the seed is read");
              })) {
        assertEquals(SnapshotSession.Method.LOCKED, session.method());
        assertEquals(List.of(session.point()), seeds, "seeded once, at the point");
        ddl.get(30, TimeUnit.SECONDS);
        Position after = ServerProbe.currentPosition(c, info, "test");
        String found = ServerProbe.statementBetween(c, session.point(), after, 1_000).orElseThrow();
        assertTrue(
            found.contains("ALTER TABLE t ADD COLUMN b INT"), "the DDL is after it: " + found);
      }
    }
  }

  /** A point on {@code db} for {@code readers} readers, as the snapshot opens it, seeding at it. */
  private static SnapshotSession open(
      SandboxServer server, TestDatabase db, ServerInfo info, int readers, Consumer<Position> seed)
      throws Exception {
    return SnapshotPoint.open(
        server.user(),
        Duration.ofSeconds(10),
        info,
        CanalLog.of("test"),
        "test",
        db::connect,
        readers,
        seed);
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void withoutALock_aFailureAfterThePoint_closesTheReaders(SandboxServer server) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        server.flavor() == ServerFlavor.MARIADB, "one reader holds no lock on MariaDB only");
    try (TestDatabase db = server.createDatabase();
        FailingConnections connections = new FailingConnections(db::connect, false)) {
      IllegalStateException thrown =
          assertThrows(IllegalStateException.class, () -> openOneReader(server, connections));
      assertSame(connections.failure, thrown);
      assertEquals(List.of(), connections.openReal(), "every connection handed out is closed");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void withoutALock_aCloseFailingAfterAFailure_isSuppressed(SandboxServer server) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        server.flavor() == ServerFlavor.MARIADB, "one reader holds no lock on MariaDB only");
    try (TestDatabase db = server.createDatabase();
        FailingConnections connections = new FailingConnections(db::connect, true)) {
      IllegalStateException thrown =
          assertThrows(IllegalStateException.class, () -> openOneReader(server, connections));
      assertSame(connections.failure, thrown);
      assertEquals(List.of(connections.closeFailure), List.of(thrown.getSuppressed()));
      assertEquals(
          List.of(), connections.openReal(), "the reader is closed before its close fails");
    }
  }

  /** One reader on MariaDB: no lock, so the binlog after the point is checked (and fails). */
  private static SnapshotSession openOneReader(SandboxServer server, FailingConnections connections)
      throws Exception {
    ServerInfo info;
    try (Connection c = connections.real.open()) {
      info = ServerProbe.probe(c, "test");
    }
    return SnapshotPoint.open(
        server.user(),
        Duration.ofSeconds(10),
        info,
        CanalLog.of("test"),
        "test",
        connections,
        1,
        point -> connections.seeded = true);
  }

  /**
   * Connections that fail to open once the seed is read (the binlog check after the point), with an
   * unchecked exception as a user's {@link ConnectionFactory} might throw; with {@code closeFails},
   * closing a connection then fails too, after closing it.
   */
  private static final class FailingConnections implements ConnectionFactory, AutoCloseable {
    final ConnectionFactory real;
    final boolean closeFails;
    final IllegalStateException failure = new IllegalStateException("no connection after the seed");
    final IllegalStateException closeFailure = new IllegalStateException("close failed");
    final List<Connection> handedOut = new CopyOnWriteArrayList<>();
    volatile boolean seeded;

    FailingConnections(ConnectionFactory real, boolean closeFails) {
      this.real = real;
      this.closeFails = closeFails;
    }

    @Override
    public Connection open() throws SQLException {
      if (seeded) {
        throw failure;
      }
      Connection c = real.open();
      handedOut.add(c);
      return (Connection)
          Proxy.newProxyInstance(
              SnapshotPointTest.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (self, method, args) -> {
                try {
                  Object result = method.invoke(c, args);
                  if (method.getName().equals("close") && closeFails && seeded) {
                    throw closeFailure;
                  }
                  return result;
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }

    /** Closes what a failed test left open. */
    @Override
    public void close() throws SQLException {
      for (Connection c : handedOut) {
        c.close();
      }
    }

    List<Connection> openReal() throws SQLException {
      List<Connection> open = new ArrayList<>();
      for (Connection c : handedOut) {
        if (!c.isClosed()) {
          open.add(c);
        }
      }
      return open;
    }
  }

  /**
   * Until the ALTER waits for FLUSH TABLES WITH READ LOCK's release (MariaDB's FTWRL is a backup
   * lock).
   */
  private static void awaitWaitingForTheLock(SandboxServer server) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try (Connection c = server.connect();
        Statement s = c.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                    + " WHERE INFO LIKE 'ALTER TABLE t ADD COLUMN b%' AND (STATE LIKE"
                    + " 'Waiting for global read lock%' OR STATE LIKE 'Waiting for backup lock%')")) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(10); // polling interval, not a timing assumption
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new AssertionError("no statement waited for the global read lock within 30 s");
  }
}
