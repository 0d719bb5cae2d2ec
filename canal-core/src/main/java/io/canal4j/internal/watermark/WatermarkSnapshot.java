package io.canal4j.internal.watermark;

import io.canal4j.Row;
import io.canal4j.RowChange;
import io.canal4j.TransactionId;
import io.canal4j.ZeroDates;
import io.canal4j.dump.Chunk;
import io.canal4j.error.CanalException;
import io.canal4j.error.ServerException;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.internal.save.SaveTracker;
import io.canal4j.internal.save.SnapshotPlan;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.internal.snapshot.SnapshotDelivery;
import io.canal4j.internal.snapshot.Snapshotter;
import io.canal4j.internal.stream.StreamTap;
import io.canal4j.internal.watermark.ChunkReaders.Result;
import io.canal4j.internal.watermark.ChunkReaders.Work;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.ddl.DdlScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The lock-free snapshot: the DBLog algorithm (Andreakis and Papapanagiotou, Netflix, 2019) with
 * the server's own watermarks instead of writes to a watermark table, so it needs no privilege
 * beyond streaming and SELECT.
 *
 * <p>The binlog streams from the first position the whole time, every event delivered as usual.
 * Readers on their own threads read the chunks of the plan, each at its own moment, with no lock. A
 * chunk's rows are held back until the stream has passed the chunk's high watermark; then the rows
 * whose key the stream changed since the chunk's low watermark are dropped (the stream has
 * delivered their newer state, including deletes) and the rest are delivered: each is the row as it
 * is at that point of the stream, and the stream's later events follow it. A replica that applies
 * events in order ends equal to the source, and no row ever goes back in time.
 *
 * <p>Per chunk:
 *
 * <ul>
 *   <li><b>Low watermark</b>: the reader registers; from the stream's last transaction end on,
 *       every key the stream changes counts against the chunk. The read must see every transaction
 *       the stream has delivered by then, which the binlog alone does not promise (a transaction
 *       reaches the binlog, and the stream, before InnoDB commits it). On MySQL the reader waits
 *       until {@code gtid_executed} holds the stream's GTID set; on MariaDB it reads in a
 *       consistent snapshot whose exact binlog position must be at or after the stream's.
 *   <li><b>High watermark</b>: MySQL, {@code SHOW MASTER STATUS} after the read (every transaction
 *       the read saw is before it); MariaDB, the consistent snapshot's own position.
 * </ul>
 *
 * A DDL statement on the table between the two (or any change to a table without a primary key,
 * whose rows have no identity to drop by) makes the rows unusable: the chunk is read again.
 *
 * <p>Threads: the reads ({@link ChunkReaders}) run on reader threads; everything else on the
 * canal's thread, inside the binlog read loop. The key log ({@link KeyLog}) has its own lock.
 */
public final class WatermarkSnapshot implements StreamTap {
  private static final int BATCH = Snapshotter.BATCH;

  private final CanalConfig config;
  private final ServerInfo server;
  private final CanalLog log;
  private final String where;
  private final ConnectionFactory connections;
  private final TableFilter filter;
  private SnapshotPlan plan; // canal thread; grows when a table must be planned again
  private final SaveTracker saves;
  private final Runnable onFinished;
  private final boolean zeroDatesAsText;
  private final Set<TableId> tables = new HashSet<>();
  private final SnapshotDelivery delivery;

  private final ChunkReaders readers;
  private volatile BooleanSupplier streamIdle = () -> false;

  /** What the stream changed, in stream order, while chunks were read. */
  private final KeyLog keyLog;

  /** Chunks whose table was planned again; readers skip them, their results are dropped. */
  private final Set<Integer> superseded = ConcurrentHashMap.newKeySet();

  // Canal thread only.
  private final List<Result> waiting = new ArrayList<>();

  /** Chunk rows read and not yet delivered; readers wait while they exceed it. */
  private final ReadBudget budget;

  /** What the stream's DDL did to table names since the snapshot began (canal thread). */
  private final TableMoves moves = new TableMoves();

  /** Since when a chunk's read found its table missing, while it waits for the stream. */
  private final Map<Integer, Long> missingSince = new HashMap<>();

  private final Replanner replanner;

  private final Map<TableSchema, int[]> keyColumns = new IdentityHashMap<>();
  private int remaining;
  private boolean finished;

  /**
   * @param from where the stream starts; on MySQL it must carry the GTID set the stream resumes by
   * @param onFinished runs on the canal's thread once every chunk is delivered
   */
  public WatermarkSnapshot(
      CanalConfig config,
      ServerInfo server,
      ConnectionFactory connections,
      TableFilter filter,
      SnapshotPlan plan,
      SaveTracker saves,
      Position from,
      Runnable onFinished) {
    this.filter = filter;
    this.config = config;
    this.server = server;
    this.log = config.log();
    this.where = config.source().where();
    this.connections = connections;
    this.plan = plan;
    this.saves = saves;
    this.onFinished = onFinished;
    this.zeroDatesAsText = config.zeroDates() == ZeroDates.AS_TEXT;
    // Chunks read ahead wait for the stream, but their high watermarks are earlier than those of
    // chunks read later: a stream that lags behind the writers reaches them sooner. So readers
    // read ahead as far as memory allows.
    this.budget = new ReadBudget(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8));
    this.delivery =
        new SnapshotDelivery(config.handler(), config.snapshot().progress(), log, from, saves);
    this.keyLog = new KeyLog(from);
    this.readers = new ChunkReaders(config, server, connections, keyLog, budget, superseded);
    this.replanner =
        new Replanner(connections, config.source().user(), config.snapshot().chunkRows());
    for (int i = 0; i < plan.chunks().size(); i++) {
      Chunk c = plan.chunks().get(i);
      tables.add(c.table());
      if (!plan.isDone(i)) {
        readers.add(new Work(c, i, 0));
        remaining++;
      }
    }
  }

  /** The plan's text for the checkpoint, with the chunks the handler made durable done. */
  public String planText() {
    return saves.durable(plan).format();
  }

  /** Starts the readers. */
  public void start() {
    delivery.start(plan.chunks().size(), plan.doneCount());
    log.info(
        "lock-free snapshot (watermarks): {} of {} chunk(s) to read with {} reader(s) while"
            + " streaming",
        remaining,
        plan.chunks().size(),
        config.snapshot().threads());
    readers.start(remaining == 0 ? 0 : config.snapshot().threads());
  }

  /** Whether every chunk was delivered. */
  @Override
  public boolean finished() {
    return finished;
  }

  /** How to tell that the binlog connection has nothing to read right now. */
  @Override
  public void streamIdle(BooleanSupplier idle) {
    this.streamIdle = idle;
  }

  /** Stops the readers (idempotent, from any thread). */
  public void close() {
    readers.close();
  }

  // ---------------------------------------------------------------- stream side (canal thread)

  /**
   * A new binlog connection streams from {@code from}. From the last transaction end (the usual
   * case) the keys of a transaction cut off are dropped, as it is read again; from anywhere else,
   * the chunks in flight count for nothing and are read again.
   */
  @Override
  public void sessionStarted(Position from) {
    keyLog.sessionStarted(from);
  }

  /** Row changes the stream is about to deliver. */
  @Override
  public void rows(TableSchema schema, List<RowChange> changes) {
    if (finished || !tables.contains(schema.id())) {
      return;
    }
    int[] key = keyColumns.computeIfAbsent(schema, PrimaryKeyValue::columns);
    keyLog.rows(schema.id(), key, changes);
  }

  /** A DDL statement the stream is about to deliver. */
  @Override
  public void ddl(String database, String sql) {
    if (finished) {
      return;
    }
    DdlScope touched;
    try {
      touched = DdlScope.of(database, sql);
    } catch (RuntimeException e) {
      touched = DdlScope.EVERYTHING;
    }
    if (touched.isNothing()) {
      return; // GRANT, CREATE USER, a view, a procedure: no table changed
    }
    readers.ddlSeen(); // readers load their tables again (before they register)
    moves.ddl(touched);
    keyLog.ddl(touched.tables(), touched.everything() || !touched.databases().isEmpty());
  }

  /**
   * The stream is between transactions: {@code committed} is the last transaction end, {@code
   * reached} the end of the last event. Delivers the chunks whose high watermark the stream has
   * passed; when the server said it is idle (a heartbeat) and chunks are being read, waits for them
   * rather than for the next heartbeat.
   *
   * @throws CanalException when a reader failed, or a chunk could not be read consistently
   */
  @Override
  public void boundary(Position committed, Position reached, boolean serverIdle) {
    keyLog.boundary(committed);
    if (finished) {
      return;
    }
    try {
      while (true) {
        for (Result r; (r = readers.poll()) != null; ) {
          waiting.add(r); // bounded by the readers' memory budget
        }
        failIfReaderFailed();
        boolean behind = false;
        for (Iterator<Result> it = waiting.iterator(); it.hasNext(); ) {
          Result r = it.next();
          if (r.low().epoch() != keyLog.epoch()) {
            it.remove();
            free(r);
            missingSince.remove(r.work().index());
            retry(r, "the binlog connection was re-opened");
          } else if (reached != null && r.high().compareTo(reached) <= 0 && !awaitingRemoval(r)) {
            it.remove();
            free(r);
            deliver(r, reached, committed);
          } else {
            behind = true;
          }
        }
        if (remaining == 0) {
          finish(committed);
          return;
        }
        if (behind || !serverIdle || !streamIdle.getAsBoolean()) {
          return; // the stream must move on first
        }
        // Nothing to stream for the moment: wait for a reader instead of for the next heartbeat.
        Result r = readers.poll(200, TimeUnit.MILLISECONDS);
        if (r == null) {
          return;
        }
        waiting.add(r);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether {@code r} found its table missing from information_schema while the stream has not yet
   * delivered a statement that could have removed it. MariaDB 11.4 can show a RENAME there before a
   * new read view's binlog position includes it, so the read's high watermark can come before the
   * statement, and the stream would pass it without the DDL that tells a rename from a drop. Such a
   * result waits, at most 30 s (a table hidden by a revoked grant, say; then it counts as gone, as
   * before), until the stream has delivered either a DDL naming the table (or everything) since the
   * read registered, which makes the read be taken again, or, before, a statement known to remove
   * it (a DROP or RENAME). An earlier ALTER of the table, or an earlier statement the parser could
   * not read, does not end the wait.
   */
  private boolean awaitingRemoval(Result r) {
    if (r.schema() != null || r.replan() || superseded.contains(r.work().index())) {
      missingSince.remove(r.work().index()); // a chunk that waited before and was read again
      return false;
    }
    TableId table = r.work().chunk().table();
    if (keyLog.ddlSince(r.low(), table) || moves.removed(table)) {
      missingSince.remove(r.work().index());
      return false;
    }
    long now = System.nanoTime();
    long since = missingSince.computeIfAbsent(r.work().index(), i -> now);
    if (now - since < ChunkReaders.VISIBLE_WAIT_NANOS) {
      return true;
    }
    missingSince.remove(r.work().index());
    return false;
  }

  /** The result's rows leave the budget (they are delivered now, or dropped). */
  private void free(Result r) {
    budget.free(r.bytes());
  }

  private void failIfReaderFailed() {
    Throwable t = readers.failure();
    if (t == null) {
      return;
    }
    if (t instanceof ServerException e && !e.isTransient()) {
      throw e;
    }
    // Permanent: the readers are gone, so reconnecting the stream would not bring them back.
    throw ServerException.permanent(
        "a reader of the lock-free snapshot failed: "
            + t
            + ". Fix the cause and start the canal again: it resumes from its checkpoint with the"
            + " chunks not delivered yet",
        t);
  }

  private void deliver(Result r, Position at, Position committed) {
    Work w = r.work();
    if (superseded.contains(w.index())) {
      keyLog.release(r.low());
      return; // its table was planned again
    }
    if (r.replan()) {
      keyLog.release(r.low());
      replan(
          w.chunk().table(),
          w.chunk().table(),
          "its primary key changed since the chunks were planned; the table is read again whole");
      return;
    }
    Set<PrimaryKeyValue> changed = new HashSet<>();
    String stale = keyLog.changedSince(r.low(), w.chunk().table(), changed);
    if (stale != null) {
      retry(r, stale);
      return;
    }
    if (r.schema() == null) {
      TableId renamed = moves.renamedTo(w.chunk().table(), connections, filter);
      if (renamed != null) {
        replan(
            w.chunk().table(),
            renamed,
            "it was renamed to " + renamed + "; the rows still to read are read from there");
        return;
      }
      log.warn(
          "table {} is gone (dropped, or renamed out of the canal's tables): its rows not read"
              + " yet are skipped; the stream has the statement",
          w.chunk().table());
    } else {
      int[] key = PrimaryKeyValue.columns(r.schema());
      delivery.transaction(new TransactionId(null, at), committed);
      List<Row> batch = new ArrayList<>(Math.min(BATCH, r.rows().size()));
      for (Object[] values : r.rows()) {
        if (key.length > 0
            && !changed.isEmpty()
            && changed.contains(PrimaryKeyValue.of(values, key))) {
          continue; // the stream delivered this row's newer state
        }
        batch.add(new Row(r.schema(), values, null));
        if (batch.size() == BATCH) {
          delivery.deliver(r.schema(), batch);
          batch = new ArrayList<>(BATCH);
        }
      }
      delivery.deliver(r.schema(), batch);
    }
    plan.markDone(w.index());
    remaining--;
    delivery.chunkDone(w.index());
  }

  /**
   * Supersedes the chunks of {@code table} not delivered yet and plans {@code now} (the same table,
   * or its new name) again, whole: rows of its delivered chunks come again (at-least-once). The new
   * chunks are planned before anything changes; a failure stops the canal (permanently, so that no
   * stream reconnect goes on with a half-changed plan), and a restart resumes from the checkpoint.
   */
  private void replan(TableId table, TableId now, String why) {
    log.warn("table {} is planned again for the snapshot: {}", table, why);
    List<Chunk> fresh = replanner.chunks(now, why);
    for (int i = 0; i < plan.chunks().size(); i++) {
      if (!plan.isDone(i) && plan.chunks().get(i).table().equals(table)) {
        superseded.add(i);
        plan.markDone(i);
        remaining--;
      }
    }
    readers.dropSuperseded();
    int first = plan.chunks().size();
    plan = plan.with(fresh);
    tables.add(now);
    for (int i = 0; i < fresh.size(); i++) {
      readers.add(new Work(fresh.get(i), first + i, 0));
      remaining++;
    }
    delivery.planChanged(plan.chunks().size(), plan.doneCount());
  }

  private void retry(Result r, String why) {
    Work w = r.work();
    if (superseded.contains(w.index())) {
      return; // its table was planned again
    }
    keyLog.trim();
    readers.readAgain(w, why);
  }

  private void finish(Position committed) {
    finished = true;
    close();
    log.info(
        "snapshot done: {} rows in {} chunk(s) in {} s, without a lock; streaming goes on from {}",
        delivery.rows(),
        delivery.chunksRead(),
        delivery.seconds(),
        committed);
    saves.snapshotFinished(committed);
    saves.transactionEnd(committed, true); // onPosSynced(force), and a checkpoint without plan
    onFinished.run();
  }
}
