package io.canal4j.internal.stream;

import static io.canal4j.internal.stream.HandlerCalls.call;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import io.canal4j.DdlEvent;
import io.canal4j.EventHandler;
import io.canal4j.RotateEvent;
import io.canal4j.Row;
import io.canal4j.RowAction;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.XidEvent;
import io.canal4j.error.CanalException;
import io.canal4j.error.ServerException;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.internal.save.SaveTracker;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchemaCache;
import io.canal4j.schema.internal.ddl.DdlScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the connector's events into the canal's: tracks the binlog file, the open transaction and
 * its GTID, the executed GTID set and the last transaction end; decodes rows of streamed tables;
 * calls the handler; marks save points.
 *
 * <p>Runs on the canal thread, inside the connector's read loop. The connector logs and continues
 * when a listener throws, so this class never lets anything escape: the first failure is kept,
 * every later event ignored, and the connection closed; the runner reports the failure.
 */
public final class EventDispatcher implements BinaryLogClient.EventListener {
  private static final int ARTIFICIAL = 0x20;
  private static final Pattern XA =
      Pattern.compile("^\\s*XA\\s+(START|BEGIN)\\b", Pattern.CASE_INSENSITIVE);

  private final CanalLog log;
  private final EventHandler handler;
  private final TableFilter filter;
  private final TableSchemaCache schemas;
  private final SaveTracker saves;
  private final boolean zeroDatesAsText;

  private final TableMapCache tableMaps;
  private BinaryLogClient client;
  private final TransactionTracker position = new TransactionTracker();
  private volatile CanalException failure;
  private volatile boolean stopping;
  private StreamTap tap; // a lock-free snapshot running with the stream, or null
  private Position reached; // the end of the last event read

  public EventDispatcher(
      CanalLog log,
      EventHandler handler,
      TableFilter filter,
      TableSchemaCache schemas,
      SaveTracker saves,
      boolean zeroDatesAsText) {
    this.zeroDatesAsText = zeroDatesAsText;
    this.log = log.under(EventDispatcher.class);
    this.handler = handler;
    this.filter = filter;
    this.schemas = schemas;
    this.saves = saves;
    this.tableMaps =
        new TableMapCache(filter, schemas, zeroDatesAsText, position::committed, position::here);
  }

  /**
   * The decoder for a TABLE_MAP table number, or null when the table is not streamed (called by the
   * deserializers, right after this listener saw the TABLE_MAP).
   */
  RowDecoder decoderFor(long tableNumber) {
    return tableMaps.decoderFor(tableNumber);
  }

  /**
   * Prepares for a new connection that streams from {@code from}.
   *
   * @param byGtid whether the connection resumes by GTID, in which case the server tells the file
   */
  public void beginSession(BinaryLogClient c, Position from, boolean byGtid) {
    this.client = c;
    position.beginSession(from, byGtid);
    this.failure = null;
    this.reached = byGtid ? null : from;
    if (tap != null) {
      tap.sessionStarted(from);
    }
    tableMaps.newSession();
  }

  /** Runs {@code snapshot} (the lock-free snapshot) with the stream until it is finished. */
  public void watch(StreamTap snapshot) {
    this.tap = snapshot;
  }

  /** The first failure, or null. */
  public CanalException failure() {
    return failure;
  }

  /** The end of the last complete transaction: where a new connection resumes. */
  public Position committed() {
    return position.committed();
  }

  public long transactions() {
    return position.transactions();
  }

  /** Stops delivering after the event in hand (called on any thread). */
  public void stop() {
    stopping = true;
  }

  /**
   * Records a failure found outside the listener (e.g. a deserialization error) and disconnects.
   */
  void fail(CanalException e) {
    if (failure == null) {
      failure = e;
    }
    disconnect();
  }

  @Override
  public void onEvent(Event event) {
    if (failure != null) {
      return;
    }
    if (stopping) {
      disconnect();
      return;
    }
    try {
      position.locate(event);
      dispatch(event);
      if (tap != null) {
        tapStep(event);
      }
    } catch (CanalException e) {
      fail(e);
    } catch (RuntimeException | Error e) {
      // The binlog client only logs what a listener throws and reads on: nothing may escape here.
      String where;
      try {
        where = position.here().toString();
      } catch (RuntimeException unknown) {
        where = "an unknown position (" + unknown.getMessage() + ")";
      }
      // The header only: a rows event's text holds every row, which may be large and private.
      fail(
          new CanalException(
              "internal error at " + where + " on the event " + event.getHeader() + ": " + e, e));
    }
  }

  /** After each event between transactions, the tap (a lock-free snapshot) may deliver a chunk. */
  private void tapStep(Event event) {
    EventHeaderV4 h = event.getHeader();
    if (h.getEventType() == EventType.ROTATE) {
      RotateEventData r = event.getData();
      reached = position.committed().withOffset(r.getBinlogFilename(), r.getBinlogPosition());
    } else if (position.file() != null) {
      // Located like the event (MariaDB 11.4 writes end_log_pos 0 inside transactions); a
      // heartbeat is not in the file, its position is where the server's binlog ends.
      long end =
          h.getEventType() == EventType.HEARTBEAT ? h.getNextPosition() : position.eventEnd();
      if (end > 0) {
        reached = position.committed().withOffset(position.file(), end);
      }
    }
    if (position.current() != null) {
      return;
    }
    tap.boundary(position.committed(), reached, h.getEventType() == EventType.HEARTBEAT);
    if (tap.finished()) {
      tap = null;
    }
  }

  private void disconnect() {
    try {
      if (client != null) {
        client.disconnect();
      }
    } catch (Exception e) {
      log.debug("disconnect failed", e);
    }
  }

  private void dispatch(Event event) {
    EventHeaderV4 h = event.getHeader();
    EventType type = h.getEventType();
    switch (type) {
      case ROTATE -> rotate(h, event.getData());
      case GTID -> {
        GtidEventData g = event.getData();
        position.begin(g.getMySqlGtid().toString());
      }
      case MARIADB_GTID -> {
        MariadbGtidEventData g = event.getData();
        // The connector leaves the GTID's server id unset; the event header carries it.
        TransactionTracker.Transaction t =
            position.begin(g.getDomainId() + "-" + h.getServerId() + "-" + g.getSequence());
        // Without FL_STANDALONE the group ends only at its XID or COMMIT: MariaDB logs no BEGIN.
        t.explicit = (g.getFlags() & MariadbGtidEventData.FL_STANDALONE) == 0;
      }
      case QUERY -> query(h, event.getData());
      case TABLE_MAP -> tableMaps.tableMap(event.getData());
      case WRITE_ROWS, EXT_WRITE_ROWS -> rows(h, RowAction.INSERT, event.getData());
      case UPDATE_ROWS, EXT_UPDATE_ROWS -> rows(h, RowAction.UPDATE, event.getData());
      case DELETE_ROWS, EXT_DELETE_ROWS -> rows(h, RowAction.DELETE, event.getData());
      case XID -> {
        XidEventData x = event.getData();
        commit(h, x.getXid());
      }
      case HEARTBEAT -> {
        if (position.current() == null) {
          saves.idle();
        }
      }
      case PARTIAL_UPDATE_ROWS_EVENT ->
          throw ServerException.permanent(
              "the server writes partial JSON updates (binlog_row_value_options=PARTIAL_JSON),"
                  + " which this canal4j version cannot read yet: set binlog_row_value_options=''",
              null);
      case XA_PREPARE -> throw xaUnsupported();
      case FORMAT_DESCRIPTION,
          PREVIOUS_GTIDS,
          ANONYMOUS_GTID,
          ROWS_QUERY,
          ANNOTATE_ROWS,
          BINLOG_CHECKPOINT,
          MARIADB_GTID_LIST,
          INTVAR,
          RAND,
          USER_VAR,
          STOP,
          IGNORABLE,
          TRANSACTION_CONTEXT,
          VIEW_CHANGE -> {
        // Nothing the canal needs: metadata, statement context, group-replication bookkeeping.
      }
      case INCIDENT ->
          throw ServerException.permanent(
              "the binlog has an INCIDENT event at "
                  + position.here()
                  + ": the server recorded that changes may be missing from its binlog here."
                  + " Re-synchronise the data (a new snapshot) and restart from a position after"
                  + " it",
              null);
      default ->
          throw ServerException.permanent(
              "the binlog has an event this canal4j cannot read ("
                  + type
                  + ") at "
                  + position.here()
                  + "; skipping it could lose changes. If the server compresses its binlog"
                  + " (MariaDB log_bin_compress=ON), turn that off",
              null);
    }
  }

  private CanalException xaUnsupported() {
    return ServerException.permanent(
        "the binlog has an XA transaction after "
            + position.committed()
            + ", which this canal4j version cannot stream yet (its rows may still be rolled back"
            + " after PREPARE); avoid XA transactions on the streamed server",
        null);
  }

  private void rotate(EventHeaderV4 h, RotateEventData r) {
    String next = r.getBinlogFilename();
    boolean artificial = (h.getFlags() & ARTIFICIAL) != 0 || h.getTimestamp() == 0;
    if (!position.rotate(next, r.getBinlogPosition())) {
      return;
    }
    Position at = position.committed();
    log.debug("rotated to {} (artificial={})", next, artificial);
    call(() -> handler.onRotate(new RotateEvent(next, at)), "onRotate", at);
    saves.transactionEnd(at, true);
  }

  private void query(EventHeaderV4 h, QueryEventData q) {
    String sql = q.getSql();
    if ("BEGIN".equalsIgnoreCase(sql)) {
      position.transaction().explicit = true;
      return;
    }
    if ("COMMIT".equalsIgnoreCase(sql) || "ROLLBACK".equalsIgnoreCase(sql)) {
      commit(h, -1);
      return;
    }
    if (XA.matcher(sql).find()) {
      throw xaUnsupported();
    }
    boolean ddl = DdlScope.isSchemaChange(sql);
    TransactionTracker.Transaction tx = position.current();
    if (tx != null && (tx.explicit || tx.rowIndex > 0)) {
      // A statement inside a transaction: SAVEPOINT, or the CREATE of CREATE TABLE ... SELECT
      // (MySQL 8.0.21+), whose rows and XID follow. Only its commit ends the transaction.
      if (ddl) {
        ddl(h, q, sql, tx, position.here());
      }
      return;
    }
    // A statement logged on its own (DDL, GRANT, ...) is a transaction by itself. The schema
    // cache sees it before the resume point moves past it: if reading the server for it fails,
    // a reconnect reads the statement again.
    TransactionTracker.Transaction t = position.transaction();
    String db = q.getDatabase() == null ? "" : q.getDatabase();
    schemas.applyDdl(db, sql, position.endOf(t));
    Position end = position.advance(t);
    if (ddl) {
      ddlApplied(h, db, sql, t, end);
      saves.transactionEnd(end, true);
    } else {
      XidEvent event = new XidEvent(t.id, -1, end, Instant.ofEpochMilli(h.getTimestamp()));
      call(() -> handler.onXid(event), "onXid", end);
      saves.transactionEnd(end, false);
    }
  }

  private void ddl(
      EventHeaderV4 h,
      QueryEventData q,
      String sql,
      TransactionTracker.Transaction t,
      Position at) {
    String db = q.getDatabase() == null ? "" : q.getDatabase();
    schemas.applyDdl(db, sql, at);
    ddlApplied(h, db, sql, t, at);
  }

  /** A DDL statement is in force in the schema cache: fresh decoders, and the handler hears. */
  private void ddlApplied(
      EventHeaderV4 h, String db, String sql, TransactionTracker.Transaction t, Position at) {
    tableMaps.schemaChanged();
    if (tap != null) {
      tap.ddl(db, sql);
    }
    DdlEvent ddl =
        new DdlEvent(
            db,
            sql,
            DdlScope.namedTables(db, sql),
            t.id,
            at,
            Instant.ofEpochMilli(h.getTimestamp()));
    call(() -> handler.onDdl(ddl), "onDdl", at);
  }

  private void rows(EventHeaderV4 h, RowAction action, BinlogDeserializers.DecodedRows d) {
    if (d.images() == null) {
      return; // a table the canal does not stream
    }
    RowDecoder decoder = tableMaps.decoderFor(d.tableId());
    TransactionTracker.Transaction t = position.transaction();
    List<Row> images = d.images();
    List<RowChange> changes;
    if (action == RowAction.UPDATE) {
      changes = new ArrayList<>(images.size() / 2);
      for (int i = 0; i + 1 < images.size(); i += 2) {
        changes.add(new RowChange(images.get(i), images.get(i + 1), t.rowIndex++));
      }
    } else {
      changes = new ArrayList<>(images.size());
      for (Row row : images) {
        changes.add(
            action == RowAction.DELETE
                ? new RowChange(row, null, t.rowIndex++)
                : new RowChange(null, row, t.rowIndex++));
      }
    }
    if (tap != null) {
      tap.rows(decoder.schema(), changes);
    }
    deliver(h, action, decoder, t, changes);
  }

  private void deliver(
      EventHeaderV4 h,
      RowAction action,
      RowDecoder decoder,
      TransactionTracker.Transaction t,
      List<RowChange> c) {
    Position at = position.here();
    RowsEvent event =
        new RowsEvent(
            action, decoder.schema(), c, t.id, at, Instant.ofEpochMilli(h.getTimestamp()));
    call(() -> handler.onRow(event), "onRow", at);
  }

  private void commit(EventHeaderV4 h, long xid) {
    TransactionTracker.Transaction t = position.transaction();
    Position end = position.advance(t);
    XidEvent event = new XidEvent(t.id, xid, end, Instant.ofEpochMilli(h.getTimestamp()));
    call(() -> handler.onXid(event), "onXid", end);
    saves.transactionEnd(end, false);
  }
}
