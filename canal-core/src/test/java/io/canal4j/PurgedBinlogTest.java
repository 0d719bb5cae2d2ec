package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.CanalException;
import io.canal4j.error.ConfigurationException;
import io.canal4j.error.ServerException;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The binlog a stopped canal must resume from is purged ({@code PURGE BINARY LOGS} while it is
 * down): {@code onPurgedBinlog} decides between stopping (the default), reading the tables again,
 * and going on from now, and the handler hears of the gap before anything else.
 */
class PurgedBinlogTest {

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void purgedWhileDown_failByDefault_resnapshotOrSkipWhenChosen(
      SandboxServer server, @TempDir Path dir) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1), (2, 2)");
      Path pos = dir.resolve("gap.pos");
      try (Canal canal =
          CanalTesting.canalFor(server, "before-gap")
              .include(db.name() + "\\.t")
              .positionStore(PositionStore.file(pos))
              .handler(new EventHandler() {})
              .build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
      }
      Checkpoint saved = PositionStore.file(pos).load().orElseThrow();
      // While the canal is down: changes it will never stream, then the binlog holding them goes.
      db.execute("INSERT INTO t VALUES (3, 3)", "UPDATE t SET v = 20 WHERE id = 2");
      server.execute("FLUSH BINARY LOGS");
      String current = CanalTesting.masterStatus(server)[0];
      // MariaDB skips, with a warning, a file that a closing binlog dump thread still reads.
      await(
          "the older binlogs purged",
          Duration.ofSeconds(30),
          () -> {
            try {
              server.execute("PURGE BINARY LOGS TO '" + current + "'");
              return oldestBinlog(server).equals(current);
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });

      CanalException failed =
          CanalTesting.failureOf(
              CanalTesting.canalFor(server, "fail")
                  .include(db.name() + "\\.t")
                  .positionStore(PositionStore.file(pos))
                  .handler(new RecordingHandler())
                  .build());
      assertInstanceOf(ServerException.class, failed);
      String m = failed.getMessage();
      assertTrue(m.contains("has purged from its binlog (its oldest binlog, " + current), m);
      assertTrue(m.contains("binlog_expire_logs_seconds"), m);
      assertTrue(m.contains("onPurgedBinlog(RESNAPSHOT)"), m);
      assertTrue(m.contains("onPurgedBinlog(SKIP_TO_CURRENT)"), m);
      assertEquals(saved, PositionStore.file(pos).load().orElseThrow(), "nothing saved");

      // RESNAPSHOT: the gap, then every row as it is now, then the stream from the new point.
      Path again = dir.resolve("resnapshot.pos");
      PositionStore.file(again).save(saved);
      RecordingHandler h = new RecordingHandler();
      try (Canal canal =
          CanalTesting.defaultsFor(server, "resnapshot")
              .include(db.name() + "\\.t")
              .positionStore(PositionStore.file(again))
              .onPurgedBinlog(PurgedBinlogPolicy.RESNAPSHOT)
              .handler(h)
              .build()) {
        canal.start();
        await("the snapshot's handoff", Duration.ofSeconds(30), () -> !h.synced.isEmpty());
        db.execute("INSERT INTO t VALUES (4, 4)");
        await("the insert after it", Duration.ofSeconds(30), () -> h.rowCount() == 4);
        assertEquals(CanalState.RUNNING, canal.state());
      }
      BinlogGap gap = assertInstanceOf(BinlogGap.class, h.events.get(0), "the gap comes first");
      assertEquals(saved.position(), gap.saved());
      assertEquals(current, gap.oldestAvailable().file());
      assertEquals(PurgedBinlogPolicy.RESNAPSHOT, gap.policy());
      assertEquals(Set.of("1=1", "2=20", "3=3"), values(h.rows.subList(0, 1)));
      assertEquals(RowAction.SNAPSHOT, h.rows.get(0).action());
      assertEquals(RowAction.INSERT, h.rows.get(h.rows.size() - 1).action());
      assertEquals(
          null,
          PositionStore.file(again).load().orElseThrow().snapshotProgress(),
          "the new snapshot is saved as done");

      // SKIP_TO_CURRENT: the gap, then only what is written from now on.
      Path skip = dir.resolve("skip.pos");
      PositionStore.file(skip).save(saved);
      RecordingHandler k = new RecordingHandler();
      try (Canal canal =
          CanalTesting.canalFor(server, "skip")
              .include(db.name() + "\\.t")
              .positionStore(PositionStore.file(skip))
              .onPurgedBinlog(PurgedBinlogPolicy.SKIP_TO_CURRENT)
              .handler(k)
              .build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        db.execute("INSERT INTO t VALUES (5, 5)");
        await("the insert", Duration.ofSeconds(30), () -> k.rowCount() == 1);
      }
      BinlogGap skipped = assertInstanceOf(BinlogGap.class, k.events.get(0));
      assertEquals(PurgedBinlogPolicy.SKIP_TO_CURRENT, skipped.policy());
      assertEquals(Set.of("5=5"), values(k.rows));
    }
  }

  @Test
  void resnapshot_withSnapshotModeNever_isRefusedByBuild() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                Canal.builder()
                    .host("h")
                    .user("u")
                    .handler(new EventHandler() {})
                    .snapshotMode(SnapshotMode.NEVER)
                    .onPurgedBinlog(PurgedBinlogPolicy.RESNAPSHOT)
                    .build());
    assertTrue(e.getMessage().contains("snapshotMode(NEVER)"), e.getMessage());
  }

  private static String oldestBinlog(SandboxServer server) throws SQLException {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** "id=v" of every row in the events. */
  private static Set<String> values(List<RowsEvent> events) {
    Set<String> out = new TreeSet<>();
    for (RowsEvent e : events) {
      for (RowChange c : e.changes()) {
        out.add(c.after().get("id") + "=" + c.after().get("v"));
      }
    }
    return out;
  }
}
