package io.canal4j.internal.stream;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import io.canal4j.TransactionId;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;

/**
 * Where the stream is: the binlog file, where the event in hand starts and ends, the transaction
 * being read, and the end of the last complete one (the resume point, with the executed GTID set).
 *
 * <p>Canal thread only, except {@link #committed()}, which {@code Canal.position()} reads on any
 * thread.
 */
final class TransactionTracker {

  /** The transaction being read. */
  static final class Transaction {
    final String gtid;
    final Position begin;
    final TransactionId id;
    boolean explicit; // opened by BEGIN: statements inside belong to it
    int rowIndex;

    Transaction(String gtid, Position begin) {
      this.gtid = gtid;
      this.begin = begin;
      this.id = new TransactionId(gtid, begin);
    }
  }

  private String file;
  private volatile Position committed;
  private Transaction tx;
  private long transactions;
  private long cursor; // the end in its file of the last event read, counted by event lengths
  private long eventStart; // where the event in hand starts in its file
  private long eventEnd; // and where it ends

  /**
   * A new connection streams from {@code from}; by GTID, the server tells the file in its first
   * rotate.
   */
  void beginSession(Position from, boolean byGtid) {
    committed = from;
    file = byGtid ? null : from.file();
    tx = null;
    cursor = byGtid ? 0 : from.offset(); // until the session's first rotate says where it is
  }

  /**
   * Where {@code event} starts and ends in its file. MariaDB 11.4+ writes {@code end_log_pos} 0 for
   * the events a transaction collected in its binlog cache (Annotate_rows, Table_map, the rows
   * events; {@code binlog_legacy_event_pos=OFF}, the default): their place follows from the end of
   * the event before and their own length, as MariaDB's replicas count it.
   */
  void locate(Event event) {
    EventHeaderV4 h = event.getHeader();
    long next = h.getNextPosition();
    if (next > 0) {
      eventEnd = next;
      eventStart = Math.max(0, next - h.getEventLength());
    } else {
      eventStart = cursor;
      eventEnd = cursor + h.getEventLength();
    }
    switch (h.getEventType()) {
      case ROTATE -> cursor = ((RotateEventData) event.getData()).getBinlogPosition();
      case HEARTBEAT -> {} // not in the file
      case FORMAT_DESCRIPTION -> {
        if (next > 0) {
          cursor = next; // the one sent on connecting, from another place in the file, has 0
        }
      }
      default -> cursor = eventEnd;
    }
  }

  /** The end of the last complete transaction: where a new connection resumes. */
  Position committed() {
    return committed;
  }

  /** The binlog file, or null before a GTID session's first rotate. */
  String file() {
    return file;
  }

  /** Where the event in hand ends in its file. */
  long eventEnd() {
    return eventEnd;
  }

  long transactions() {
    return transactions;
  }

  /** Where the event in hand starts. */
  Position here() {
    String f = file != null ? file : committed.file();
    return committed.withOffset(f, eventStart);
  }

  /** Where the event in hand ends: the position after it. */
  Position after() {
    String f = file != null ? file : committed.file();
    return committed.withOffset(f, eventEnd);
  }

  /**
   * The stream moved to {@code next}, at {@code offset}.
   *
   * @return whether that moved the resume point: a rotation between transactions to a new file
   */
  boolean rotate(String next, long offset) {
    if (file == null) {
      file = next; // first event of a connection that resumed by GTID
      return false;
    }
    if (next.equals(file)) {
      return false;
    }
    file = next;
    if (tx != null) {
      return false; // cannot happen between complete transactions; keep the last transaction end
    }
    committed = committed.withOffset(next, offset);
    return true;
  }

  /** The open transaction, or null between transactions. */
  Transaction current() {
    return tx;
  }

  /** A transaction begins here (its GTID event), with {@code gtid} or none. */
  Transaction begin(String gtid) {
    tx = new Transaction(gtid, here());
    return tx;
  }

  /** The open transaction, opened here if there is none. */
  Transaction transaction() {
    if (tx == null) {
      tx = new Transaction(null, here());
    }
    return tx;
  }

  /** Where transaction {@code t} ends if the event in hand ends it. */
  Position endOf(Transaction t) {
    Position end = after();
    GtidSet gtids = committed.gtids();
    if (t.gtid != null && gtids != null) {
      end = end.withGtids(gtids.with(t.gtid));
    }
    return end;
  }

  /** Ends transaction {@code t} at the event in hand: the new resume point. */
  Position advance(Transaction t) {
    Position end = endOf(t);
    committed = end;
    tx = null;
    transactions++;
    return end;
  }
}
