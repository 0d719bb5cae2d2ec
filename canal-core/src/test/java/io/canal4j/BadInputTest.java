package io.canal4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canal4j.error.CanalException;
import io.canal4j.error.CheckpointException;
import io.canal4j.error.ConfigurationException;
import io.canal4j.error.SchemaException;
import io.canal4j.error.ServerException;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchemaCache;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testkit.MariaDbSandbox;
import io.canal4j.testkit.MySqlSandbox;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.SandboxServers;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input fails within seconds with our own exception naming the cause and the fix. */
class BadInputTest {

  /** Starts the canal and returns what it failed with, within 15 s. */
  private static CanalException failureOf(Canal canal) throws Exception {
    long t0 = System.nanoTime();
    canal.start();
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> {
              try {
                canal.termination().get(15, TimeUnit.SECONDS);
              } catch (ExecutionException x) {
                throw new CompletionException(x.getCause());
              }
            });
    assertEquals(CanalState.FAILED, canal.state());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15));
    return assertInstanceOf(CanalException.class, e.getCause());
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void wrongPassword(SandboxServer server) throws Exception {
    Canal canal =
        Canal.builder()
            .host(server.host())
            .port(server.port())
            .user(server.user())
            .password("not-the-password")
            .handler(new EventHandler() {})
            .build();
    CanalException e = failureOf(canal);
    assertInstanceOf(ServerException.class, e);
    assertTrue(
        e.getMessage().contains("access denied for user '" + server.user() + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("check the user name and password"), e.getMessage());
    assertTrue(!e.getMessage().contains("not-the-password"), "password never in messages");
  }

  @Test
  void refusedPort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Canal canal =
        Canal.builder()
            .host("127.0.0.1")
            .port(port)
            .user("u")
            .handler(new EventHandler() {})
            .build();
    CanalException e = failureOf(canal);
    assertTrue(
        e.getMessage().contains("cannot reach the server at 127.0.0.1:" + port), e.getMessage());
    assertTrue(e.getMessage().contains("check that the server is running"), e.getMessage());
  }

  private static SandboxServer dedicated(
      ServerFlavor flavor, String name, boolean binlog, String format) {
    var builder =
        flavor == ServerFlavor.MARIADB
            ? MariaDbSandbox.builder().name(name).binlog(binlog)
            : MySqlSandbox.builder().name(name).binlog(binlog);
    if (format != null) {
      builder.serverOption("binlog-format", format);
    }
    return builder.start();
  }

  @ParameterizedTest
  @EnumSource(ServerFlavor.class)
  void binlogOff(ServerFlavor flavor) throws Exception {
    try (SandboxServer server = dedicated(flavor, "binlog-off", false, null)) {
      CanalException e =
          failureOf(
              CanalTesting.canalFor(server, "nobinlog").handler(new EventHandler() {}).build());
      assertTrue(e.getMessage().contains("binary logging is off"), e.getMessage());
      assertTrue(e.getMessage().contains("log_bin"), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(ServerFlavor.class)
  void statementFormat(ServerFlavor flavor) throws Exception {
    try (SandboxServer server = dedicated(flavor, "statement", true, "STATEMENT")) {
      CanalException e =
          failureOf(CanalTesting.canalFor(server, "stmt").handler(new EventHandler() {}).build());
      assertTrue(e.getMessage().contains("binlog_format is STATEMENT"), e.getMessage());
      assertTrue(e.getMessage().contains("set binlog_format=ROW"), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void userWithoutReplicationPrivileges(SandboxServer server) throws Exception {
    String user = "noreplication" + System.nanoTime() % 100000;
    server.execute(
        "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'",
        "GRANT SELECT ON *.* TO '" + user + "'@'%'");
    try {
      Canal canal =
          Canal.builder()
              .host(server.host())
              .port(server.port())
              .user(user)
              .password("pw")
              .handler(new EventHandler() {})
              .build();
      CanalException e = failureOf(canal);
      assertTrue(e.getMessage().contains("lacks a privilege"), e.getMessage());
      assertTrue(
          e.getMessage().contains("GRANT REPLICATION SLAVE, REPLICATION CLIENT"), e.getMessage());
    } finally {
      server.execute("DROP USER '" + user + "'@'%'");
    }
  }

  /** Each replication privilege alone (with SELECT) is not enough; the message names the grant. */
  @ParameterizedTest(name = "{0}, only {1}")
  @MethodSource("serversAndOneReplicationPrivilege")
  void userWithOnlyOneReplicationPrivilege(SandboxServer server, String privilege)
      throws Exception {
    String user = "onepriv" + System.nanoTime() % 100000;
    server.execute(
        "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'",
        "GRANT SELECT, " + privilege + " ON *.* TO '" + user + "'@'%'");
    try {
      CanalException e =
          failureOf(
              Canal.builder()
                  .name("onepriv")
                  .host(server.host())
                  .port(server.port())
                  .user(user)
                  .password("pw")
                  .snapshotMode(SnapshotMode.NEVER)
                  .handler(new EventHandler() {})
                  .build());
      assertTrue(e.getMessage().contains("lacks a privilege"), e.getMessage());
      assertTrue(
          e.getMessage().contains("GRANT REPLICATION SLAVE, REPLICATION CLIENT"), e.getMessage());
      assertFalse(e.getMessage().contains("pw'"), "no password in the message: " + e.getMessage());
    } finally {
      server.execute("DROP USER '" + user + "'@'%'");
    }
  }

  static Stream<Arguments> serversAndOneReplicationPrivilege() {
    return SandboxServers.both()
        .flatMap(
            s -> Stream.of("REPLICATION SLAVE", "REPLICATION CLIENT").map(p -> Arguments.of(s, p)));
  }

  /** A server that compresses its binlog is refused at start, naming the setting to turn off. */
  @ParameterizedTest
  @EnumSource(ServerFlavor.class)
  void compressedBinlog(ServerFlavor flavor) throws Exception {
    String option =
        flavor == ServerFlavor.MARIADB ? "log_bin_compress" : "binlog_transaction_compression";
    var builder =
        flavor == ServerFlavor.MARIADB
            ? MariaDbSandbox.builder().name("compressed")
            : MySqlSandbox.builder().name("compressed");
    try (SandboxServer server = builder.serverOption(option, "ON").start()) {
      CanalException e =
          failureOf(
              CanalTesting.canalFor(server, "compressed").handler(new EventHandler() {}).build());
      assertTrue(e.getMessage().contains("the server compresses its binlog"), e.getMessage());
      assertTrue(e.getMessage().contains("set " + option + "=OFF"), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void userWithoutSelect_initialSnapshot_failsNamingTheGrant_insteadOfAnEmptySnapshot(
      SandboxServer server, @TempDir Path dir) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2)");
      String user = "noselect" + System.nanoTime() % 100000;
      server.execute(
          "CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'",
          "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '" + user + "'@'%'");
      Path pos = dir.resolve("noselect.pos");
      try {
        CanalException e =
            failureOf(
                Canal.builder()
                    .name("noselect")
                    .host(server.host())
                    .port(server.port())
                    .user(user)
                    .password("pw")
                    .include(db.name() + "\\.t")
                    .positionStore(PositionStore.file(pos))
                    .handler(new EventHandler() {})
                    .build());
        assertInstanceOf(ConfigurationException.class, e);
        assertTrue(e.getMessage().contains("would read no table"), e.getMessage());
        assertTrue(e.getMessage().contains("[" + db.name() + "\\.t]"), e.getMessage());
        assertTrue(
            e.getMessage().contains("GRANT SELECT ON <db>.* TO '" + user + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("snapshotMode(NEVER)"), e.getMessage());
        assertTrue(
            PositionStore.file(pos).load().isEmpty(),
            "no snapshot is saved as done: a retry reads");
      } finally {
        server.execute("DROP USER '" + user + "'@'%'");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void positionFromAnotherServer_withGtidsThisServerLacks_isRefusedNamingBothSets(
      SandboxServer server, @TempDir Path dir) throws Exception {
    Position end = CanalTesting.currentPosition(server);
    Flavor flavor = CanalTesting.positionFlavor(server);
    // The same file names and server id, but a history this server never wrote: a rebuilt or
    // restored server, or a replica that missed transactions.
    String foreign =
        flavor == Flavor.MARIADB ? "0-1-999999999" : "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5";
    Position elsewhere = end.withGtids(GtidSet.parse(flavor, foreign));
    Path file = dir.resolve("elsewhere.pos");
    PositionStore.file(file).save(Checkpoint.of(elsewhere));
    CanalException e =
        failureOf(
            CanalTesting.canalFor(server, "elsewhere")
                .positionStore(PositionStore.file(file))
                .handler(new EventHandler() {})
                .build());
    assertInstanceOf(ServerException.class, e);
    assertTrue(e.getMessage().contains("has GTIDs " + foreign), e.getMessage());
    assertTrue(e.getMessage().contains("has not executed (it has "), e.getMessage());
    assertTrue(e.getMessage().contains("Point the canal at the server"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void savedPositionInAPurgedBinlogFile_namesTheRetentionSetting(
      SandboxServer server, @TempDir Path dir) throws Exception {
    Flavor flavor = CanalTesting.positionFlavor(server);
    Path file = dir.resolve("purged.pos");
    // A file before the server's first: what PURGE BINARY LOGS leaves a canal that was down.
    PositionStore.file(file).save(Checkpoint.of(Position.of(flavor, "binlog.000000", 4)));
    CanalException e =
        failureOf(
            CanalTesting.canalFor(server, "purged")
                .positionStore(PositionStore.file(file))
                .handler(new EventHandler() {})
                .build());
    assertInstanceOf(ServerException.class, e);
    assertTrue(e.getMessage().contains("binlog.000000, which the server at"), e.getMessage());
    assertTrue(
        e.getMessage().contains("no longer has (its oldest binlog is binlog."), e.getMessage());
    assertTrue(e.getMessage().contains("binlog_expire_logs_seconds"), e.getMessage());
    assertTrue(e.getMessage().contains("onPurgedBinlog(RESNAPSHOT)"), e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void unparseableDdlOnACapturedTable_stopsNamingTheStatementAndTheSetting_orIsSkippedWhenAllowed(
      SandboxServer server) throws Exception {
    // MariaDB's Oracle mode accepts types canal4j's MySQL-dialect parser does not know: a valid
    // statement it cannot parse (none was found for MySQL's own dialect).
    assumeTrue(server.flavor() == ServerFlavor.MARIADB, "sql_mode=ORACLE is MariaDB's");
    try (TestDatabase db = server.createDatabase();
        Connection oracle = db.connect();
        Statement s = oracle.createStatement()) {
      db.execute(
          "CREATE TABLE t (id INT PRIMARY KEY, a INT)", "CREATE TABLE u (id INT PRIMARY KEY)");
      s.execute("SET SESSION sql_mode = 'ORACLE'");
      try (Canal canal = streaming(server, db, "strict").handler(new RecordingHandler()).build()) {
        canal.start();
        RecordingHandler.await(
            "RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        s.execute("ALTER TABLE t ADD COLUMN v VARCHAR2(5)");
        ExecutionException e =
            assertThrows(
                ExecutionException.class, () -> canal.termination().get(30, TimeUnit.SECONDS));
        assertInstanceOf(SchemaException.class, e.getCause());
        String message = e.getCause().getMessage();
        assertTrue(message.contains("cannot apply the DDL statement at"), message);
        assertTrue(message.contains("ALTER TABLE t ADD COLUMN v VARCHAR2(5)"), message);
        assertTrue(message.contains("build the canal with skipUnparseableDdl()"), message);
        assertEquals(CanalState.FAILED, canal.state());
      }

      RecordingHandler h = new RecordingHandler();
      try (Canal canal = streaming(server, db, "lenient").skipUnparseableDdl().handler(h).build()) {
        canal.start();
        RecordingHandler.await(
            "RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        s.execute("ALTER TABLE t ADD COLUMN w VARCHAR2(3)");
        db.execute(
            "INSERT INTO t (id, a, v, w) VALUES (1, 2, 'x', 'y')", "INSERT INTO u VALUES (3)");
        RecordingHandler.await("both rows", Duration.ofSeconds(30), () -> h.rowCount() == 2);
        assertEquals(CanalState.RUNNING, canal.state());
        assertEquals(
            "{id=1, a=2, v=x, w=y}",
            String.valueOf(h.rows.get(0).changes().get(0).after().toMap()),
            "the skipped statement's table is read from information_schema when next needed");
      }
    }
  }

  private static Canal.Builder streaming(SandboxServer server, TestDatabase db, String name) {
    return CanalTesting.canalFor(server, name).include(db.name() + "\\.(t|u)");
  }

  @Test
  void corruptPositionFile(@TempDir Path dir) throws Exception {
    SandboxServer server = SandboxServers.shared(ServerFlavor.MARIADB);
    Path file = dir.resolve("corrupt.pos");
    Files.writeString(
        file, "format=canal4j-checkpoint\nversion=1\nposition=v1;flavor=MARIADB;file=binlog.0000");
    CanalException e =
        failureOf(
            CanalTesting.canalFor(server, "corrupt")
                .positionStore(PositionStore.file(file))
                .handler(new EventHandler() {})
                .build());
    assertInstanceOf(CheckpointException.class, e);
    assertTrue(e.getMessage().contains("position file " + file + " is corrupt"), e.getMessage());
    assertTrue(e.getMessage().contains("Restore it from a backup, or delete it"), e.getMessage());
  }

  /**
   * A position file edited by hand is refused by its checksum; a valid checkpoint (from a store of
   * the user's own, say) whose offset is no event boundary or lies past the file's end (MySQL
   * without GTIDs, where the canal resumes by file and offset) is refused naming the position.
   */
  @Test
  void editedPosition_byHandOrToAnOffsetTheServerCannotStartAt(@TempDir Path dir) throws Exception {
    try (SandboxServer server =
            MySqlSandbox.builder()
                .name("file-offset")
                .serverOption("gtid-mode", "OFF")
                .serverOption("enforce-gtid-consistency", "OFF")
                .start();
        TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      Path file = dir.resolve("edited.pos");
      RecordingHandler handler = new RecordingHandler();
      try (Canal canal =
          CanalTesting.canalFor(server, "edited")
              .include(db.name() + "\\.t")
              .positionStore(PositionStore.file(file))
              .savePolicy(SavePolicy.periodic(Duration.ofMillis(10)))
              .handler(handler)
              .build()) {
        canal.start();
        RecordingHandler.await(
            "RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        db.execute("INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)");
        RecordingHandler.await("rows", Duration.ofSeconds(30), () -> handler.rowCount() >= 2);
      }
      Checkpoint saved = PositionStore.file(file).load().orElseThrow();
      long offset = saved.position().offset();

      String text = Files.readString(file);
      Files.writeString(file, text.replace("offset=" + offset, "offset=" + (offset - 7)));
      CanalException byHand = failureOf(canalAt(server, db, file));
      assertInstanceOf(CheckpointException.class, byHand);
      assertTrue(byHand.getMessage().contains("was edited"), byHand.getMessage());
      assertTrue(byHand.getMessage().contains("Restore it from a backup"), byHand.getMessage());

      for (long edited : new long[] {offset - 7, offset + 1_000_000_000L}) {
        Position at = saved.position().withOffset(saved.position().file(), edited);
        Files.delete(file);
        PositionStore.file(file)
            .save(new Checkpoint(at, saved.schemaHistory(), null, saved.savedAt()));
        CanalException e = failureOf(canalAt(server, db, file));
        assertTrue(e.getMessage().contains("streaming the binlog from " + at), e.getMessage());
        assertTrue(
            e.getMessage().contains("the position is not the start of an event"), e.getMessage());
        assertTrue(e.getMessage().contains("restore a position canal4j saved"), e.getMessage());
      }
    }
  }

  private static Canal canalAt(SandboxServer server, TestDatabase db, Path file) {
    return CanalTesting.canalFor(server, "edited")
        .include(db.name() + "\\.t")
        .positionStore(PositionStore.file(file))
        .handler(new EventHandler() {})
        .build();
  }

  @Test
  void builderMissingRequiredSettings() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> Canal.builder().name("x").build());
    assertEquals(
        "canal x is missing required settings: host (or jdbcUrl), user, handler", e.getMessage());
    ConfigurationException twice =
        assertThrows(ConfigurationException.class, () -> Canal.builder().port(1).port(2));
    assertEquals("port was already set", twice.getMessage());
    ConfigurationException regex =
        assertThrows(ConfigurationException.class, () -> Canal.builder().include("(unclosed"));
    assertEquals("include pattern is not a regex: (unclosed", regex.getMessage());
    ConfigurationException excludeRegex =
        assertThrows(ConfigurationException.class, () -> Canal.builder().exclude("db\\.[t"));
    assertEquals("exclude pattern is not a regex: db\\.[t", excludeRegex.getMessage());
    assertThrows(
        ConfigurationException.class, () -> Canal.builder().host("h").jdbcUrl("jdbc:mysql://h/"));
    ConfigurationException ignored =
        assertThrows(
            ConfigurationException.class,
            () ->
                Canal.builder()
                    .host("h")
                    .user("u")
                    .handler(new EventHandler() {})
                    .schemaCache(TableSchemaCache.informationSchema(() -> null))
                    .skipUnparseableDdl()
                    .build());
    assertTrue(ignored.getMessage().contains("drop skipUnparseableDdl()"), ignored.getMessage());
  }
}
