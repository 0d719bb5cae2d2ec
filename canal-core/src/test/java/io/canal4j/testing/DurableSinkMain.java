package io.canal4j.testing;

import io.canal4j.Canal;
import io.canal4j.Committer;
import io.canal4j.DdlEvent;
import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.RowAction;
import io.canal4j.RowsEvent;
import io.canal4j.SavePolicy;
import io.canal4j.SnapshotMethod;
import io.canal4j.XidEvent;
import io.canal4j.schema.Position;
import io.canal4j.testkit.ReplicaWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * A canal in its own JVM whose handler keeps only what it made durable: it applies the workload
 * tables' events to their replicas in one open replica transaction and commits that transaction
 * only at a save point ({@code onPosSynced}, automatic commit) or, with manual commit, on its own
 * schedule, after which it commits the position of the last event it applied. A SIGKILL rolls the
 * open transaction back, as a crash loses a sink's unflushed buffer.
 *
 * <p>Args: host port user password database positionFile snapshotThreads snapshotMethod
 * (POINT|WATERMARKS) commit (AUTO|MANUAL).
 *
 * <p>With {@code -Dcanal4j.sink.faults=true} (the fault suite) it runs as a user would deploy it:
 * the default save policy, the replicas on another server ({@code canal4j.sink.host}, {@code
 * .port}, {@code .database}; same user and password), the tables in {@code canal4j.sink.tables},
 * columns the replicas lack skipped, and a line {@code tx <transaction id>} for every transaction
 * instead of the {@code applied} lines.
 */
public final class DurableSinkMain {
  private DurableSinkMain() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String db = args[4];
    boolean manual = args[8].equals("MANUAL");
    boolean faults = Boolean.getBoolean("canal4j.sink.faults");
    String[] tables = System.getProperty("canal4j.sink.tables", "workload_a,workload_b").split(",");
    Connection replica =
        DriverManager.getConnection(
            CanalTesting.jdbcUrl(
                System.getProperty("canal4j.sink.host", host),
                Integer.parseInt(System.getProperty("canal4j.sink.port", String.valueOf(port))),
                System.getProperty("canal4j.sink.database", db)),
            args[2],
            args[3]);
    replica.setAutoCommit(false);
    ReplicaWriter writer = ReplicaWriter.create(replica, tables);
    if (faults) {
      writer.skippingColumnsNotInReplica();
    }
    Sink sink = new Sink(replica, writer, manual, faults);
    Canal.Builder builder =
        Canal.builder()
            .name("durable")
            .host(host)
            .port(port)
            .user(args[2])
            .password(args[3])
            .include(db + "\\.workload_.*")
            .exclude(db + "\\..*_replica")
            .snapshotThreads(Integer.parseInt(args[6]))
            .snapshotMethod(SnapshotMethod.valueOf(args[7]))
            .snapshotChunkRows(1_000)
            .positionStore(PositionStore.file(Path.of(args[5])))
            .snapshotProgress(
                p -> {
                  if (p.done()) {
                    System.out.println("snapshot done");
                  }
                })
            .handler(sink);
    if (!faults) {
      builder.savePolicy(SavePolicy.everyCommit()); // as many save points as there can be
    }
    if (manual) {
      builder.manualCommit();
    }
    Canal canal = builder.build();
    canal.start();
    System.out.println("started");
    canal.termination().join();
  }

  /** The handler: applies in an open transaction, commits it only when it may. */
  private static final class Sink implements EventHandler {
    private final Connection replica;
    private final ReplicaWriter writer;
    private final boolean manual;
    private final boolean faults;
    private Committer committer;
    private long applied;
    private long snapshotRows;
    private long unflushed;
    private long lastFlushNanos = System.nanoTime();

    Sink(Connection replica, ReplicaWriter writer, boolean manual, boolean faults) {
      this.replica = replica;
      this.writer = writer;
      this.manual = manual;
      this.faults = faults;
    }

    @Override
    public void onStart(Committer c) {
      committer = c;
    }

    @Override
    public void onRow(RowsEvent event) throws Exception {
      ReplicaApplier.apply(writer, event);
      applied += event.changes().size();
      unflushed += event.changes().size();
      if (!faults) {
        System.out.println("applied " + applied);
      }
      if (event.action() == RowAction.SNAPSHOT) {
        snapshotRows += event.changes().size();
        System.out.println("snapshot rows " + snapshotRows);
        maybeFlush(event.position()); // a SNAPSHOT event's position may be committed
      }
    }

    @Override
    public void onXid(XidEvent event) throws Exception {
      if (faults) {
        System.out.println("tx " + event.transaction());
      }
      maybeFlush(event.position());
    }

    @Override
    public void onDdl(DdlEvent event) throws Exception {
      maybeFlush(event.position());
    }

    @Override
    public void onPosSynced(Position position, boolean force) throws Exception {
      if (!manual) {
        flush(null); // everything given so far becomes durable before the canal saves
      }
      if (force) {
        System.out.println("synced " + position);
      }
    }

    /** Manual commit: flushes every 1,000 rows or 100 ms, and commits what it flushed. */
    private void maybeFlush(Position committable) throws Exception {
      if (manual && (unflushed >= 1_000 || System.nanoTime() - lastFlushNanos >= 100_000_000L)) {
        flush(committable);
      }
    }

    private void flush(Position committable) throws Exception {
      replica.commit();
      unflushed = 0;
      lastFlushNanos = System.nanoTime();
      if (committable != null) {
        committer.commit(committable);
      }
      System.out.println("durable " + applied);
    }
  }
}
