package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Position;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Transaction boundaries, save points and lifecycle corners, on both servers. */
class BoundariesTest {

  private static Canal start(Canal.Builder builder) throws InterruptedException {
    Canal canal = builder.build();
    canal.start();
    await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
    return canal;
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void savepointInsideTransaction_doesNotSplitIt(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE other (id INT PRIMARY KEY)");
      RecordingHandler h = new RecordingHandler();
      try (Canal canal =
          start(
              CanalTesting.canalFor(server, "savepoint").include(db.name() + "\\.t").handler(h))) {
        db.execute(
            "BEGIN",
            "INSERT INTO other VALUES (1)",
            "SAVEPOINT s1",
            "INSERT INTO t VALUES (1)",
            "SAVEPOINT s2",
            "INSERT INTO t VALUES (2)",
            "COMMIT");
        await("the commit", Duration.ofSeconds(20), () -> !h.xids.isEmpty());
        assertEquals(1, h.xids.size(), "one transaction, one commit: " + h.events);
        TransactionId tx = h.xids.get(0).transaction();
        assertNotNull(tx.gtid(), "the transaction keeps its GTID");
        assertEquals(2, h.rowCount());
        assertTrue(h.rows.stream().allMatch(r -> r.transaction().equals(tx)), h.rows.toString());
        assertEquals(canal.position(), h.xids.get(0).position());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void ddl_isDelivered_andForcesASave_andLaterRowsUseTheNewSchema(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10))");
      RecordingHandler h = new RecordingHandler();
      PositionStore store = PositionStore.inMemory();
      try (Canal canal =
          start(
              CanalTesting.canalFor(server, "ddl")
                  .include(db.name() + "\\..*")
                  .positionStore(store)
                  .savePolicy(SavePolicy.periodic(Duration.ofHours(1)))
                  .handler(h))) {
        db.execute("INSERT INTO t VALUES (1, 'x')");
        // Read before the ALTER runs: replaying rows older than a DDL needs the schema history
        // of the next issue; today such a row stops the canal with a named mismatch error.
        await("the first row", Duration.ofSeconds(20), () -> h.rowCount() == 1);
        db.execute("ALTER TABLE t ADD COLUMN b INT FIRST", "INSERT INTO t VALUES (7, 2, 'y')");
        await("rows after the DDL", Duration.ofSeconds(20), () -> h.rowCount() >= 2);
        assertEquals(1, h.ddls.size());
        DdlEvent ddl = h.ddls.get(0);
        assertTrue(ddl.statement().contains("ADD COLUMN b INT FIRST"), ddl.statement());
        assertEquals(db.name(), ddl.database());
        assertEquals(List.of(io.canal4j.schema.TableId.of(db.name(), "t")), ddl.tables());
        assertEquals(ddl.position(), store.load().orElseThrow().position(), "forced save at DDL");
        Row after = h.rows.get(1).changes().get(0).after();
        assertEquals(List.of("b", "id", "a"), List.copyOf(after.toMap().keySet()));
        assertEquals(7, after.get("b"));
        assertEquals(2, after.get("id"));
      }
    }
  }

  /**
   * MariaDB's {@code SET STATEMENT ... FOR ALTER TABLE}: the DDL event names its table, and with
   * either schema cache the rows after it have the new column (the information_schema cache forgot
   * the table because the statement's scope is read past the SET).
   */
  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void setStatementForAlter_namesItsTable_andLaterRowsUseTheNewSchema(SandboxServer server)
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        server.flavor() == io.canal4j.testkit.ServerFlavor.MARIADB, "SET STATEMENT is MariaDB's");
    for (boolean informationSchema : new boolean[] {false, true}) {
      try (TestDatabase db = server.createDatabase()) {
        db.execute("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10))");
        RecordingHandler h = new RecordingHandler();
        Canal.Builder builder =
            CanalTesting.canalFor(server, "set-statement").include(db.name() + "\\..*").handler(h);
        if (informationSchema) {
          builder.schemaCache(
              io.canal4j.schema.TableSchemaCache.informationSchema(server::connect));
        }
        try (Canal canal = start(builder)) {
          db.execute("INSERT INTO t VALUES (1, 'x')");
          await("the first row", Duration.ofSeconds(20), () -> h.rowCount() == 1);
          db.execute(
              "SET STATEMENT max_statement_time=60 FOR ALTER TABLE t ADD COLUMN b INT FIRST",
              "INSERT INTO t VALUES (7, 2, 'y')");
          await("rows after the DDL", Duration.ofSeconds(20), () -> h.rowCount() >= 2);
          assertEquals(CanalState.RUNNING, canal.state());
          assertEquals(1, h.ddls.size());
          assertEquals(
              List.of(io.canal4j.schema.TableId.of(db.name(), "t")),
              h.ddls.get(0).tables(),
              "information_schema cache: " + informationSchema);
          Row after = h.rows.get(1).changes().get(0).after();
          assertEquals(List.of("b", "id", "a"), List.copyOf(after.toMap().keySet()));
          assertEquals(7, after.get("b"));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void createTableSelect_deliversDdlAndRows(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE src (id INT PRIMARY KEY, v VARCHAR(5))");
      db.execute("INSERT INTO src VALUES (1, 'a'), (2, 'b')");
      RecordingHandler h = new RecordingHandler();
      try (Canal canal =
          start(CanalTesting.canalFor(server, "ctas").include(db.name() + "\\.copy").handler(h))) {
        db.execute("CREATE TABLE copy (PRIMARY KEY (id)) SELECT id, v FROM src");
        db.execute("INSERT INTO copy VALUES (3, 'c')");
        await("rows of copy", Duration.ofSeconds(20), () -> h.rowCount() >= 3);
        assertTrue(
            h.ddls.stream().anyMatch(d -> d.statement().startsWith("CREATE TABLE")),
            h.events.toString());
        List<Object> ids =
            h.rows.stream()
                .flatMap(r -> r.changes().stream())
                .map(c -> c.after().get("id"))
                .toList();
        assertEquals(List.of(1, 2, 3), ids);
        assertEquals(CanalState.RUNNING, canal.state());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void rotate_isDelivered_andForcesASave(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      RecordingHandler h = new RecordingHandler();
      PositionStore store = PositionStore.inMemory();
      try (Canal canal =
          start(
              CanalTesting.canalFor(server, "rotate")
                  .include(db.name() + "\\.t")
                  .positionStore(store)
                  .savePolicy(SavePolicy.periodic(Duration.ofHours(1)))
                  .handler(h))) {
        String before = CanalTesting.masterStatus(server)[0];
        server.execute("FLUSH BINARY LOGS");
        db.execute("INSERT INTO t VALUES (1)");
        await("the insert", Duration.ofSeconds(20), () -> h.rowCount() == 1);
        RotateEvent rotate =
            h.events.stream()
                .filter(RotateEvent.class::isInstance)
                .map(RotateEvent.class::cast)
                .findFirst()
                .orElseThrow();
        assertTrue(rotate.nextFile().compareTo(before) > 0, rotate.toString());
        assertTrue(
            store.load().orElseThrow().position().file().equals(rotate.nextFile()),
            "forced save at rotate");
        assertEquals(rotate.nextFile(), h.rows.get(0).position().file());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void manualCommit_savedPositionNeverPassesTheAcknowledgedOne(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      Committer[] committer = new Committer[1];
      RecordingHandler h =
          new RecordingHandler() {
            @Override
            public void onStart(Committer c) {
              committer[0] = c;
            }
          };
      PositionStore store = PositionStore.inMemory();
      Canal canal =
          start(
              CanalTesting.canalFor(server, "manual")
                  .include(db.name() + "\\.t")
                  .positionStore(store)
                  .savePolicy(SavePolicy.everyCommit())
                  .manualCommit()
                  .handler(h));
      Position start = store.load().orElseThrow().position();
      for (int i = 1; i <= 4; i++) {
        db.execute("INSERT INTO t VALUES (" + i + ")");
      }
      await("4 commits", Duration.ofSeconds(20), () -> h.xids.size() == 4);
      assertEquals(start, store.load().orElseThrow().position(), "nothing acknowledged yet");
      Position second = h.xids.get(1).position();
      committer[0].commit(second); // e.g. from a sink's flush thread
      canal.close();
      assertEquals(second, store.load().orElseThrow().position());
      assertTrue(h.synced.contains(h.xids.get(3).position()), "close is a forced save point");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void idleOrFilteredStream_stillMovesTheSavedPosition(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE excluded (id INT PRIMARY KEY)");
      RecordingHandler h = new RecordingHandler();
      PositionStore store = PositionStore.inMemory();
      try (Canal canal =
          start(
              CanalTesting.canalFor(server, "idle")
                  .include(db.name() + "\\.t")
                  .positionStore(store)
                  .savePolicy(SavePolicy.periodic(Duration.ofMillis(300)))
                  .heartbeatInterval(Duration.ofMillis(200))
                  .handler(h))) {
        db.execute("INSERT INTO excluded VALUES (1)"); // within 300 ms of the start save
        await("its commit", Duration.ofSeconds(20), () -> h.xids.size() == 1);
        Position end = h.xids.get(0).position();
        // No more transactions: only heartbeats can make the pending position a save point.
        await(
            "a save on the idle stream",
            Duration.ofSeconds(20),
            () -> store.load().orElseThrow().position().equals(end));
        assertEquals(0, h.rowCount(), "nothing of the excluded table delivered");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void closeFromAnotherThread_waitsForTheEventInHand(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      CountDownLatch inHandler = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      RecordingHandler h =
          new RecordingHandler() {
            @Override
            public void onRow(RowsEvent event) throws Exception {
              inHandler.countDown();
              release.await();
              super.onRow(event);
            }
          };
      Canal canal =
          start(CanalTesting.canalFor(server, "closer").include(db.name() + "\\.t").handler(h));
      db.execute("INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)");
      assertTrue(inHandler.await(20, TimeUnit.SECONDS));
      Thread releaser =
          new Thread(
              () -> {
                try {
                  await(
                      "STOPPING",
                      Duration.ofSeconds(20),
                      () -> canal.state() == CanalState.STOPPING);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                release.countDown();
              });
      releaser.start();
      canal.close(); // blocks until the handler has finished its event
      assertEquals(CanalState.STOPPED, canal.state());
      assertEquals(1, h.rowCount(), "the event in hand was finished, nothing after it delivered");
      releaser.join();
      canal.close(); // idempotent
      assertTrue(canal.termination().isDone());
    }
  }
}
