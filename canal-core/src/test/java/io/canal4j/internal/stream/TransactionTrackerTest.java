package io.canal4j.internal.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import org.junit.jupiter.api.Test;

/** Positions and transaction ends without a server, from hand-made event headers. */
class TransactionTrackerTest {
  private static final Position FROM =
      Position.of(Flavor.MARIADB, "binlog.000001", 1000)
          .withGtids(GtidSet.parse(Flavor.MARIADB, "0-1-7"));

  private static Event event(EventType type, long next, long length, EventData data) {
    EventHeaderV4 h = new EventHeaderV4();
    h.setEventType(type);
    h.setNextPosition(next);
    h.setEventLength(length);
    return new Event(h, data);
  }

  private static Event rotate(String file, long offset) {
    RotateEventData r = new RotateEventData();
    r.setBinlogFilename(file);
    r.setBinlogPosition(offset);
    return event(EventType.ROTATE, 0, 40, r);
  }

  @Test
  void eventsWithEndPositions_areWhereTheServerSays_andATransactionEndIsTheResumePoint() {
    TransactionTracker t = new TransactionTracker();
    t.beginSession(FROM, false);
    t.locate(event(EventType.MARIADB_GTID, 1100, 100, null));
    TransactionTracker.Transaction tx = t.begin("0-1-8");
    assertEquals(FROM.withOffset("binlog.000001", 1000), tx.begin);
    assertSame(tx, t.current());
    t.locate(event(EventType.WRITE_ROWS, 1300, 200, null));
    assertEquals(FROM.withOffset("binlog.000001", 1100), t.here());
    assertEquals(FROM.withOffset("binlog.000001", 1300), t.after());
    assertSame(tx, t.transaction(), "the open one");
    t.locate(event(EventType.XID, 1331, 31, null));
    Position end = t.advance(tx);
    assertEquals(
        FROM.withOffset("binlog.000001", 1331).withGtids(GtidSet.parse(Flavor.MARIADB, "0-1-8")),
        end,
        "the end carries the GTID set with the transaction's");
    assertEquals(end, t.committed());
    assertNull(t.current());
    assertEquals(1, t.transactions());
  }

  @Test
  void zeroEndPositions_mariaDb114_areCountedByEventLengths() {
    TransactionTracker t = new TransactionTracker();
    t.beginSession(FROM, false);
    t.locate(event(EventType.MARIADB_GTID, 1100, 100, null)); // GTID events have their end
    t.locate(event(EventType.TABLE_MAP, 0, 50, null));
    assertEquals(FROM.withOffset("binlog.000001", 1100), t.here());
    assertEquals(FROM.withOffset("binlog.000001", 1150), t.after());
    t.locate(event(EventType.WRITE_ROWS, 0, 70, null));
    assertEquals(FROM.withOffset("binlog.000001", 1150), t.here());
    assertEquals(1220, t.eventEnd());
  }

  @Test
  void aGtidSession_learnsItsFileFromTheFirstRotate_andALaterRotateMovesTheResumePoint() {
    TransactionTracker t = new TransactionTracker();
    t.beginSession(FROM, true);
    assertNull(t.file(), "the server tells the file");
    assertFalse(t.rotate("binlog.000003", 4), "the session's first rotate names the file");
    assertEquals("binlog.000003", t.file());
    assertEquals(FROM, t.committed(), "a GTID resume point stays as it was");
    assertFalse(t.rotate("binlog.000003", 4), "the same file");

    t.begin("0-1-8");
    assertFalse(t.rotate("binlog.000004", 4), "not inside a transaction");
    assertEquals(FROM, t.committed());
    t.advance(t.current());
    assertTrue(t.rotate("binlog.000005", 4));
    assertEquals("binlog.000005", t.committed().file());
    assertEquals(4, t.committed().offset());
  }

  @Test
  void aRotateEvent_setsTheCursorForTheEventsAfterIt() {
    TransactionTracker t = new TransactionTracker();
    t.beginSession(FROM, true);
    t.locate(rotate("binlog.000009", 256));
    t.rotate("binlog.000009", 256);
    t.locate(event(EventType.TABLE_MAP, 0, 44, null));
    assertEquals(FROM.withOffset("binlog.000009", 256), t.here());
    assertEquals(FROM.withOffset("binlog.000009", 300), t.after());
  }
}
