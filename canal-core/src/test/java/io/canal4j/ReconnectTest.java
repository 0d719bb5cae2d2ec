package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testkit.MariaDbSandbox;
import io.canal4j.testkit.MySqlSandbox;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TcpProxy;
import io.canal4j.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** A dropped connection is a transient fault: the canal reconnects and nothing is lost. */
class ReconnectTest {
  private static final int BATCHES = 4;
  private static final int PER_BATCH = 50;

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void cutConnections_reconnectsFromLastTransaction_andDeliversEverything(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        TcpProxy proxy = TcpProxy.start(server)) {
      db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)");
      RecordingHandler handler = new RecordingHandler();
      try (Canal canal =
          CanalTesting.canalFor(proxy, server, "reconnect")
              .include(db.name() + "\\.t")
              .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
              .handler(handler)
              .build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        long id = 0;
        for (int batch = 0; batch < BATCHES; batch++) {
          for (int i = 0; i < PER_BATCH; i++) {
            db.execute("INSERT INTO t VALUES (" + ++id + ")");
          }
          long delivered = id;
          await("batch " + batch, Duration.ofSeconds(30), () -> handler.rowCount() >= delivered);
          assertTrue(proxy.cutConnections() > 0, "the canal's connection went through the proxy");
        }
        assertEquals(CanalState.RUNNING, canal.state(), "a cut connection is not a failure");
        List<Long> ids = distinctIds(handler);
        assertEquals(LongStream.rangeClosed(1, id).boxed().toList(), ids, "nothing lost, in order");
        assertTrue(proxy.totalConnections() > BATCHES, "reconnected after each cut");
      }
    }
  }

  /**
   * The server killed (SIGKILL) and started again 20 s later on the same data: the canal retries
   * with backoff the whole time without failing, then delivers what was written before the kill and
   * after the restart, in order (at least once: a replay after the reconnect may repeat rows).
   */
  @ParameterizedTest
  @EnumSource(ServerFlavor.class)
  void serverKilled_andBackAfter20s_theCanalReconnects_andDeliversEverything(ServerFlavor flavor)
      throws Exception {
    try (SandboxServer server =
            flavor == ServerFlavor.MARIADB
                ? MariaDbSandbox.builder().name("outage").start()
                : MySqlSandbox.builder().name("outage").start();
        TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY)");
      RecordingHandler handler = new RecordingHandler();
      try (Canal canal =
          CanalTesting.canalFor(server, "outage")
              .include(db.name() + "\\.t")
              .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
              .handler(handler)
              .build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        for (int i = 1; i <= PER_BATCH; i++) {
          db.execute("INSERT INTO t VALUES (" + i + ")");
        }
        server.kill();
        long down = System.nanoTime();
        // The outage itself: 20 s during which the canal must keep retrying, never fail.
        await(
            "20 s of outage without a failure",
            Duration.ofSeconds(40),
            () -> {
              if (canal.state().isFinal()) {
                throw new AssertionError(
                    "the canal gave up during the outage: "
                        + canal.state()
                        + ", "
                        + canal.termination());
              }
              return System.nanoTime() - down >= Duration.ofSeconds(20).toNanos();
            });
        server.start();
        for (int i = PER_BATCH + 1; i <= 2 * PER_BATCH; i++) {
          db.execute("INSERT INTO t VALUES (" + i + ")");
        }
        await(
            "every row after the restart",
            Duration.ofSeconds(60),
            () -> distinctIds(handler).size() >= 2 * PER_BATCH);
        assertEquals(CanalState.RUNNING, canal.state(), "an outage is not a failure");
        List<Long> ids = distinctIds(handler);
        assertEquals(
            LongStream.rangeClosed(1, 2 * PER_BATCH).boxed().toList(),
            ids,
            "nothing lost, in order");
      }
    }
  }

  /** The ids delivered, each once, in the order they first arrived. */
  private static List<Long> distinctIds(RecordingHandler handler) {
    return handler.rows.stream()
        .flatMap(r -> r.changes().stream())
        .map(c -> c.after().getLong("id"))
        .distinct()
        .toList();
  }
}
