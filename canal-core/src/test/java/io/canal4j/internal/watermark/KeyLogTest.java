package io.canal4j.internal.watermark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.Row;
import io.canal4j.RowChange;
import io.canal4j.internal.watermark.KeyLog.Registration;
import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The key log without a server: what a chunk read learns of the stream's changes since it. */
class KeyLogTest {
  private static final TableId T = TableId.of("d", "t");
  private static final TableId OTHER = TableId.of("d", "other");
  private static final TableSchema SCHEMA =
      new TableSchema(
          T,
          List.of(
              new Column("id", 0, ColumnType.BIGINT, "bigint", false, false, null, 0, 0, null),
              new Column("v", 1, ColumnType.INT, "int", false, true, null, 0, 0, null)),
          List.of("id"));
  private static final int[] KEY = PrimaryKeyValue.columns(SCHEMA);
  private static final Position START = Position.of(Flavor.MARIADB, "binlog.000001", 4);

  private static Position at(long offset) {
    return START.withOffset("binlog.000001", offset);
  }

  private static RowChange update(long id) {
    return new RowChange(
        new Row(SCHEMA, new Object[] {id, 1}, null),
        new Row(SCHEMA, new Object[] {id, 2}, null),
        0);
  }

  private static PrimaryKeyValue key(long id) {
    return PrimaryKeyValue.of(new Object[] {id, 0}, KEY);
  }

  @Test
  void aRead_learnsTheKeysTheStreamChangedSinceItRegistered_ofItsTableOnly() {
    KeyLog log = new KeyLog(START);
    log.rows(T, KEY, List.of(update(1))); // before the registration: not the read's business
    log.boundary(at(100));
    Registration low = log.register();
    assertEquals(at(100), low.position());
    log.rows(T, KEY, List.of(update(2), update(3)));
    log.rows(OTHER, KEY, List.of(update(4)));
    log.boundary(at(200));
    Set<PrimaryKeyValue> changed = new HashSet<>();
    assertNull(log.changedSince(low, T, changed));
    assertEquals(Set.of(key(2), key(3)), changed);
  }

  @Test
  void ddlOnTheTable_orAWriteToAKeylessTable_makesTheReadStale() {
    KeyLog log = new KeyLog(START);
    Registration low = log.register();
    log.ddl(Set.of(OTHER), false);
    Set<PrimaryKeyValue> changed = new HashSet<>();
    assertNull(log.changedSince(low, T, changed), "DDL on another table is not the read's");
    log.boundary(at(100)); // a registration counts from the stream's last transaction end
    Registration again = log.register();
    log.ddl(Set.of(), true); // a statement that may have changed any table
    assertTrue(log.changedSince(again, T, changed).contains("DDL"));
    log.boundary(at(200));
    Registration third = log.register();
    log.rows(T, new int[0], List.of(update(5)));
    assertTrue(log.changedSince(third, T, changed).contains("no primary key"));
  }

  @Test
  void entriesNoRegistrationNeeds_areDropped_andAReadRegisteredLaterSeesNoneOfThem() {
    KeyLog log = new KeyLog(START);
    Registration low = log.register();
    log.rows(T, KEY, List.of(update(1)));
    log.boundary(at(100));
    log.release(low);
    log.rows(T, KEY, List.of(update(2)));
    log.boundary(at(200)); // nobody registered: the log empties
    Registration later = log.register();
    Set<PrimaryKeyValue> changed = new HashSet<>();
    assertNull(log.changedSince(later, T, changed));
    assertEquals(Set.of(), changed);
  }

  @Test
  void aReconnectAtTheLastTransactionEnd_dropsTheCutOffTransaction_elsewhereStartsANewEpoch() {
    KeyLog log = new KeyLog(START);
    log.boundary(at(100));
    Registration low = log.register();
    log.rows(T, KEY, List.of(update(1)));
    log.boundary(at(200));
    log.rows(T, KEY, List.of(update(2))); // a transaction the connection lost mid-way
    log.sessionStarted(at(200)); // read again from its start
    Set<PrimaryKeyValue> changed = new HashSet<>();
    assertNull(log.changedSince(low, T, changed));
    assertEquals(Set.of(key(1)), changed);
    assertEquals(low.epoch(), log.epoch());

    Registration inFlight = log.register();
    log.sessionStarted(at(50)); // anywhere else: the chunks in flight count for nothing
    assertNotEquals(inFlight.epoch(), log.epoch());
    assertEquals(at(50), log.boundary());
  }

  @Test
  void ddlSince_seesOnlyDdlAfterTheRegistration_namingTheTableOrEverything() {
    KeyLog log = new KeyLog(START);
    log.ddl(Set.of(T), false); // an ALTER before the read: not the read's business
    log.boundary(at(100));
    Registration low = log.register();
    assertEquals(false, log.ddlSince(low, T));
    log.ddl(Set.of(OTHER), false);
    log.boundary(at(200));
    assertEquals(false, log.ddlSince(low, T), "another table's");
    log.ddl(Set.of(T, OTHER), false); // RENAME TABLE t TO x, other TO t
    assertTrue(log.ddlSince(low, T));
    assertTrue(log.ddlSince(low, T), "the registration stays");

    log.boundary(at(300));
    Registration later = log.register();
    assertEquals(false, log.ddlSince(later, T));
    log.ddl(Set.of(), true); // a statement that may have changed anything
    assertTrue(log.ddlSince(later, T));
  }
}
