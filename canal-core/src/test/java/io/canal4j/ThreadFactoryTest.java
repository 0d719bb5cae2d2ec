package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testing.RecordingThreadFactory;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.SandboxServers;
import io.canal4j.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The user's thread factory makes the canal's thread and its snapshot readers. */
class ThreadFactoryTest {
  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void theCanalThreadAndTheSnapshotReaders_comeFromTheUsersFactory(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
      for (int i = 0; i < 20; i++) {
        db.execute("INSERT INTO t VALUES (" + (i * 100) + ", 1)");
      }
      RecordingThreadFactory factory = new RecordingThreadFactory("users-thread-");
      List<Thread> made = factory.made();
      RecordingHandler handler = new RecordingHandler();
      try (Canal canal =
          CanalTesting.defaultsFor(server, "tf")
              .snapshotMethod(SnapshotMethod.POINT)
              .snapshotThreads(2)
              .snapshotChunkRows(5)
              .include(db.name() + "\\.t")
              .threadFactory(factory)
              .handler(handler)
              .build()) {
        canal.start();
        await("the snapshot", Duration.ofSeconds(60), () -> handler.rows.size() >= 1);
        db.execute("INSERT INTO t VALUES (1, 2)");
        await(
            "the streamed row",
            Duration.ofSeconds(60),
            () -> handler.rows.stream().anyMatch(e -> e.action() == RowAction.INSERT));
      }
      Set<String> names = made.stream().map(Thread::getName).collect(Collectors.toSet());
      // The canal's thread keeps the factory's name; helpers are renamed by role, as daemons.
      assertTrue(names.contains("users-thread-0"), names.toString());
      assertTrue(names.contains("canal-tf-snapshot-0"), names.toString());
      assertTrue(names.contains("canal-tf-snapshot-1"), names.toString());
      assertTrue(
          made.stream()
              .filter(t -> t.getName().startsWith("canal-tf-"))
              .allMatch(Thread::isDaemon));
      assertEquals(
          Set.of("users-thread-0"),
          handler.threads.stream().collect(Collectors.toSet()),
          "the handler is called on the canal's thread, which the factory made");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void theDumpToolsStderrReader_comesFromTheUsersFactory(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1)");
      RecordingThreadFactory factory = new RecordingThreadFactory("users-thread-");
      List<Thread> made = factory.made();
      RecordingHandler handler = new RecordingHandler();
      try (Canal canal =
          CanalTesting.snapshotOnlyFor(server, "tfd")
              .snapshotReader(SnapshotReader.DUMP_TOOL)
              .dumpTool(SandboxServers.dumpTool())
              .include(db.name() + "\\.t")
              .threadFactory(factory)
              .handler(handler)
              .build()) {
        canal.start();
        canal.termination().get(60, TimeUnit.SECONDS);
      }
      assertEquals(1, handler.rowCount());
      Set<String> names = made.stream().map(Thread::getName).collect(Collectors.toSet());
      assertTrue(names.contains("canal-tfd-dump-stderr"), names.toString());
    }
  }
}
