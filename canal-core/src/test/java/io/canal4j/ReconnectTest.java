package io.canal4j;

import static io.canal4j.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TcpProxy;
import io.canal4j.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
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
          Canal.builder()
              .snapshotMode(SnapshotMode.NEVER) // streaming tests; SnapshotTest covers the snapshot
              .name("reconnect")
              .host(proxy.host())
              .port(proxy.port())
              .user(server.user())
              .password(server.password())
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
        List<Long> ids =
            handler.rows.stream()
                .flatMap(r -> r.changes().stream())
                .map(c -> c.after().getLong("id"))
                .distinct()
                .toList();
        assertEquals(LongStream.rangeClosed(1, id).boxed().toList(), ids, "nothing lost, in order");
        assertTrue(proxy.totalConnections() > BATCHES, "reconnected after each cut");
      }
    }
  }
}
