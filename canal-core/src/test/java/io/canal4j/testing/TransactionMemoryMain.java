package io.canal4j.testing;

import io.canal4j.Canal;
import io.canal4j.CanalState;
import io.canal4j.EventHandler;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.SnapshotMode;
import io.canal4j.XidEvent;
import java.util.concurrent.TimeUnit;

/**
 * Streams one table and, at the first commit that carried rows of it, prints {@code rows <n>
 * checksum <sum> maxHeapMiB <n>} and exits. Run by {@link io.canal4j.TransactionMemoryTest} in a
 * JVM with a heap far smaller than the transaction it streams. The handler keeps nothing: each row
 * is folded into the count and the checksum of {@link SnapshotMemoryMain#crc}.
 *
 * <p>Arguments: host, port, user, database, table; the password is the system property {@code
 * canal4j.test.password}. Prints {@code streaming} once the canal runs.
 */
public final class TransactionMemoryMain {
  private TransactionMemoryMain() {}

  public static void main(String[] args) throws Exception {
    long[] rowsAndChecksum = new long[2];
    EventHandler handler =
        new EventHandler() {
          @Override
          public void onRow(RowsEvent event) {
            for (RowChange change : event.changes()) {
              rowsAndChecksum[0]++;
              rowsAndChecksum[1] += SnapshotMemoryMain.crc(change.after());
            }
          }

          @Override
          public void onXid(XidEvent event) {
            if (rowsAndChecksum[0] > 0) {
              System.out.printf(
                  "rows %d checksum %d maxHeapMiB %d%n",
                  rowsAndChecksum[0], rowsAndChecksum[1], Runtime.getRuntime().maxMemory() >> 20);
              System.out.flush();
              Runtime.getRuntime().halt(0);
            }
          }
        };
    try (Canal canal =
        SnapshotMemoryMain.oneTable("tx-memory", args)
            .snapshotMode(SnapshotMode.NEVER)
            .handler(handler)
            .build()) {
      canal.start();
      while (canal.state() != CanalState.RUNNING) {
        if (canal.state().isFinal()) {
          canal.termination().join(); // throws the failure
        }
        TimeUnit.MILLISECONDS.sleep(10); // polling the state; the test waits on our output
      }
      System.out.println("streaming");
      canal.termination().get(5, TimeUnit.MINUTES);
    }
  }
}
