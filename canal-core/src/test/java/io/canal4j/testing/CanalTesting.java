package io.canal4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.canal4j.Canal;
import io.canal4j.CanalState;
import io.canal4j.Checkpoint;
import io.canal4j.PositionStore;
import io.canal4j.SnapshotMode;
import io.canal4j.error.CanalException;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.Position;
import io.canal4j.testkit.ForkedJvm;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TcpProxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the core's server-backed tests. */
public final class CanalTesting {
  private CanalTesting() {}

  /**
   * A streaming canal's builder ({@link SnapshotMode#NEVER}) pointed at the server as root, with a
   * name that says which test it is.
   */
  public static Canal.Builder canalFor(SandboxServer server, String name) {
    return defaultsFor(server, name)
        .snapshotMode(SnapshotMode.NEVER); // streaming tests; SnapshotTest covers the snapshot
  }

  /**
   * As {@link #canalFor(SandboxServer, String)}, but connecting through {@code proxy} (its host and
   * port, the server's user and password), for tests that cut the canal's connections.
   */
  public static Canal.Builder canalFor(TcpProxy proxy, SandboxServer server, String name) {
    return defaultsFor(proxy, server, name)
        .snapshotMode(SnapshotMode.NEVER); // streaming tests; SnapshotTest covers the snapshot
  }

  /** A canal that reads the snapshot, saves its point and stops. */
  public static Canal.Builder snapshotOnlyFor(SandboxServer server, String name) {
    return defaultsFor(server, name).snapshotMode(SnapshotMode.SNAPSHOT_ONLY);
  }

  /** A builder pointed at the server as root and named, every other setting at its default. */
  public static Canal.Builder defaultsFor(SandboxServer server, String name) {
    return pointedAt(Canal.builder(), server, name);
  }

  /** As {@link #defaultsFor(SandboxServer, String)}, connecting through {@code proxy}. */
  public static Canal.Builder defaultsFor(TcpProxy proxy, SandboxServer server, String name) {
    return pointedAt(Canal.builder(), proxy, server, name);
  }

  /**
   * Sets {@code builder}'s name, and its host, port, user and password to the server's root
   * account; for builders that already carry something, such as a {@link io.canal4j.TestHooks}
   * hook.
   */
  public static Canal.Builder pointedAt(Canal.Builder builder, SandboxServer server, String name) {
    return pointedAt(builder, server.host(), server.port(), server, name);
  }

  /** As {@link #pointedAt(Canal.Builder, SandboxServer, String)}, through {@code proxy}. */
  public static Canal.Builder pointedAt(
      Canal.Builder builder, TcpProxy proxy, SandboxServer server, String name) {
    return pointedAt(builder, proxy.host(), proxy.port(), server, name);
  }

  private static Canal.Builder pointedAt(
      Canal.Builder builder, String host, int port, SandboxServer server, String name) {
    return builder.name(name).host(host).port(port).user(server.user()).password(server.password());
  }

  /**
   * A JDBC URL for {@code database} on {@code host:port} as the tests' own connections use it (no
   * TLS, public key retrieval allowed); for the forked mains, which get host and port as arguments
   * rather than a {@link SandboxServer}.
   */
  public static String jdbcUrl(String host, int port, String database) {
    return "jdbc:mysql://"
        + host
        + ":"
        + port
        + "/"
        + database
        + "?useSSL=false&allowPublicKeyRetrieval=true";
  }

  /** Starts a canal and returns the failure it stops with (its state is then FAILED). */
  public static CanalException failureOf(Canal canal) throws Exception {
    canal.start();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> canal.termination().get(60, TimeUnit.SECONDS));
    assertEquals(CanalState.FAILED, canal.state());
    return assertInstanceOf(CanalException.class, e.getCause());
  }

  /** {@link ForkedCanalMain} on the workload tables of {@code db}, logging to target/. */
  public static ForkedJvm forkCanal(
      SandboxServer server, String db, Path pos, String name, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                server.host(),
                String.valueOf(server.port()),
                server.user(),
                server.password(),
                db,
                pos.toString()));
    args.addAll(List.of(more));
    return ForkedJvm.builder(ForkedCanalMain.class)
        .name(name)
        .outputFile(forkedLog(name, server))
        .args(args.toArray(String[]::new))
        .start();
  }

  /**
   * Where a forked JVM's output goes: {@code target/<name>-<server>.log}, named by the server's
   * version as well as its flavor, so that the runs on MariaDB 10.11 and 11.4 keep separate logs.
   */
  public static Path forkedLog(String name, SandboxServer server) {
    return Path.of(
        "target", name + "-" + server.toString().replaceAll("[^A-Za-z0-9.]+", "-") + ".log");
  }

  /** Waits until {@code canal} has streamed everything the server has written so far. */
  public static void awaitCaughtUp(Canal canal, SandboxServer server) throws Exception {
    Position target = currentPosition(server);
    RecordingHandler.await(
        "catching up to " + target,
        Duration.ofSeconds(120),
        () -> canal.position() != null && canal.position().compareTo(target) >= 0);
  }

  /** The server's binlog end position (file and offset, no GTIDs), as a canal's position. */
  public static Position currentPosition(SandboxServer server) throws SQLException {
    String[] end = masterStatus(server);
    return Position.of(positionFlavor(server), end[0], Long.parseLong(end[1]));
  }

  /** The flavor of the server's positions. */
  public static Flavor positionFlavor(SandboxServer server) {
    return server.flavor() == ServerFlavor.MARIADB ? Flavor.MARIADB : Flavor.MYSQL;
  }

  /** The server's binlog end position as {@code file:offset} order key. */
  public static String[] masterStatus(SandboxServer server) throws SQLException {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      rs.next();
      return new String[] {rs.getString(1), rs.getString(2)};
    }
  }

  /**
   * How many chunks the saved checkpoint at {@code pos} counts as done: its snapshot progress's
   * first line reads {@code <header> done=0-14,17}. Zero without a checkpoint or progress.
   */
  public static int savedChunks(Path pos) {
    String progress = PositionStore.file(pos).load().map(Checkpoint::snapshotProgress).orElse(null);
    if (progress == null) {
      return 0;
    }
    String first = progress.lines().findFirst().orElse("");
    String ranges = first.substring(first.indexOf("done=") + "done=".length()).trim();
    int n = 0;
    for (String r : ranges.split(",")) {
      if (r.isEmpty()) {
        continue;
      }
      int dash = r.indexOf('-');
      n +=
          dash < 0
              ? 1
              : Integer.parseInt(r.substring(dash + 1))
                  - Integer.parseInt(r.substring(0, dash))
                  + 1;
    }
    return n;
  }
}
