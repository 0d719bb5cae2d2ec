package io.canal4j.internal.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.Canal;
import io.canal4j.CanalState;
import io.canal4j.DdlEvent;
import io.canal4j.EventHandler;
import io.canal4j.RowAction;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.SnapshotMethod;
import io.canal4j.SnapshotMode;
import io.canal4j.TestHooks;
import io.canal4j.XidEvent;
import io.canal4j.dump.Chunk;
import io.canal4j.error.ServerException;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.Position;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testkit.ReplicaCheck;
import io.canal4j.testkit.ReplicaWriter;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.SandboxServers;
import io.canal4j.testkit.TcpProxy;
import io.canal4j.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lock-free snapshot where it is hard: rows that change after a reader read them and before the
 * stream reached the chunk's high watermark (forced through the reader's test seam, so every chunk
 * meets one), DDL in that window, and servers where it cannot run.
 */
class WatermarkSnapshotTest {
  private static final int ROWS = 3_000;
  private static final int CHUNK = 250;

  /** The test's hook after each chunk read, injected into the canals {@link #builder} makes. */
  private static volatile Consumer<Chunk> afterRead;

  @AfterEach
  void removeSeam() {
    afterRead = null;
  }

  static Stream<Arguments> serversAndReaders() {
    return SandboxServers.both().flatMap(s -> Stream.of(Arguments.of(s, 1), Arguments.of(s, 3)));
  }

  @ParameterizedTest(name = "{0}, {1} reader(s)")
  @MethodSource("serversAndReaders")
  void rowsChangedAfterTheirChunkWasRead_areNotDeliveredStale(SandboxServer server, int readers)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect();
        Connection writer = db.connect()) {
      fill(c, "t");
      ReplicaWriter replica = ReplicaWriter.create(c, "t");
      AtomicLong updatesMade = new AtomicLong();
      AtomicLong updatesSeen = new AtomicLong();
      AtomicLong snapshotRows = new AtomicLong();
      Set<Integer> changedChunks = ConcurrentHashMap.newKeySet();
      // After each chunk's first read: update a row inside it and every tenth row of the table,
      // and wait until the stream has delivered that, so the update is between the chunk's
      // watermarks and already applied downstream when the chunk's rows are due.
      afterRead =
          chunk -> {
            if (!changedChunks.add(chunk.index())) {
              return;
            }
            try {
              long first = chunk.lower() == null ? 1 : ((Number) chunk.lower().get(0)).longValue();
              long mine;
              synchronized (updatesMade) { // commit order = the order the stream sees them
                try (Statement s = writer.createStatement()) {
                  s.execute(
                      "UPDATE t SET v = v + 1 WHERE id = "
                          + (first + 1)
                          + " OR id % 10 = "
                          + chunk.index() % 10);
                }
                mine = updatesMade.incrementAndGet();
              }
              await("the stream to deliver the update", () -> updatesSeen.get() >= mine);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      EventHandler handler =
          new EventHandler() {
            boolean inUpdate;

            @Override
            public void onRow(RowsEvent event) throws Exception {
              apply(replica, event);
              if (event.action() == RowAction.UPDATE) {
                inUpdate = true;
              } else if (event.action() == RowAction.SNAPSHOT) {
                snapshotRows.addAndGet(event.changes().size());
              }
            }

            @Override
            public void onXid(XidEvent event) {
              if (inUpdate) {
                inUpdate = false;
                updatesSeen.incrementAndGet();
              }
            }
          };
      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger chunks = new AtomicInteger();
      try (Canal canal =
          builder(server, db, "wm-stale")
              .snapshotThreads(readers)
              .snapshotProgress(
                  p -> {
                    done.set(p.done());
                    chunks.set(p.chunks());
                  })
              .handler(handler)
              .build()) {
        canal.start();
        await("the snapshot", done::get);
        // Then catch up with everything written so far, the last chunks' updates included.
        Position end = currentPosition(c, server);
        await(
            "catching up to " + end,
            () -> canal.position() != null && canal.position().compareTo(end) >= 0);
      }
      assertEquals(chunks.get(), changedChunks.size(), "every chunk met an update in its window");
      ReplicaCheck.assertEqual(db, "t", replica.replicaTable("t"));
      assertTrue(
          snapshotRows.get() < ROWS,
          "rows the stream changed after their chunk was read were dropped: "
              + snapshotRows.get()
              + " of "
              + ROWS
              + " delivered");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void aDdlBetweenTheWatermarks_readsTheChunkAgain_withTheNewColumns(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect();
        Connection writer = db.connect()) {
      fill(c, "t");
      AtomicBoolean altered = new AtomicBoolean();
      AtomicInteger ddlSeen = new AtomicInteger();
      AtomicInteger oldRowsAfterDdl = new AtomicInteger();
      AtomicLong newRows = new AtomicLong();
      afterRead =
          chunk -> {
            if (chunk.index() != 3 || !altered.compareAndSet(false, true)) {
              return;
            }
            try (Statement s = writer.createStatement()) {
              s.execute("ALTER TABLE t ADD COLUMN extra INT NOT NULL DEFAULT 7");
              await("the stream to deliver the ALTER", () -> ddlSeen.get() > 0);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      EventHandler handler =
          new EventHandler() {
            @Override
            public void onRow(RowsEvent event) {
              if (event.action() != RowAction.SNAPSHOT) {
                return;
              }
              boolean hasExtra = event.table().indexOf("extra") >= 0;
              if (ddlSeen.get() > 0 && !hasExtra) {
                oldRowsAfterDdl.addAndGet(event.changes().size());
              }
              if (hasExtra) {
                for (RowChange ch : event.changes()) {
                  assertEquals(7, ch.after().getInt("extra"));
                }
                newRows.addAndGet(event.changes().size());
              }
            }

            @Override
            public void onDdl(DdlEvent event) {
              ddlSeen.incrementAndGet();
            }
          };
      try (Canal canal =
          builder(server, db, "wm-ddl")
              .snapshotThreads(2)
              .snapshotMode(SnapshotMode.SNAPSHOT_ONLY)
              .handler(handler)
              .build()) {
        canal.start();
        canal.termination().get(120, TimeUnit.SECONDS);
      }
      assertTrue(altered.get());
      assertEquals(0, oldRowsAfterDdl.get(), "no SNAPSHOT row without the column after the ALTER");
      assertTrue(
          newRows.get() >= CHUNK - 1, "the chunk read before the ALTER came again: " + newRows);
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void connectionsCutRightAfterChunkReads_readersAndStreamReconnect_replicaEqualsSource(
      SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect();
        Connection writer = db.connect();
        TcpProxy proxy = TcpProxy.start(server)) {
      fill(c, "t");
      ReplicaWriter replica = ReplicaWriter.create(c, "t");
      // Cut every connection of the canal (readers and stream) right after chunks 2 and 7 were
      // read: that reader's next query fails, and so does the stream.
      Set<Integer> cutAt = ConcurrentHashMap.newKeySet();
      Map<Integer, Integer> cutsAt = new ConcurrentHashMap<>();
      AtomicReference<Canal> running = new AtomicReference<>();
      afterRead =
          chunk -> {
            if ((chunk.index() == 2 || chunk.index() == 7) && cutAt.add(chunk.index())) {
              try {
                // Once streaming: a canal that never connected fails fast instead (a bad setting).
                await(
                    "streaming",
                    () -> running.get() != null && running.get().state() == CanalState.RUNNING);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              cutsAt.put(chunk.index(), proxy.cutConnections());
            }
          };
      AtomicBoolean stop = new AtomicBoolean();
      CompletableFuture<Void> writes =
          CompletableFuture.runAsync(
              () -> {
                Random random = new Random(7);
                try (Statement s = writer.createStatement()) {
                  for (long next = ROWS + 1; !stop.get(); next++) {
                    long id = 1 + random.nextInt(ROWS);
                    switch (random.nextInt(3)) {
                      case 0 -> s.execute("UPDATE t SET v = v + 1 WHERE id = " + id);
                      case 1 -> s.execute("DELETE FROM t WHERE id = " + id);
                      default -> s.execute("INSERT INTO t VALUES (" + next + ", 1)");
                    }
                  }
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      AtomicBoolean done = new AtomicBoolean();
      EventHandler handler =
          new EventHandler() {
            @Override
            public void onRow(RowsEvent event) throws Exception {
              apply(replica, event);
            }
          };
      try (Canal canal =
          CanalTesting.pointedAt(hooked(), proxy, server, "wm-cut")
              .include(db.name() + "\\.t")
              .snapshotMethod(SnapshotMethod.WATERMARKS)
              .snapshotThreads(2)
              .snapshotChunkRows(CHUNK)
              .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
              .snapshotProgress(p -> done.set(p.done()))
              .handler(handler)
              .build()) {
        running.set(canal);
        canal.start();
        await("the snapshot", done::get);
        stop.set(true);
        writes.join();
        Position end = currentPosition(c, server);
        await(
            "catching up to " + end,
            () -> canal.position() != null && canal.position().compareTo(end) >= 0);
        assertEquals(CanalState.RUNNING, canal.state(), "cuts are not failures");
      }
      assertEquals(Set.of(2, 7), cutAt, "both cuts happened during the snapshot");
      // A cut resets what is open: the reader that just read and the stream (the canal is
      // RUNNING) at least. The two readers may read chunks 2 and 7 at the same moment, and then
      // the second cut finds nothing left open, so the count per cut depends on timing; but the
      // larger cut is at least those two.
      int cuts = cutsAt.values().stream().mapToInt(Integer::intValue).sum();
      assertTrue(
          Math.max(cutsAt.get(2), cutsAt.get(7)) >= 2,
          "a reader's and the stream's connections were cut, by chunk: " + cutsAt);
      assertTrue(proxy.totalConnections() > cuts, "and opened again");
      ReplicaCheck.assertEqual(db, "t", replica.replicaTable("t"));
    }
  }

  /** MariaDB 11.4 too: it shows a RENAME to information_schema before its binlog has it. */
  static Stream<Arguments> serversAndMigrations() {
    return SandboxServers.all()
        .flatMap(
            s ->
                Stream.of(
                    Arguments.of(s, "RENAME TABLE t TO t2"),
                    // An ALTER streamed earlier must not end the 11.4 rename wait.
                    Arguments.of(s, "ALTER TABLE t ADD COLUMN z INT; RENAME TABLE t TO t2"),
                    Arguments.of(s, "ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (v, id)")));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("serversAndMigrations")
  void aTableRenamedOrRekeyedMidSnapshot_isPlannedAgain_andEveryRowArrives(
      SandboxServer server, String migration) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect();
        Connection writer = db.connect()) {
      fill(c, "t");
      AtomicBoolean migrated = new AtomicBoolean();
      // Statement i of n runs after the read of a chunk from 3 - n + i on: the last from chunk 2.
      String[] statements = migration.split("; ");
      AtomicInteger next = new AtomicInteger();
      afterRead =
          chunk -> {
            int i = next.get();
            if (i < statements.length
                && chunk.index() >= 3 - statements.length + i
                && next.compareAndSet(i, i + 1)) {
              try (Statement s = writer.createStatement()) {
                s.execute(statements[i]);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              migrated.set(next.get() == statements.length);
            }
          };
      Set<Long> ids = ConcurrentHashMap.newKeySet();
      EventHandler handler =
          new EventHandler() {
            @Override
            public void onRow(RowsEvent event) {
              if (event.action() == RowAction.SNAPSHOT) {
                for (RowChange ch : event.changes()) {
                  ids.add(ch.after().getLong("id"));
                }
              }
            }
          };
      AtomicBoolean done = new AtomicBoolean();
      try (Canal canal =
          builder(server, db, "wm-migrate")
              .snapshotThreads(2)
              .snapshotProgress(p -> done.set(p.done()))
              .handler(handler)
              .build()) {
        canal.start();
        await("the snapshot", done::get);
        assertEquals(CanalState.RUNNING, canal.state());
      }
      assertTrue(migrated.get());
      assertEquals(ROWS, ids.size(), "every row arrived, under the old name or the new");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void aTableWithoutPrimaryKey_isRefused_namingTheFixes(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE nokey (a INT, b VARCHAR(10))");
        s.execute("INSERT INTO nokey VALUES (1, 'x')");
      }
      try (Canal canal = builder(server, db, "wm-nokey").handler(new EventHandler() {}).build()) {
        canal.start();
        ExecutionException e =
            assertThrows(
                ExecutionException.class, () -> canal.termination().get(60, TimeUnit.SECONDS));
        ServerException s = assertInstanceOf(ServerException.class, e.getCause());
        assertTrue(s.getMessage().contains(db.name() + ".nokey"), s.getMessage());
        assertTrue(s.getMessage().contains("Add a primary key"), s.getMessage());
        assertTrue(s.getMessage().contains("snapshotMethod(POINT)"), s.getMessage());
      }
    }
  }

  @Test
  void mysqlWithoutGtids_isRefused_namingGtidModeAndReload() {
    ServerInfo noGtids = new ServerInfo(Flavor.MYSQL, "8.0.31", 8, 0, false, "uuid", "FULL", false);
    ServerException e =
        assertThrows(
            ServerException.class,
            () -> WatermarkChecks.checkPossible(noGtids, "db:3306", "cdc", null));
    assertTrue(e.getMessage().contains("gtid_mode=ON"), e.getMessage());
    assertTrue(e.getMessage().contains("GRANT RELOAD ON *.* TO 'cdc'"), e.getMessage());
    assertFalse(e.isTransient());
  }

  @Test
  void partialRowImages_orAStartWithoutGtids_areRefused_namingTheFix() {
    ServerInfo minimal =
        new ServerInfo(Flavor.MARIADB, "10.11", 10, 11, true, null, "MINIMAL", false);
    ServerException image =
        assertThrows(
            ServerException.class,
            () -> WatermarkChecks.checkPossible(minimal, "db:3306", "cdc", null));
    assertTrue(image.getMessage().contains("binlog_row_image=FULL"), image.getMessage());
    ServerInfo mysql = new ServerInfo(Flavor.MYSQL, "8.0.31", 8, 0, true, "uuid", "FULL", false);
    Position noGtids = Position.of(Flavor.MYSQL, "binlog.000003", 1234);
    ServerException start =
        assertThrows(
            ServerException.class,
            () -> WatermarkChecks.checkPossible(mysql, "db:3306", "cdc", noGtids));
    assertTrue(start.getMessage().contains("no GTID set"), start.getMessage());
    assertTrue(WatermarkChecks.possible(mysql, null));
  }

  /** A canal builder with the test's {@link #afterRead} hook. */
  private static Canal.Builder hooked() {
    return TestHooks.afterChunkRead(
        Canal.builder(),
        chunk -> {
          Consumer<Chunk> hook = afterRead;
          if (hook != null) {
            hook.accept(chunk);
          }
        });
  }

  private static Canal.Builder builder(SandboxServer server, TestDatabase db, String name) {
    return CanalTesting.pointedAt(hooked(), server, name)
        .include(db.name() + "\\.(t|t2|nokey)")
        .snapshotMethod(SnapshotMethod.WATERMARKS)
        .snapshotChunkRows(CHUNK);
  }

  private static void fill(Connection c, String table) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v INT NOT NULL)");
      StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
      for (int i = 1; i <= ROWS; i++) {
        sql.append(i == 1 ? "" : ", ").append('(').append(i).append(", 0)");
      }
      s.execute(sql.toString());
    }
  }

  /** Applies an event to table t's replica (upserts, so replays and early changes converge). */
  private static void apply(ReplicaWriter replica, RowsEvent event) throws Exception {
    for (RowChange ch : event.changes()) {
      switch (event.action()) {
        case SNAPSHOT, INSERT -> replica.insert("t", ch.after().toMap());
        case UPDATE -> replica.update("t", ch.before().toMap(), ch.after().toMap());
        case DELETE -> replica.delete("t", ch.before().toMap());
      }
    }
  }

  private static Position currentPosition(Connection c, SandboxServer server) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      rs.next();
      return Position.of(CanalTesting.positionFlavor(server), rs.getString(1), rs.getLong(2));
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5); // polling a condition, not waiting for time to pass
    }
  }
}
