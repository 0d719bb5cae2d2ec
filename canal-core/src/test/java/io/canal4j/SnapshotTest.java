package io.canal4j;

import static io.canal4j.testing.ForkedOutput.applied;
import static io.canal4j.testing.ForkedOutput.appliedAfter;
import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.ConfigurationException;
import io.canal4j.error.ServerException;
import io.canal4j.schema.Position;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testing.ReplicaApplier;
import io.canal4j.testkit.ForkedJvm;
import io.canal4j.testkit.ReplicaCheck;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.SandboxServers;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TcpProxy;
import io.canal4j.testkit.TestDatabase;
import io.canal4j.testkit.Workload;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dump then sync: existing rows arrive as SNAPSHOT rows read at one point, then the binlog from
 * exactly that point, while writers keep changing the tables; the replica rebuilt from the events
 * equals the source.
 */
class SnapshotTest {
  private static final String[] TABLES = {"workload_a", "workload_b"};

  /**
   * Rows per table before the replica test's snapshot: five chunks of 3,000 per table (ten in all,
   * more than the most readers), so every combination reads several chunks while the writers write.
   * Scale is shown by SnapshotMemoryTest (a table several times the heap); {@code
   * -Dcanal4j.test.snapshotRows=100000} runs this one at scale too.
   */
  private static final int ROWS_PER_TABLE = Integer.getInteger("canal4j.test.snapshotRows", 15_000);

  /** Rows per table for the kill -9 tests, which count chunks rather than scale. */
  private static final int KILL_ROWS_PER_TABLE = 20_000;

  /**
   * The writers' rate in the kill tests: the forked canal applies every change one statement at a
   * time, so unthrottled writers would leave it minutes of catching up after each restart.
   */
  private static final int KILL_WRITES_PER_SECOND = 300;

  // The kill and cut tests below run on both() only, to keep the build's time: on MariaDB 11.4 the
  // durable-sink crash test kills canals during the snapshot in every method.
  static Stream<Arguments> serversAndReaders() {
    return SandboxServers.all()
        .flatMap(
            s ->
                Stream.of(
                    Arguments.of(s, 1, SnapshotReader.JDBC, SnapshotMethod.POINT),
                    Arguments.of(s, 4, SnapshotReader.JDBC, SnapshotMethod.POINT),
                    Arguments.of(s, 1, SnapshotReader.DUMP_TOOL, SnapshotMethod.AUTO),
                    Arguments.of(s, 1, SnapshotReader.JDBC, SnapshotMethod.WATERMARKS),
                    Arguments.of(s, 4, SnapshotReader.JDBC, SnapshotMethod.WATERMARKS)));
  }

  private static Canal.Builder canal(SandboxServer server, TestDatabase db, String name) {
    return asUser(server, db, name).user(server.user()).password(server.password());
  }

  private static Canal.Builder asUser(SandboxServer server, TestDatabase db, String name) {
    return Canal.builder()
        .name(name)
        .host(server.host())
        .port(server.port())
        .include(db.name() + "\\.workload_[a-d]")
        .snapshotChunkRows(3_000);
  }

  /** Both tables with {@link #KILL_ROWS_PER_TABLE} rows each, and their empty replicas. */
  private static void prefillWithReplicas(Connection c) throws Exception {
    for (String t : TABLES) {
      prefill(c, t, KILL_ROWS_PER_TABLE);
    }
    new ReplicaApplier(c, TABLES); // creates the replica tables
  }

  static void prefill(Connection c, String table, int rows) throws Exception {
    Workload.createStandardTable(c, table);
    try (Statement s = c.createStatement()) {
      for (int from = 1; from <= rows; from += 1000) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = from; i < from + 1000 && i <= rows; i++) {
          sql.append(i == from ? "" : ", ")
              .append('(')
              .append(i * 3L)
              .append(", ")
              .append(i % 97)
              .append(", 'row ")
              .append(i)
              .append(" é€😀', ")
              .append(BigDecimal.valueOf(i, 2))
              .append(", '2024-02-29 12:34:56.789012')");
        }
        s.execute(sql.toString());
      }
    }
  }

  @ParameterizedTest(name = "{0}, {1} reader(s), {2}, {3}")
  @MethodSource("serversAndReaders")
  void snapshotThenStream_whileWritersWrite_replicaEqualsSource(
      SandboxServer server, int readers, SnapshotReader reader, SnapshotMethod method)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      for (String t : TABLES) {
        prefill(c, t, ROWS_PER_TABLE);
      }
      ReplicaApplier applier = new ReplicaApplier(c, TABLES).batched();
      List<Position> forced = new CopyOnWriteArrayList<>();
      AtomicBoolean lastChunk = new AtomicBoolean();
      AtomicReference<Workload> running = new AtomicReference<>();
      boolean[] waited = {false};
      EventHandler handler =
          new EventHandler() {
            @Override
            public void onRow(RowsEvent event) throws Exception {
              if (!waited[0] && event.action() == RowAction.SNAPSHOT) {
                // Writers commit while the snapshot is in flight, after its point.
                waited[0] = true;
                long before = running.get().counts().transactions();
                await(
                    "writes during the snapshot",
                    Duration.ofSeconds(30),
                    () -> running.get().counts().transactions() >= before + 20);
              }
              applier.onRow(event);
            }

            @Override
            public void onPosSynced(Position position, boolean force) {
              if (force && lastChunk.get()) {
                forced.add(position); // the handoff, after the last chunk
              }
            }
          };
      Canal.Builder builder =
          canal(server, db, "snapshot")
              .snapshotThreads(readers)
              .snapshotReader(reader)
              .snapshotMethod(method)
              .snapshotProgress(p -> lastChunk.set(p.done()))
              .handler(handler);
      if (reader == SnapshotReader.DUMP_TOOL) {
        builder.dumpTool(SandboxServers.dumpTool());
      }
      try (Workload writers =
              Workload.builder(db).tables(TABLES).createTables(false).build().start();
          Canal canal = builder.build()) {
        running.set(writers);
        canal.start();
        await("the snapshot's handoff", Duration.ofSeconds(120), () -> !forced.isEmpty());
        assertTrue(waited[0], "the snapshot delivered rows");
        writers.stop();
        writers.runTransactions(50); // and more after the handoff
        CanalTesting.awaitCaughtUp(canal, server);
      }
      for (String t : TABLES) {
        ReplicaCheck.assertEqual(db, t, applier.writer.replicaTable(t));
      }
      assertTrue(applier.rowsApplied >= 2L * ROWS_PER_TABLE, "every existing row was delivered");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void snapshotOnly_deliversTheRows_savesThePoint_andStops(SandboxServer server, @TempDir Path dir)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      prefill(c, "workload_a", 2_500);
      Workload.createStandardTable(c, "workload_b"); // empty
      db.execute(
          "CREATE TABLE workload_c (a INT, b VARCHAR(5))", // no primary key, duplicate rows
          "INSERT INTO workload_c VALUES (1, 'x'), (1, 'x'), (NULL, NULL)",
          "CREATE TABLE workload_d (g BIGINT UNSIGNED, h VARCHAR(5), PRIMARY KEY (h, g))",
          "INSERT INTO workload_d VALUES (18446744073709551615, 'B'), (0, 'a'), (7, 'a')");
      RecordingHandler h = new RecordingHandler();
      PositionStore store = PositionStore.file(dir.resolve("pos"));
      List<SnapshotProgress> progress = new CopyOnWriteArrayList<>();
      try (Canal canal =
          canal(server, db, "snaponly")
              .snapshotMode(SnapshotMode.SNAPSHOT_ONLY)
              .snapshotProgress(progress::add)
              .positionStore(store)
              .handler(h)
              .build()) {
        canal.start();
        canal.termination().get(60, TimeUnit.SECONDS);
        assertEquals(CanalState.STOPPED, canal.state());
      }
      assertEquals(2_506, h.rowCount());
      // 3,000-row chunks: one per table (2,500 rows, empty, no key, 3 rows).
      assertEquals(4, progress.size(), progress.toString());
      SnapshotProgress last = progress.get(progress.size() - 1);
      assertTrue(last.done(), last.toString());
      assertEquals(2_506, last.rows());
      List<String> small = new ArrayList<>();
      for (RowsEvent e : h.rows) {
        if (e.tableId().table().compareTo("workload_c") >= 0) {
          e.changes().forEach(ch -> small.add(e.tableId().table() + " " + ch.after().toMap()));
        }
      }
      assertEquals(
          List.of(
              "workload_c {a=1, b=x}",
              "workload_c {a=1, b=x}",
              "workload_c {a=null, b=null}",
              "workload_d {g=0, h=a}",
              "workload_d {g=7, h=a}",
              "workload_d {g=18446744073709551615, h=B}"),
          small,
          "one reader: table by table, in key order (the collation's for h), a table without a"
              + " key in the server's order");
      assertEquals(h.rows.get(0).position().binlogPoint(), last.point());
      assertEquals(0, h.rows.get(0).position().snapshotMark(), "no chunk delivered before it");
      assertEquals(
          3,
          h.rows.get(h.rows.size() - 1).position().snapshotMark(),
          "the last event's mark counts the chunks delivered before it");
      assertTrue(h.rows.stream().allMatch(r -> r.action() == RowAction.SNAPSHOT));
      assertTrue(h.xids.isEmpty(), "nothing streamed");
      Position point = h.rows.get(0).position().binlogPoint();
      assertEquals(point, store.load().orElseThrow().position(), "the point is saved");
      assertTrue(h.synced.contains(point), "onPosSynced(point) at the handoff");

      // A saved position: SNAPSHOT_ONLY has nothing to do; INITIAL resumes streaming.
      RecordingHandler again = new RecordingHandler();
      try (Canal canal =
          canal(server, db, "snaponly2")
              .snapshotMode(SnapshotMode.SNAPSHOT_ONLY)
              .positionStore(store)
              .handler(again)
              .build()) {
        canal.start();
        canal.termination().get(60, TimeUnit.SECONDS);
      }
      assertEquals(0, again.rowCount());
      db.execute("UPDATE workload_a SET k = k + 1 WHERE id = 3");
      RecordingHandler streaming = new RecordingHandler();
      try (Canal canal =
          canal(server, db, "resumes").positionStore(store).handler(streaming).build()) {
        canal.start();
        await("the update", Duration.ofSeconds(30), () -> streaming.rowCount() == 1);
        assertEquals(RowAction.UPDATE, streaming.rows.get(0).action(), "no second snapshot");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void dumpTool_runsTheNamedExecutable_andReadsATableWithoutAKey(
      SandboxServer server, @TempDir Path dir) throws Exception {
    Path calls = dir.resolve("calls");
    Path wrapper = dir.resolve("my-dump");
    Files.writeString(
        wrapper,
        "#!/bin/sh\necho \"$@\" >> '"
            + calls
            + "'\nexec '"
            + SandboxServers.dumpTool()
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE workload_c (a INT, b VARCHAR(5))",
          "INSERT INTO workload_c VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (2, 'y')");
      RecordingHandler h = new RecordingHandler();
      try (Canal canal =
          canal(server, db, "dumptool")
              .snapshotMode(SnapshotMode.SNAPSHOT_ONLY)
              .snapshotReader(SnapshotReader.DUMP_TOOL)
              .dumpTool(wrapper)
              .handler(h)
              .build()) {
        canal.start();
        canal.termination().get(60, TimeUnit.SECONDS);
      }
      List<String> rows = new ArrayList<>();
      for (RowsEvent e : h.rows) {
        assertEquals(RowAction.SNAPSHOT, e.action());
        e.changes().forEach(ch -> rows.add(String.valueOf(ch.after().toMap())));
      }
      Collections.sort(rows);
      assertEquals(
          List.of("{a=1, b=x}", "{a=1, b=x}", "{a=2, b=y}", "{a=null, b=null}"),
          rows,
          "every row of the keyless table, duplicates included");
      String called = Files.readString(calls);
      assertTrue(called.contains("--single-transaction"), "the named tool dumped: " + called);
    }
  }

  @Test
  void dumpTool_thatIsNotExecutable_orWithoutDumpTool_isRefusedAtBuild(@TempDir Path dir)
      throws Exception {
    Path executable = dir.resolve("mariadb-dump");
    Files.writeString(executable, "#!/bin/sh\n");
    Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));
    Canal.Builder missing =
        Canal.builder()
            .host("localhost")
            .user("canal")
            .handler(new RecordingHandler())
            .snapshotReader(SnapshotReader.DUMP_TOOL)
            .dumpTool(dir.resolve("nowhere/mariadb-dump"));
    ConfigurationException e = assertThrows(ConfigurationException.class, missing::build);
    assertTrue(
        e.getMessage().contains("nowhere/mariadb-dump) is not an executable file"), e.getMessage());
    Canal.Builder jdbc =
        Canal.builder()
            .host("localhost")
            .user("canal")
            .handler(new RecordingHandler())
            .dumpTool(executable);
    e = assertThrows(ConfigurationException.class, jdbc::build);
    assertTrue(
        e.getMessage().contains("is run only by snapshotReader(DUMP_TOOL), and the reader is JDBC"),
        e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void manualCommit_theSnapshotCountsAsDelivered_onlyOnceAcknowledgedAfterTheHandoff(
      SandboxServer server, @TempDir Path dir) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      prefill(c, "workload_a", 4_000);
      PositionStore store = PositionStore.file(dir.resolve("pos"));
      AtomicReference<Committer> committer = new AtomicReference<>();
      RecordingHandler h =
          new RecordingHandler() {
            @Override
            public void onStart(Committer c) {
              committer.set(c);
            }

            @Override
            public void onRow(RowsEvent event) throws Exception {
              super.onRow(event);
              if (event.action() == RowAction.SNAPSHOT) {
                committer.get().commit(event.position()); // acknowledging rows, not the handoff
              }
            }
          };
      try (Canal canal =
          canal(server, db, "manual")
              .manualCommit()
              .savePolicy(SavePolicy.everyCommit())
              .positionStore(store)
              .handler(h)
              .build()) {
        canal.start();
        await("the handoff", Duration.ofSeconds(60), () -> !h.synced.isEmpty());
        Position from = h.synced.get(0);
        db.execute("UPDATE workload_a SET k = k + 1 WHERE id = 3");
        await("the update", Duration.ofSeconds(30), () -> h.rowCount() == 4_001);
        Checkpoint pending = store.load().orElseThrow();
        assertTrue(
            pending.snapshotProgress() != null,
            "acknowledgements of SNAPSHOT rows do not finish the snapshot: " + pending);
        committer.get().commit(h.xids.get(h.xids.size() - 1).position());
        db.execute("UPDATE workload_a SET k = k + 1 WHERE id = 6");
        await(
            "the snapshot saved as finished",
            Duration.ofSeconds(30),
            () -> store.load().orElseThrow().snapshotProgress() == null);
        assertTrue(store.load().orElseThrow().position().compareTo(from) > 0);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void anAlterOfATableAlreadyRead_doesNotWaitForTheSnapshotToEnd(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      prefill(c, "workload_a", 5_000);
      prefill(c, "workload_b", 5_000);
      AtomicReference<String> altered = new AtomicReference<>();
      RecordingHandler h =
          new RecordingHandler() {
            @Override
            public void onRow(RowsEvent event) throws Exception {
              super.onRow(event);
              if (event.tableId().table().equals("workload_b") && altered.get() == null) {
                // workload_a was read; the snapshot goes on. An ALTER of it must not wait.
                try (Connection other = db.connect();
                    Statement s = other.createStatement()) {
                  s.execute("SET SESSION lock_wait_timeout = 5");
                  s.execute("ALTER TABLE workload_a ADD COLUMN extra INT");
                  altered.set("done");
                } catch (SQLException e) {
                  altered.set(e.getMessage());
                }
              }
            }
          };
      try (Canal canal =
          canal(server, db, "mdl").snapshotMode(SnapshotMode.SNAPSHOT_ONLY).handler(h).build()) {
        canal.start();
        canal.termination().get(60, TimeUnit.SECONDS);
      }
      if (server.flavor() == ServerFlavor.MYSQL) {
        assertEquals("done", altered.get(), "the ALTER ran while the snapshot held its view");
      } else {
        // MariaDB keeps a transaction's metadata locks past ROLLBACK TO SAVEPOINT (checked on
        // 10.11): the ALTER waits for the snapshot to end, as the README says.
        assertTrue(altered.get().contains("Lock wait timeout"), altered.get());
      }
      assertEquals(10_000, h.rowCount(), "the snapshot is complete either way");
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void never_streamsOnly(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      prefill(c, "workload_a", 100);
      RecordingHandler h = new RecordingHandler();
      try (Canal canal =
          canal(server, db, "never").snapshotMode(SnapshotMode.NEVER).handler(h).build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        db.execute("DELETE FROM workload_a WHERE id = 3");
        await("the delete", Duration.ofSeconds(30), () -> h.rowCount() == 1);
        assertEquals(RowAction.DELETE, h.rows.get(0).action());
      }
    }
  }

  /**
   * A resumed point snapshot loads the remaining tables' columns before it reads them; a column
   * dropped meanwhile from a table it has yet to read fails that read ("Unknown column", or on
   * MySQL "Table definition has changed"). The canal resumes the snapshot by itself at a new point,
   * with the columns as they are then, and the replica equals the source.
   */
  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void aColumnDropped_fromATableNotReadYet_thePointSnapshotResumesByItself(
      SandboxServer server, @TempDir Path dir) throws Exception {
    Path pos = dir.resolve("ddl.pos");
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      for (String t : TABLES) {
        prefill(c, t, 6_000);
      }
      ReplicaApplier applier = new ReplicaApplier(c, TABLES);
      applier.writer.skippingColumnsNotInReplica();
      db.execute("ALTER TABLE workload_b ADD COLUMN extra INT AFTER k");
      // A first canal plans the snapshot and is closed at its first rows.
      AtomicReference<Canal> first = new AtomicReference<>();
      try (Canal canal =
          canal(server, db, "ddl-first")
              .snapshotMethod(SnapshotMethod.POINT)
              .snapshotThreads(1)
              .positionStore(PositionStore.file(pos))
              .handler(
                  new ReplicaApplier(c, TABLES) {
                    @Override
                    public void onRow(RowsEvent event) throws Exception {
                      applier.onRow(event);
                      first.get().close();
                    }
                  })
              .build()) {
        first.set(canal);
        canal.start();
        canal.termination().get(60, TimeUnit.SECONDS);
      }
      assertTrue(
          PositionStore.file(pos).load().orElseThrow().snapshotProgress() != null,
          "a snapshot in progress is saved");
      // The second resumes it, reading workload_a first; workload_b loses the column meanwhile.
      CompletableFuture<Void> drop = new CompletableFuture<>();
      AtomicBoolean done = new AtomicBoolean();
      EventHandler handler =
          new EventHandler() {
            @Override
            public void onRow(RowsEvent event) throws Exception {
              if (!drop.isDone() && event.action() == RowAction.SNAPSHOT) {
                assertEquals("workload_a", event.tableId().table(), "one reader, tables by name");
                new Thread(
                        () -> {
                          try {
                            db.execute("ALTER TABLE workload_b DROP COLUMN extra");
                            drop.complete(null);
                          } catch (Exception e) {
                            drop.completeExceptionally(e);
                          }
                        })
                    .start();
                drop.get(30, TimeUnit.SECONDS); // not held up by the snapshot: b is not read yet
              }
              applier.onRow(event);
            }
          };
      try (Canal canal =
          canal(server, db, "ddl-resumed")
              .snapshotMethod(SnapshotMethod.POINT)
              .snapshotThreads(1)
              .positionStore(PositionStore.file(pos))
              .snapshotProgress(p -> done.set(p.done()))
              .handler(handler)
              .build()) {
        canal.start();
        await(
            "the snapshot's end",
            Duration.ofSeconds(60),
            () -> done.get() || canal.state() == CanalState.FAILED);
        assertEquals(CanalState.RUNNING, canal.state(), "resumed by itself, not stopped");
        db.execute("UPDATE workload_b SET k = k + 1 ORDER BY id LIMIT 5");
        CanalTesting.awaitCaughtUp(canal, server);
      }
      assertTrue(drop.isDone(), "the column was dropped during the snapshot");
      for (String t : TABLES) {
        ReplicaCheck.assertEqual(db, t, applier.writer.replicaTable(t));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void withoutReload_autoGoesLockFree_andPointNamesTheGrant(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      prefill(c, "workload_a", 10);
      String user = "noreload_" + db.name();
      server.execute(
          "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'",
          "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO '" + user + "'@'%'");
      try {
        // One reader on MariaDB needs no lock: it works without RELOAD.
        if (server.flavor() == ServerFlavor.MARIADB) {
          RecordingHandler h = new RecordingHandler();
          try (Canal canal =
              asUser(server, db, "lockfree").user(user).password("pw").handler(h).build()) {
            canal.start();
            await("the rows", Duration.ofSeconds(30), () -> h.rowCount() == 10);
          }
        }
        // Several readers without RELOAD: AUTO takes the lock-free watermark snapshot.
        RecordingHandler h = new RecordingHandler();
        AtomicBoolean done = new AtomicBoolean();
        try (Canal canal =
            asUser(server, db, "auto")
                .user(user)
                .password("pw")
                .snapshotThreads(2)
                .snapshotProgress(p -> done.set(p.done()))
                .handler(h)
                .build()) {
          canal.start();
          await("the rows", Duration.ofSeconds(30), () -> done.get() && h.rowCount() == 10);
          assertEquals(CanalState.RUNNING, canal.state());
        }
        try (Canal canal =
            asUser(server, db, "locked")
                .user(user)
                .password("pw")
                .snapshotThreads(2)
                .snapshotMethod(SnapshotMethod.POINT)
                .handler(new RecordingHandler())
                .build()) {
          canal.start();
          ExecutionException e =
              assertThrows(
                  ExecutionException.class, () -> canal.termination().get(60, TimeUnit.SECONDS));
          ServerException s = assertInstanceOf(ServerException.class, e.getCause());
          assertTrue(
              s.getMessage().contains("GRANT RELOAD ON *.* TO '" + user + "'"), s.getMessage());
        }
      } finally {
        server.execute("DROP USER '" + user + "'@'%'");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void aLongWrite_holdsUpTheReadLock_pointFailsNamingTheTimeout_autoGoesLockFree(
      SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect();
        Connection slow = db.connect()) {
      prefill(c, "workload_a", 10);
      long slowId = connectionId(slow);
      CompletableFuture<Void> query =
          CompletableFuture.runAsync(
              () -> {
                try (Statement s = slow.createStatement()) {
                  // A running write holds up the global read lock (a running SELECT would too
                  // on MySQL, and then make every later query of the table wait for it).
                  s.executeUpdate("UPDATE workload_a SET k = k + SLEEP(20) WHERE id = 3");
                } catch (SQLException e) {
                  // killed at the end of the test
                }
              });
      try {
        await(
            "the long query to run",
            Duration.ofSeconds(10),
            () -> processlistHas(c, "UPDATE workload_a SET k = k + SLEEP(20)"));
        try (Canal canal =
            canal(server, db, "lockwait")
                .snapshotThreads(2)
                .snapshotMethod(SnapshotMethod.POINT)
                .snapshotLockTimeout(Duration.ofSeconds(1))
                .handler(new RecordingHandler())
                .build()) {
          canal.start();
          ExecutionException e =
              assertThrows(
                  ExecutionException.class, () -> canal.termination().get(60, TimeUnit.SECONDS));
          ServerException s = assertInstanceOf(ServerException.class, e.getCause());
          assertTrue(s.getMessage().contains("waited 1 s"), s.getMessage());
          assertTrue(s.getMessage().contains("snapshotLockTimeout"), s.getMessage());
        }
        RecordingHandler h = new RecordingHandler();
        AtomicBoolean done = new AtomicBoolean();
        try (Canal canal =
            canal(server, db, "lockwait-auto")
                .snapshotThreads(2)
                .snapshotLockTimeout(Duration.ofSeconds(1))
                .snapshotProgress(p -> done.set(p.done()))
                .handler(h)
                .build()) {
          canal.start();
          await("the rows", Duration.ofSeconds(30), () -> done.get() && h.rowCount() == 10);
          assertFalse(query.isDone(), "the long write was still running");
        }
      } finally {
        server.execute("KILL QUERY " + slowId);
        query.join();
      }
    }
  }

  private static boolean processlistHas(Connection c, String text) {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE '"
                    + text.replace("(", "_").replace(")", "_")
                    + "%'")) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long connectionId(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static Stream<Arguments> serversAndPointReaders() {
    return SandboxServers.both().flatMap(s -> Stream.of(Arguments.of(s, 1), Arguments.of(s, 4)));
  }

  @ParameterizedTest(name = "{0}, {1} reader(s)")
  @MethodSource("serversAndPointReaders")
  void connectionsCut_duringAPointSnapshot_itResumesFromTheCheckpoint_replicaEqualsSource(
      SandboxServer server, int readers) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect();
        TcpProxy proxy = TcpProxy.start(server)) {
      for (String t : TABLES) {
        prefill(c, t, KILL_ROWS_PER_TABLE);
      }
      ReplicaApplier applier = new ReplicaApplier(c, TABLES).batched();
      AtomicLong snapshotRows = new AtomicLong();
      AtomicInteger cuts = new AtomicInteger();
      AtomicBoolean done = new AtomicBoolean();
      EventHandler handler =
          new EventHandler() {
            @Override
            public void onRow(RowsEvent event) throws Exception {
              applier.onRow(event);
              if (event.action() == RowAction.SNAPSHOT) {
                long n = snapshotRows.addAndGet(event.changes().size());
                // Twice during the snapshot, every connection of the canal breaks.
                if ((n >= 8_000 && cuts.get() == 0) || (n >= 20_000 && cuts.get() == 1)) {
                  cuts.incrementAndGet();
                  proxy.cutConnections();
                }
              }
            }
          };
      try (Workload writers =
              Workload.builder(db).tables(TABLES).createTables(false).build().start();
          Canal canal =
              CanalTesting.defaultsFor(proxy, server, "point-cut")
                  .include(db.name() + "\\.workload_[ab]")
                  .snapshotMethod(SnapshotMethod.POINT)
                  .snapshotThreads(readers)
                  .snapshotChunkRows(2_000)
                  .savePolicy(SavePolicy.periodic(Duration.ofMillis(50)))
                  .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                  .snapshotProgress(p -> done.set(p.done()))
                  .handler(handler)
                  .build()) {
        canal.start();
        await("the snapshot", Duration.ofSeconds(120), () -> done.get() || canal.state().isFinal());
        assertEquals(CanalState.RUNNING, canal.state(), "a cut connection is not a failure");
        writers.stop();
        CanalTesting.awaitCaughtUp(canal, server);
      }
      assertEquals(2, cuts.get(), "both cuts happened during the snapshot");
      for (String t : TABLES) {
        ReplicaCheck.assertEqual(db, t, applier.writer.replicaTable(t));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void killMinus9_duringTheSnapshot_thenRestart_replicaConverges(
      SandboxServer server, @TempDir Path dir) throws Exception {
    Path pos = dir.resolve("forked.pos");
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      prefillWithReplicas(c);
      Position first = null;
      try (Workload writers =
          Workload.builder(db)
              .tables(TABLES)
              .createTables(false)
              .transactionsPerSecond(KILL_WRITES_PER_SECOND)
              .build()
              .start()) {
        for (int run = 0; run < 3; run++) {
          try (ForkedJvm jvm =
              CanalTesting.forkCanal(
                  server, db.name(), pos, "forked-snapshot-" + run, run == 1 ? "3" : "1")) {
            if (run < 2) {
              jvm.awaitLine(applied(5_000 + run * 7_000), Duration.ofSeconds(60));
              // Finished chunks count only at a save point the handler saw: kill once one
              // covers some, as a busy machine may take its time to reach it.
              int chunks = 2 + run * 3;
              await(
                  "a save point covering " + chunks + " chunks",
                  Duration.ofSeconds(60),
                  () -> CanalTesting.savedChunks(pos) >= chunks);
              assertTrue(jvm.kill() != 0, "killed with SIGKILL during the snapshot");
              Checkpoint saved = PositionStore.file(pos).load().orElseThrow();
              assertTrue(
                  saved.snapshotProgress() != null,
                  "the first point is saved, marked as a snapshot in progress: " + saved);
              if (first == null) {
                first = saved.position();
              }
              assertEquals(first, saved.position(), "a retaken snapshot keeps the first point");
            } else {
              String resumed =
                  jvm.awaitLine("resuming the snapshot: \\d+ of", Duration.ofSeconds(60));
              Matcher m = Pattern.compile("(\\d+) of (\\d+) chunks").matcher(resumed);
              assertTrue(m.find(), resumed);
              int doneBefore = Integer.parseInt(m.group(1));
              assertTrue(doneBefore >= 5, "chunks finished before the kills count: " + resumed);
              String synced = jvm.awaitLine("synced .*", Duration.ofSeconds(120));
              long reread = Long.parseLong(synced.substring(synced.lastIndexOf(' ') + 1));
              long source = count(c, "workload_a") + count(c, "workload_b");
              assertTrue(
                  reread <= source - (doneBefore - 2) * 2_000L,
                  "finished chunks are not read again: "
                      + reread
                      + " rows read by the last run, "
                      + source
                      + " in the tables, "
                      + resumed);
              await(
                  "the point saved",
                  Duration.ofSeconds(30),
                  () -> PositionStore.file(pos).load().isPresent());
              assertEquals(
                  first,
                  PositionStore.file(pos).load().orElseThrow().position(),
                  "streaming starts from the first snapshot's point");
              jvm.awaitLine(appliedAfter("synced "), Duration.ofSeconds(60));
              assertTrue(jvm.kill() != 0, "killed with SIGKILL while streaming");
            }
          }
        }
        writers.stop();
      }
      ResumeTest.catchUpAndCheck(server, db, pos);
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void killMinus9_duringAWatermarkSnapshot_thenRestart_readsOnlyTheRest_replicaConverges(
      SandboxServer server, @TempDir Path dir) throws Exception {
    Path pos = dir.resolve("forked.pos");
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      prefillWithReplicas(c);
      try (Workload writers =
          Workload.builder(db)
              .tables(TABLES)
              .createTables(false)
              .transactionsPerSecond(KILL_WRITES_PER_SECOND)
              .build()
              .start()) {
        try (ForkedJvm jvm =
            CanalTesting.forkCanal(server, db.name(), pos, "forked-wm-0", "1", "WATERMARKS")) {
          jvm.awaitLine(applied(KILL_ROWS_PER_TABLE / 2), Duration.ofSeconds(60));
          // Chunks count as done only at a save point the handler saw: wait for one that covers
          // some, so the kill below is taken with delivered chunks made durable.
          await(
              "a save point covering 4 delivered chunks",
              Duration.ofSeconds(60),
              () -> CanalTesting.savedChunks(pos) >= 4);
          assertTrue(jvm.kill() != 0, "killed with SIGKILL during the snapshot");
        }
        Checkpoint saved = PositionStore.file(pos).load().orElseThrow();
        assertTrue(
            saved.snapshotProgress() != null
                && saved.snapshotProgress().startsWith("canal4j-watermarks 1 done=")
                && CanalTesting.savedChunks(pos) >= 4,
            "the stream's position is saved with the watermark plan: " + saved);
        try (ForkedJvm jvm =
            CanalTesting.forkCanal(server, db.name(), pos, "forked-wm-1", "3", "WATERMARKS")) {
          String resumed =
              jvm.awaitLine("the lock-free snapshot did not finish", Duration.ofSeconds(60));
          Matcher m = Pattern.compile("the (\\d+) of (\\d+) chunk").matcher(resumed);
          assertTrue(m.find(), resumed);
          int left = Integer.parseInt(m.group(1));
          int all = Integer.parseInt(m.group(2));
          assertTrue(left <= all - 3, "chunks delivered before the kill count: " + resumed);
          String done = jvm.awaitLine("snapshot done, rows read .*", Duration.ofSeconds(120));
          long reread = Long.parseLong(done.substring(done.lastIndexOf(' ') + 1));
          long source = count(c, "workload_a") + count(c, "workload_b");
          assertTrue(
              reread <= source - (all - left - 2) * 2_000L,
              "delivered chunks are not read again: "
                  + reread
                  + " rows read by the second run, "
                  + source
                  + " in the tables, "
                  + resumed);
          jvm.awaitLine(appliedAfter("snapshot done"), Duration.ofSeconds(60));
          assertTrue(jvm.kill() != 0, "killed with SIGKILL while streaming");
        }
        assertEquals(
            null,
            PositionStore.file(pos).load().orElseThrow().snapshotProgress(),
            "the snapshot counts as done once its last chunk was delivered");
        writers.stop();
      }
      ResumeTest.catchUpAndCheck(server, db, pos);
    }
  }

  private static long count(Connection c, String table) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
