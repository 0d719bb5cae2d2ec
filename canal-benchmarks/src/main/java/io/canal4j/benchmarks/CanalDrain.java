package io.canal4j.benchmarks;

import io.canal4j.Canal;
import io.canal4j.Checkpoint;
import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.Row;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.SslMode;
import io.canal4j.XidEvent;
import io.canal4j.schema.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drains a {@link BinlogRange} with a {@link Canal} as a user would run one: default settings (all
 * tables, {@code SavePolicy.periodic(1 s)}, the information_schema schema cache), an in-memory
 * position store seeded with the range's start, and a handler that folds every value of every row
 * image into a {@link Checksum}. The range's end is noticed at the commit that reaches it.
 */
final class CanalDrain {
  private final Endpoint server;
  private final BinlogRange range;
  private final Duration timeout;

  CanalDrain(Endpoint server, BinlogRange range, Duration timeout) {
    this.server = server;
    this.range = range;
    this.timeout = timeout;
  }

  DrainResult run(long serverId) throws Exception {
    PositionStore store = PositionStore.inMemory();
    store.save(new Checkpoint(range.start(), null, null, Instant.now()));
    Handler handler = new Handler(range);
    Canal canal =
        Canal.builder()
            .name("bench")
            .host(server.host())
            .port(server.port())
            .user(server.user())
            .password(server.password())
            .serverId(serverId)
            // The bare client's default is plain TCP: compare the read paths, not encryption.
            .sslMode(SslMode.DISABLED)
            .positionStore(store)
            .handler(handler)
            .build();
    long started = System.nanoTime();
    canal.start();
    try {
      CompletableFuture.anyOf(handler.done, canal.termination())
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("canal failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "canal did not reach "
              + range.end()
              + " within "
              + timeout
              + " (at "
              + canal.position()
              + ")",
          e);
    } finally {
      canal.close();
    }
    if (!handler.done.isDone()) {
      throw new IllegalStateException(
          "canal stopped at " + canal.position() + " before the range's end " + range.end());
    }
    canal.termination().join(); // throws if the canal failed while closing
    return new DrainResult(
        handler.rows,
        handler.checksum.value(),
        handler.endNanos - handler.firstRowNanos,
        handler.endNanos - started,
        handler.endCpuNanos - handler.firstRowCpuNanos,
        0);
  }

  /** Runs on the canal's thread; its results are read after {@link #done} completes. */
  private static final class Handler implements EventHandler {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final Checksum checksum = new Checksum();
    private final BinlogRange range;
    long rows;
    long firstRowNanos;
    long firstRowCpuNanos;
    long endNanos;
    long endCpuNanos;

    Handler(BinlogRange range) {
      this.range = range;
    }

    @Override
    public void onRow(RowsEvent event) {
      if (firstRowNanos == 0) {
        firstRowNanos = System.nanoTime();
        firstRowCpuNanos = ThreadCpu.now();
      }
      for (RowChange change : event.changes()) {
        fold(change.before());
        fold(change.after());
        rows++;
      }
    }

    private void fold(Row row) {
      if (row == null) {
        return;
      }
      for (int i = 0, n = row.size(); i < n; i++) {
        checksum.add(row.get(i));
      }
    }

    @Override
    public void onXid(XidEvent commit) {
      Position at = commit.position();
      // Not Position.compareTo, which parses file names: cheap checks keep the handler's cost low.
      if (!done.isDone() && range.reachedBy(at.file(), at.offset())) {
        endNanos = System.nanoTime();
        endCpuNanos = ThreadCpu.now();
        done.complete(null);
      }
    }
  }
}
