package io.canal4j.testing;

import io.canal4j.Canal;
import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.Row;
import io.canal4j.RowAction;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.SnapshotMethod;
import io.canal4j.SnapshotMode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Takes a {@link SnapshotMode#SNAPSHOT_ONLY} snapshot of one table and prints {@code rows <n>
 * checksum <sum> maxHeapMiB <n> seconds <s>}. Run by {@link io.canal4j.SnapshotMemoryTest} in a JVM
 * with a heap far smaller than the table.
 *
 * <p>The handler keeps nothing: each row is folded into the count and into the sum of {@code
 * CRC32(CONCAT_WS('#', <every column>))}, the order-independent checksum the test computes in SQL.
 *
 * <p>Arguments: host, port, user, database, table, snapshot threads, rows per chunk, optionally the
 * snapshot method; the password is the system property {@code canal4j.test.password}.
 */
public final class SnapshotMemoryMain {
  private SnapshotMemoryMain() {}

  public static void main(String[] args) throws Exception {
    long[] rowsAndChecksum = new long[2];
    EventHandler handler =
        new EventHandler() {
          @Override
          public void onRow(RowsEvent event) {
            if (event.action() != RowAction.SNAPSHOT) {
              throw new IllegalStateException("not a snapshot row: " + event);
            }
            for (RowChange change : event.changes()) {
              rowsAndChecksum[0]++;
              rowsAndChecksum[1] += crc(change.after());
            }
          }
        };
    long started = System.nanoTime();
    try (Canal canal =
        oneTable("memory", args)
            .snapshotMode(SnapshotMode.SNAPSHOT_ONLY)
            .snapshotThreads(Integer.parseInt(args[5]))
            .snapshotChunkRows(Integer.parseInt(args[6]))
            .snapshotMethod(SnapshotMethod.valueOf(args.length > 7 ? args[7] : "AUTO"))
            .handler(handler)
            .build()) {
      canal.start();
      canal.termination().get(5, TimeUnit.MINUTES);
    }
    System.out.printf(
        "rows %d checksum %d maxHeapMiB %d seconds %.1f%n",
        rowsAndChecksum[0],
        rowsAndChecksum[1],
        Runtime.getRuntime().maxMemory() >> 20,
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * The memory mains' canal on one table: arguments host, port, user, database, table; the password
   * from {@code canal4j.test.password}; positions kept in memory.
   */
  static Canal.Builder oneTable(String name, String[] args) {
    return Canal.builder()
        .name(name)
        .host(args[0])
        .port(Integer.parseInt(args[1]))
        .user(args[2])
        .password(System.getProperty("canal4j.test.password", ""))
        .include(args[3] + "\\." + args[4])
        .positionStore(PositionStore.inMemory());
  }

  /** CRC32 of the values joined by '#', as the server computes {@code CONCAT_WS('#', ...)}. */
  public static long crc(Row row) {
    CRC32 crc = new CRC32();
    boolean first = true;
    for (int i = 0; i < row.size(); i++) {
      Object value = row.get(i);
      if (value != null) { // CONCAT_WS skips NULLs and their separators
        if (!first) {
          crc.update('#');
        }
        crc.update(value.toString().getBytes(StandardCharsets.UTF_8));
        first = false;
      }
    }
    return crc.getValue();
  }
}
