package io.canal4j.benchmarks;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drains a {@link BinlogRange} with a bare {@link BinaryLogClient}: the baseline. Its listener
 * folds every cell of every row into a {@link Checksum}, the least work a consumer of the connector
 * can do while still looking at each value.
 *
 * <p>By default the connector's default {@link EventDeserializer} decodes the cells (strings as
 * {@code String}, temporal values as {@code java.util.Date}/{@code java.sql.Timestamp}). With
 * {@code raw} its compatibility modes leave text and binary as bytes and temporal values as
 * microseconds: the cheapest decoding the connector offers, and less than canal4j does, which hands
 * out every value in its final type.
 */
final class BareClientDrain {
  private final Endpoint server;
  private final BinlogRange range;
  private final boolean raw;
  private final Duration timeout;

  BareClientDrain(Endpoint server, BinlogRange range, boolean raw, Duration timeout) {
    this.server = server;
    this.range = range;
    this.raw = raw;
    this.timeout = timeout;
  }

  DrainResult run(long serverId) throws Exception {
    BinaryLogClient client =
        new BinaryLogClient(server.host(), server.port(), server.user(), server.password());
    client.setServerId(serverId);
    client.setKeepAlive(false);
    client.setBlocking(true);
    client.setBinlogFilename(range.startFile());
    client.setBinlogPosition(range.startOffset());
    if (raw) {
      EventDeserializer deserializer = new EventDeserializer();
      deserializer.setCompatibilityMode(
          CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
          CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
          CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
      client.setEventDeserializer(deserializer);
    }
    Listener listener = new Listener(range);
    client.registerEventListener(listener);
    client.registerLifecycleListener(
        new BinaryLogClient.AbstractLifecycleListener() {
          @Override
          public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            listener.done.completeExceptionally(ex);
          }

          @Override
          public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
            listener.done.completeExceptionally(ex);
          }
        });

    long started = System.nanoTime();
    Thread reader =
        new Thread(
            () -> {
              try {
                client.connect(); // blocks, reading, until disconnect()
              } catch (IOException | RuntimeException e) {
                listener.done.completeExceptionally(e);
              }
              listener.done.completeExceptionally(
                  new IllegalStateException("the binlog stream ended before the range's end"));
            },
            "bench-bare-client");
    reader.start();
    try {
      listener.done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("bare client failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "bare client did not reach " + range.end() + " within " + timeout, e);
    } finally {
      client.disconnect();
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }
    return new DrainResult(
        listener.rows,
        listener.checksum.value(),
        listener.endNanos - listener.firstRowNanos,
        listener.endNanos - started,
        listener.endCpuNanos - listener.firstRowCpuNanos,
        0);
  }

  /** Runs on the connector's thread; its results are read after {@link #done} completes. */
  private static final class Listener implements BinaryLogClient.EventListener {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final Checksum checksum = new Checksum();
    private final BinlogRange range;
    private String file;
    long rows;
    long firstRowNanos;
    long firstRowCpuNanos;
    long endNanos;
    long endCpuNanos;

    Listener(BinlogRange range) {
      this.range = range;
    }

    @Override
    public void onEvent(Event event) {
      if (done.isDone()) {
        return;
      }
      try {
        EventHeaderV4 header = event.getHeader();
        switch (header.getEventType()) {
          case ROTATE -> file = ((RotateEventData) event.getData()).getBinlogFilename();
          case WRITE_ROWS, EXT_WRITE_ROWS -> {
            firstRow();
            fold(((WriteRowsEventData) event.getData()).getRows());
          }
          case UPDATE_ROWS, EXT_UPDATE_ROWS -> {
            firstRow();
            for (Map.Entry<Serializable[], Serializable[]> change :
                ((UpdateRowsEventData) event.getData()).getRows()) {
              fold(change.getKey());
              fold(change.getValue());
              rows++;
            }
          }
          case DELETE_ROWS, EXT_DELETE_ROWS -> {
            firstRow();
            fold(((DeleteRowsEventData) event.getData()).getRows());
          }
          default -> {}
        }
        if (range.reachedBy(file, header.getNextPosition())) {
          endNanos = System.nanoTime();
          endCpuNanos = ThreadCpu.now();
          done.complete(null);
        }
      } catch (RuntimeException e) {
        done.completeExceptionally(e); // the connector would log it and go on
      }
    }

    private void firstRow() {
      if (firstRowNanos == 0) {
        firstRowNanos = System.nanoTime();
        firstRowCpuNanos = ThreadCpu.now();
      }
    }

    private void fold(List<Serializable[]> images) {
      for (Serializable[] image : images) {
        fold(image);
        rows++;
      }
    }

    private void fold(Serializable[] image) {
      for (Serializable cell : image) {
        checksum.add(cell);
      }
    }
  }
}
