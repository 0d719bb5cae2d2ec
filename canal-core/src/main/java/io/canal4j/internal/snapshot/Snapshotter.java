package io.canal4j.internal.snapshot;

import io.canal4j.Row;
import io.canal4j.RowAction;
import io.canal4j.SnapshotReader;
import io.canal4j.ZeroDates;
import io.canal4j.dump.Chunk;
import io.canal4j.dump.SnapshotSession;
import io.canal4j.dump.TableReader;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.internal.save.SaveTracker;
import io.canal4j.internal.save.SnapshotPlan;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The initial snapshot: opens readers at one consistent point, reads every streamed table in
 * primary-key chunks, and hands the rows to the handler on the canal's thread as {@link
 * RowAction#SNAPSHOT} events of up to {@value #BATCH} rows.
 *
 * <p>Order: with one reader, table by table (sorted by name), chunk by chunk, in key order. With
 * several, each chunk's rows arrive in key order and together, chunks in the order readers finish
 * them. Memory is bounded by {@code 2 × readers} batches in flight, whatever the table sizes.
 */
public final class Snapshotter {
  public static final int BATCH = 1000;

  private final CanalConfig config;
  private final ServerInfo server;
  private final CanalLog log;
  private final String where;
  private final ConnectionFactory connections;
  private final TableFilter filter;
  private final BooleanSupplier stopRequested;
  private final boolean zeroDatesAsText;
  private final SaveTracker saves;
  private SnapshotPlan plan;
  private Consumer<SnapshotPlan> progress;
  private SnapshotDelivery delivery;

  public Snapshotter(
      CanalConfig config,
      ServerInfo server,
      ConnectionFactory connections,
      TableFilter filter,
      BooleanSupplier stopRequested,
      SaveTracker saves) {
    this.config = config;
    this.saves = saves;
    this.server = server;
    this.log = config.log();
    this.where = config.source().where();
    this.connections = connections;
    this.filter = filter;
    this.stopRequested = stopRequested;
    this.zeroDatesAsText = config.zeroDates() == ZeroDates.AS_TEXT;
  }

  /**
   * Delivers every row of the streamed tables as they were at one point.
   *
   * @param atPoint called with the point before any row is read (the schema history starts there)
   * @param resume the plan of an earlier snapshot that did not finish: only its chunks not yet done
   *     are read; null to plan a new snapshot
   * @param progress called on the canal's thread with the plan once it is made and after every
   *     chunk delivered
   * @return the point, where streaming continues; null when the canal was closed first
   */
  public Position run(
      Consumer<Position> atPoint, SnapshotPlan resume, Consumer<SnapshotPlan> progress)
      throws SQLException, InterruptedException {
    if (config.snapshot().reader() == SnapshotReader.DUMP_TOOL) {
      return new DumpToolSnapshot(config, server, connections, filter, stopRequested, saves)
          .run(atPoint);
    }
    int threads = config.snapshot().threads();
    try (SnapshotSession session =
        SnapshotPoint.open(
            config.source().user(),
            config.snapshot().lockTimeout(),
            server,
            log,
            where,
            connections,
            threads,
            atPoint)) {
      Position point = session.point();
      log.info(
          "snapshot point {}: {}",
          point,
          session.method() == SnapshotSession.Method.LOCKED
              ? "FLUSH TABLES WITH READ LOCK held "
                  + session.lockHeld().toMillis()
                  + " ms while "
                  + threads
                  + " reader(s) started their snapshots and the schema was read"
              : "a consistent snapshot, no lock");
      delivery =
          new SnapshotDelivery(config.handler(), config.snapshot().progress(), log, point, saves);
      InformationSchemaCache tables = new InformationSchemaCache(connections);
      Connection first = session.readers().get(0);
      List<TableId> existing = tables.tables();
      Map<TableId, TableSchema> schemas = new HashMap<>();
      if (resume == null) {
        List<Chunk> chunks = new ArrayList<>();
        for (TableId id : existing) {
          if (!filter.test(id)) {
            continue;
          }
          TableSchema schema = tables.load(id);
          schemas.put(id, schema);
          if (schema.primaryKey().isEmpty()) {
            log.warn(
                "table {} has no primary key: the snapshot reads it whole, in one chunk, and"
                    + " reads it again from the start if the canal restarts during it",
                id);
          }
          holdingLocks(first);
          chunks.addAll(TableReader.plan(first, schema, config.snapshot().chunkRows()));
          releaseLocks(first);
        }
        plan = new SnapshotPlan(chunks, new BitSet());
      } else {
        plan = resume;
        log.info(
            "resuming the snapshot: {} of {} chunks were delivered before",
            plan.doneCount(),
            plan.chunks().size());
      }
      this.progress = progress;
      progress.accept(plan);
      List<Work> work = new ArrayList<>();
      for (int i = 0; i < plan.chunks().size(); i++) {
        Chunk c = plan.chunks().get(i);
        if (plan.isDone(i)) {
          continue;
        }
        TableSchema schema = schemas.get(c.table());
        if (schema == null && existing.contains(c.table())) {
          schema = tables.load(c.table());
          schemas.put(c.table(), schema);
        }
        if (schema == null) {
          log.warn(
              "table {} of the snapshot is gone; the binlog from the first point has its DROP",
              c.table());
          plan.markDone(i);
          continue;
        }
        work.add(new Work(schema, c, i));
      }
      delivery.start(plan.chunks().size(), plan.doneCount());
      log.info(
          "snapshot: {} chunk(s) to read in {} table(s) ({} of {} done before) with {}"
              + " reader(s)",
          work.size(),
          work.stream().map(w -> w.schema.id()).distinct().count(),
          plan.doneCount(),
          plan.chunks().size(),
          threads);
      boolean complete =
          threads == 1 ? readAlone(first, work) : readInParallel(session.readers(), work);
      if (!complete) {
        log.info(
            "snapshot stopped after {} rows; {} of {} chunks done",
            delivery.rows(),
            delivery.chunksDone(),
            plan.chunks().size());
        return null;
      }
      log.info(
          "snapshot done: {} rows in {} chunk(s) in {} s, read at {}",
          delivery.rows(),
          delivery.chunksRead(),
          delivery.seconds(),
          point);
      return point;
    }
  }

  private record Work(TableSchema schema, Chunk chunk, int index) {}

  /** One reader, on the canal's thread: rows go to the handler as they are read. */
  private boolean readAlone(Connection reader, List<Work> work) throws SQLException {
    try {
      return readAloneUntilStopped(reader, work);
    } catch (Stopped e) {
      return false;
    } catch (SQLException e) {
      if (e.getCause() instanceof Stopped) {
        return false;
      }
      throw e;
    }
  }

  private boolean readAloneUntilStopped(Connection reader, List<Work> work) throws SQLException {
    for (Work w : work) {
      List<Row> batch = new ArrayList<>(BATCH);
      holdingLocks(reader);
      TableReader.read(
          reader,
          w.schema,
          w.chunk,
          zeroDatesAsText,
          values -> {
            batch.add(new Row(w.schema, values, null));
            if (batch.size() == BATCH) {
              if (stopRequested.getAsBoolean()) {
                throw new Stopped();
              }
              deliver(w.schema, batch);
              batch.clear();
            }
          });
      releaseLocks(reader);
      deliver(w.schema, batch);
      chunkDone(w.index);
      if (stopRequested.getAsBoolean()) {
        return false;
      }
    }
    return true;
  }

  /** What readers hand the canal's thread. */
  private sealed interface Item {}

  private record Batch(TableSchema schema, List<Row> rows) implements Item {}

  private record ChunkDone(int index) implements Item {}

  private record ReaderDone(Throwable failure) implements Item {}

  /** Several readers on their own threads; the canal's thread delivers what they read. */
  private boolean readInParallel(List<Connection> readers, List<Work> work)
      throws SQLException, InterruptedException {
    ConcurrentLinkedQueue<Work> todo = new ConcurrentLinkedQueue<>(work);
    BlockingQueue<Item> out = new ArrayBlockingQueue<>(2 * readers.size());
    AtomicBoolean abort = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < readers.size(); i++) {
      Connection reader = readers.get(i);
      Runnable loop = () -> readerLoop(reader, todo, out, abort);
      Thread t = config.threads().helper(loop, "snapshot-" + i);
      threads.add(t);
      t.start();
    }
    int running = threads.size();
    Throwable failure = null;
    try {
      while (running > 0) {
        Item item = out.take();
        if (item instanceof ReaderDone d) {
          running--;
          if (d.failure != null && failure == null && !(d.failure instanceof Stopped)) {
            failure = d.failure;
            abort.set(true);
          }
        } else if (abort.get()) {
          continue; // draining, so that no reader stays blocked
        } else if (item instanceof Batch b) {
          deliver(b.schema, b.rows);
        } else if (item instanceof ChunkDone d) {
          chunkDone(d.index);
        }
        if (stopRequested.getAsBoolean()) {
          abort.set(true);
        }
      }
    } finally {
      if (running > 0) { // the handler threw: stop the readers and let them finish
        abort.set(true);
        while (running > 0) {
          if (out.take() instanceof ReaderDone) {
            running--;
          }
        }
      }
    }
    if (failure instanceof SQLException e) {
      throw e;
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure != null) {
      throw new IllegalStateException("a snapshot reader failed: " + failure, failure);
    }
    return !abort.get();
  }

  private void readerLoop(
      Connection reader,
      ConcurrentLinkedQueue<Work> todo,
      BlockingQueue<Item> out,
      AtomicBoolean abort) {
    Throwable failure = null;
    try {
      for (Work w = todo.poll(); w != null && !abort.get(); w = todo.poll()) {
        Work current = w;
        List<Row> batch = new ArrayList<>(BATCH);
        holdingLocks(reader);
        TableReader.read(
            reader,
            current.schema,
            current.chunk,
            zeroDatesAsText,
            values -> {
              if (abort.get()) {
                throw new Stopped();
              }
              batch.add(new Row(current.schema, values, null));
              if (batch.size() == BATCH) {
                out.put(new Batch(current.schema, List.copyOf(batch)));
                batch.clear();
              }
            });
        releaseLocks(reader);
        if (!batch.isEmpty()) {
          out.put(new Batch(current.schema, List.copyOf(batch)));
        }
        out.put(new ChunkDone(current.index));
      }
    } catch (Throwable t) {
      failure = t instanceof SQLException e && e.getCause() instanceof Stopped ? new Stopped() : t;
    }
    try {
      out.put(new ReaderDone(failure));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Marks where the table locks of the next read start. A reader's transaction keeps the snapshot
   * for as long as it lasts, but also the metadata lock of every table it read: an ALTER of such a
   * table, and every query behind it, would wait until the whole snapshot ends (with several
   * readers, possibly for ever). Rolling back to this savepoint after each chunk releases them and
   * keeps the snapshot, as mysqldump does.
   */
  private static void holdingLocks(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SAVEPOINT canal4j_chunk");
    }
  }

  /** Releases the metadata locks taken since {@link #holdingLocks}. */
  private static void releaseLocks(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("ROLLBACK TO SAVEPOINT canal4j_chunk");
    }
  }

  /** Thrown inside a read to end it when the canal stops. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("the canal is stopping", null, false, false);
    }
  }

  private void deliver(TableSchema schema, List<Row> batch) {
    delivery.deliver(schema, batch);
  }

  private void chunkDone(int index) {
    plan.markDone(index);
    delivery.chunkDone(index);
    progress.accept(plan);
  }
}
