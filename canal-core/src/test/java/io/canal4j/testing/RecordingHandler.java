package io.canal4j.testing;

import io.canal4j.BinlogGap;
import io.canal4j.DdlEvent;
import io.canal4j.EventHandler;
import io.canal4j.RotateEvent;
import io.canal4j.RowsEvent;
import io.canal4j.XidEvent;
import io.canal4j.schema.Position;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** Records every callback, in order, for assertions; tests wait on its contents. */
public class RecordingHandler implements EventHandler {
  public final List<Object> events = new CopyOnWriteArrayList<>();
  public final List<RowsEvent> rows = new CopyOnWriteArrayList<>();
  public final List<XidEvent> xids = new CopyOnWriteArrayList<>();
  public final List<DdlEvent> ddls = new CopyOnWriteArrayList<>();
  public final List<Position> synced = new CopyOnWriteArrayList<>();
  public final List<String> threads = new CopyOnWriteArrayList<>();

  @Override
  public void onRow(RowsEvent event) throws Exception {
    threads.add(Thread.currentThread().getName());
    events.add(event);
    rows.add(event);
  }

  @Override
  public void onXid(XidEvent event) throws Exception {
    events.add(event);
    xids.add(event);
  }

  @Override
  public void onDdl(DdlEvent event) throws Exception {
    events.add(event);
    ddls.add(event);
  }

  @Override
  public void onRotate(RotateEvent event) throws Exception {
    events.add(event);
  }

  @Override
  public void onBinlogGap(BinlogGap gap) throws Exception {
    events.add(gap);
  }

  @Override
  public void onPosSynced(Position position, boolean force) throws Exception {
    synced.add(position);
  }

  public int rowCount() {
    return rows.stream().mapToInt(r -> r.changes().size()).sum();
  }

  /** Polls until the condition holds; fails with {@code what} after the timeout. */
  public static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(10); // polling interval, not a timing assumption
    }
  }
}
