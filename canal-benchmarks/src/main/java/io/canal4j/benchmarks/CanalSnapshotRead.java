package io.canal4j.benchmarks;

import io.canal4j.Canal;
import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.Row;
import io.canal4j.RowAction;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.SnapshotMethod;
import io.canal4j.SnapshotMode;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the table as a user's initial snapshot would: a {@link Canal} in {@link
 * SnapshotMode#SNAPSHOT_ONLY} mode with an empty in-memory position store, {@code readers} snapshot
 * threads, chunks of {@code chunkRows}, limited to the benchmark's table, and a handler that folds
 * every value of every {@link RowAction#SNAPSHOT} row into a {@link RowSetChecksum}.
 *
 * <p>The measured time runs from {@code Canal.start()} to the handler's return for the last row, so
 * it includes what a snapshot costs besides reading rows: the server checks, opening the readers at
 * one point (with several readers, or on MySQL, under {@code FLUSH TABLES WITH READ LOCK}), schema
 * loading and chunk planning (one pass over the primary key). Saving the point and stopping come
 * after and are left out.
 */
final class CanalSnapshotRead {
  private final Endpoint server;
  private final String properties;
  private final int readers;
  private final int chunkRows;
  private final long expectedRows;
  private final Duration timeout;

  /** The system property that sets canal4j's snapshot method in a reading JVM. */
  static final String METHOD_PROPERTY = "canal4j.bench.method";

  CanalSnapshotRead(
      Endpoint server,
      String properties,
      int readers,
      int chunkRows,
      long expectedRows,
      Duration timeout) {
    this.server = server;
    this.properties = properties;
    this.readers = readers;
    this.chunkRows = chunkRows;
    this.expectedRows = expectedRows;
    this.timeout = timeout;
  }

  ReadResult run(long serverId) throws Exception {
    Handler handler = new Handler(expectedRows);
    Canal canal =
        Canal.builder()
            .name("bench")
            .jdbcUrl("jdbc:mysql://" + server.host() + ":" + server.port() + "/?" + properties)
            .user(server.user())
            .password(server.password())
            .serverId(serverId)
            .include(SnapshotTable.DATABASE + "\\." + SnapshotTable.TABLE)
            .positionStore(PositionStore.inMemory())
            .snapshotMode(SnapshotMode.SNAPSHOT_ONLY)
            .snapshotThreads(readers)
            .snapshotMethod(SnapshotMethod.valueOf(System.getProperty(METHOD_PROPERTY, "AUTO")))
            .snapshotChunkRows(chunkRows)
            .handler(handler)
            .build();
    long started = System.nanoTime();
    canal.start();
    try {
      canal.termination().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("canal failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the snapshot took longer than " + timeout + " (" + handler.rows + " rows so far)", e);
    } finally {
      canal.close();
    }
    if (handler.rows != expectedRows) {
      throw new IllegalStateException(
          "the snapshot delivered " + handler.rows + " rows, the table holds " + expectedRows);
    }
    return new ReadResult(
        handler.rows,
        handler.checksum.value(),
        handler.endNanos - started,
        handler.endNanos - handler.firstRowNanos,
        handler.endCpuNanos - handler.firstRowCpuNanos,
        0);
  }

  /** Runs on the canal's thread; its fields are read after the canal has terminated. */
  private static final class Handler implements EventHandler {
    final RowSetChecksum checksum = new RowSetChecksum();
    private final long expectedRows;
    long rows;
    long firstRowNanos;
    long firstRowCpuNanos;
    long endNanos;
    long endCpuNanos;

    Handler(long expectedRows) {
      this.expectedRows = expectedRows;
    }

    @Override
    public void onRow(RowsEvent event) {
      if (event.action() != RowAction.SNAPSHOT) {
        throw new IllegalStateException("not a snapshot event: " + event);
      }
      if (firstRowNanos == 0) {
        firstRowNanos = System.nanoTime();
        firstRowCpuNanos = ThreadCpu.now();
      }
      for (RowChange change : event.changes()) {
        Row row = change.after();
        checksum.beginRow();
        for (int i = 0, n = row.size(); i < n; i++) {
          checksum.add(row.get(i));
        }
        checksum.endRow();
        rows++;
      }
      if (rows == expectedRows) {
        endNanos = System.nanoTime();
        endCpuNanos = ThreadCpu.now();
      }
    }
  }
}
