package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.HandlerException;
import io.canal4j.schema.Position;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A handler that throws in the middle of the N-th transaction stops the canal in FAILED with that
 * cause, the saved position stays at the end of transaction N-1, and a restart replays from the
 * start of transaction N.
 */
class HandlerFailureTest {
  private static final int TRANSACTIONS = 10;
  private static final int FAILING = 5; // 1-based
  private static final int ROWS_PER_TX = 3;

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#both")
  void handlerThrowsInNthTransaction_failsAndRestartReplaysThatTransaction(
      SandboxServer server, @TempDir Path dir) throws Exception {
    Path positionFile = dir.resolve("canal.pos");
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, tx INT NOT NULL)");
      RuntimeException boom = new IllegalStateException("boom in transaction " + FAILING);
      int failingId = (FAILING - 1) * ROWS_PER_TX + 2; // the middle row of transaction N
      RecordingHandler first =
          new RecordingHandler() {
            @Override
            public void onRow(RowsEvent event) throws Exception {
              if (event.tableId().table().equals("t")
                  && event.changes().stream().anyMatch(c -> c.after().getLong("id") == failingId)) {
                throw boom;
              }
              super.onRow(event);
            }
          };
      Canal canal =
          CanalTesting.canalFor(server, "failing")
              .include(db.name() + "\\.t")
              .positionStore(PositionStore.file(positionFile))
              .savePolicy(SavePolicy.everyCommit())
              .handler(first)
              .build();
      canal.start();
      await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
      for (int tx = 1; tx <= TRANSACTIONS; tx++) {
        // One row per statement, so the failing row is in the middle of its transaction.
        List<String> sql = new ArrayList<>(List.of("BEGIN"));
        for (int r = 1; r <= ROWS_PER_TX; r++) {
          sql.add(
              "INSERT INTO t (id, tx) VALUES (" + ((tx - 1) * ROWS_PER_TX + r) + ", " + tx + ")");
        }
        sql.add("COMMIT");
        db.execute(sql.toArray(String[]::new));
      }
      CompletionException failed =
          assertThrows(CompletionException.class, () -> canal.termination().join());
      HandlerException e = assertInstanceOf(HandlerException.class, failed.getCause());
      assertSame(boom, e.getCause(), "the handler's own exception is the cause");
      assertTrue(e.getMessage().contains("onRow"), e.getMessage());
      assertEquals(CanalState.FAILED, canal.state());
      canal.close(); // idempotent after failure
      assertEquals(CanalState.FAILED, canal.state());
      assertEquals(FAILING - 1, first.xids.size(), "transactions before N committed");
      Position lastCommitted = first.xids.get(FAILING - 2).position();
      assertTrue(Files.readString(positionFile).contains(lastCommitted.format()), "saved at N-1");

      RecordingHandler second = new RecordingHandler();
      try (Canal again =
          CanalTesting.canalFor(server, "restarted")
              .include(db.name() + "\\.t")
              .positionStore(PositionStore.file(positionFile))
              .handler(second)
              .build()) {
        again.start();
        await(
            "transactions N..10",
            Duration.ofSeconds(30),
            () -> second.xids.size() >= TRANSACTIONS - FAILING + 1);
        RowsEvent firstReplayed = second.rows.get(0);
        assertEquals(
            (FAILING - 1) * ROWS_PER_TX + 1, firstReplayed.changes().get(0).after().getLong("id"));
        assertEquals(lastCommitted.file(), firstReplayed.transaction().begin().file());
        assertEquals(
            lastCommitted.offset(),
            firstReplayed.transaction().begin().offset(),
            "the first replayed transaction starts exactly at the saved position");
        List<Long> ids =
            second.rows.stream()
                .flatMap(r -> r.changes().stream())
                .map(c -> c.after().getLong("id"))
                .toList();
        assertEquals(
            LongStream.rangeClosed((FAILING - 1) * ROWS_PER_TX + 1, TRANSACTIONS * ROWS_PER_TX)
                .boxed()
                .toList(),
            ids);
      }
    }
  }
}
