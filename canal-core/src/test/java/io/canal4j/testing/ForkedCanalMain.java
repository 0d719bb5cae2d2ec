package io.canal4j.testing;

import io.canal4j.Canal;
import io.canal4j.PositionStore;
import io.canal4j.RowAction;
import io.canal4j.RowsEvent;
import io.canal4j.SavePolicy;
import io.canal4j.SnapshotMethod;
import io.canal4j.SnapshotMode;
import io.canal4j.schema.Position;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

/**
 * A canal in its own JVM, for kill -9 tests: applies the workload tables to their replicas and
 * prints its progress. Args: host port user password database positionFile [snapshotThreads]: with
 * the last, a canal without a saved position takes the initial snapshot first.
 */
public final class ForkedCanalMain {
  private ForkedCanalMain() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String db = args[4];
    Connection replica =
        DriverManager.getConnection(CanalTesting.jdbcUrl(host, port, db), args[2], args[3]);
    ReplicaApplier applier =
        new ReplicaApplier(replica, "workload_a", "workload_b") {
          long snapshotRows;

          @Override
          public void onRow(RowsEvent event) throws Exception {
            super.onRow(event);
            if (event.action() == RowAction.SNAPSHOT) {
              snapshotRows += event.changes().size();
            }
            System.out.println("applied " + rowsApplied);
          }

          @Override
          public void onPosSynced(Position position, boolean force) {
            if (force) {
              System.out.println("synced " + position + " after snapshot rows " + snapshotRows);
            }
          }
        }.batched();
    Canal canal =
        Canal.builder()
            .snapshotMode(args.length > 6 ? SnapshotMode.INITIAL : SnapshotMode.NEVER)
            .snapshotThreads(args.length > 6 ? Integer.parseInt(args[6]) : 1)
            .snapshotMethod(args.length > 7 ? SnapshotMethod.valueOf(args[7]) : SnapshotMethod.AUTO)
            .snapshotProgress(
                p -> {
                  if (p.done()) {
                    System.out.println("snapshot done, rows read " + p.rows());
                  }
                })
            .snapshotChunkRows(2_000)
            .name("forked")
            .host(host)
            .port(port)
            .user(args[2])
            .password(args[3])
            .include(db + "\\.workload_.*")
            .exclude(db + "\\..*_replica")
            .positionStore(PositionStore.file(Path.of(args[5])))
            .savePolicy(SavePolicy.periodic(Duration.ofMillis(50)))
            .handler(applier)
            .build();
    canal.start();
    System.out.println("started");
    canal.termination().join();
  }
}
