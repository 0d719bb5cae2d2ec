package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.ServerException;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testkit.MariaDbSandbox;
import io.canal4j.testkit.MySqlSandbox;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With binlog_row_image=MINIMAL the canal refuses to start unless allowed, and when allowed a
 * column left out of an image is absent: distinct from NULL.
 */
class PartialRowImageTest {

  private static SandboxServer minimal(ServerFlavor flavor) {
    return (flavor == ServerFlavor.MARIADB
            ? MariaDbSandbox.builder().name("minimal").serverOption("binlog-row-image", "MINIMAL")
            : MySqlSandbox.builder().name("minimal").serverOption("binlog-row-image", "MINIMAL"))
        .start();
  }

  @ParameterizedTest
  @EnumSource(ServerFlavor.class)
  void minimalRowImage_refusedUnlessAllowed_thenAbsentIsNotNull(ServerFlavor flavor)
      throws Exception {
    try (SandboxServer server = minimal(flavor);
        TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT)");
      Canal refused =
          CanalTesting.canalFor(server, "strict").handler(new EventHandler() {}).build();
      refused.start();
      CompletionException e =
          assertThrows(
              CompletionException.class,
              () -> {
                try {
                  refused.termination().get(15, TimeUnit.SECONDS);
                } catch (ExecutionException x) {
                  throw new CompletionException(x.getCause());
                }
              });
      assertTrue(e.getCause() instanceof ServerException, String.valueOf(e.getCause()));
      assertTrue(e.getCause().getMessage().contains("binlog_row_image is MINIMAL"));
      assertTrue(e.getCause().getMessage().contains("allowPartialRowImages()"));

      RecordingHandler h = new RecordingHandler();
      try (Canal canal =
          CanalTesting.canalFor(server, "partial")
              .include(db.name() + "\\.t")
              .allowPartialRowImages()
              .handler(h)
              .build()) {
        canal.start();
        await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
        db.execute("INSERT INTO t VALUES (1, NULL, 5)", "UPDATE t SET b = 6 WHERE id = 1");
        await("insert and update", Duration.ofSeconds(20), () -> h.rowCount() == 2);
        RowChange update = h.rows.get(1).changes().get(0);
        assertTrue(update.before().isPresent("id"), "MINIMAL keeps the key in the before image");
        assertFalse(update.before().isPresent("a"), "an unchanged column is absent");
        assertThrows(IllegalStateException.class, () -> update.before().get("a"));
        assertTrue(update.after().isPresent("b"));
        assertEquals(6, update.after().get("b"));
        assertFalse(update.after().isPresent("a"));
        Row inserted = h.rows.get(0).changes().get(0).after();
        assertTrue(inserted.isPresent("a"), "an insert names every column it set");
        assertNull(inserted.get("a"), "present and NULL");
      }
    }
  }
}
