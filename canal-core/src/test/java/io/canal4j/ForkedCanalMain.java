package io.canal4j;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

/**
 * A canal in its own JVM, for kill -9 tests: applies the workload tables to their replicas and
 * prints its progress. Args: host port user password database positionFile.
 */
public final class ForkedCanalMain {
  private ForkedCanalMain() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String db = args[4];
    Connection replica =
        DriverManager.getConnection(
            "jdbc:mysql://"
                + host
                + ":"
                + port
                + "/"
                + db
                + "?useSSL=false&allowPublicKeyRetrieval=true",
            args[2],
            args[3]);
    ReplicaApplier applier =
        new ReplicaApplier(replica, "workload_a", "workload_b") {
          @Override
          public void onRow(RowsEvent event) throws Exception {
            super.onRow(event);
            System.out.println("applied " + rowsApplied);
          }
        };
    Canal canal =
        Canal.builder()
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
