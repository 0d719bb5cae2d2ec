package io.canal4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.canal4j.Checkpoint;
import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.SavePolicy;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaveTrackerTest {
  private final List<String> synced = new ArrayList<>();
  private final EventHandler handler =
      new EventHandler() {
        @Override
        public void onPosSynced(Position position, boolean force) {
          synced.add(position.offset() + (force ? "!" : ""));
        }
      };
  private final PositionStore store = PositionStore.inMemory();

  private static Position at(long offset) {
    return Position.of(Flavor.MARIADB, "binlog.000001", offset);
  }

  private long saved() {
    return store.load().map(Checkpoint::position).map(Position::offset).orElse(-1L);
  }

  @Test
  void periodicPolicy_coalescesUnforcedSaves_butForcedOnesAlwaysSave() {
    SaveTracker t =
        new SaveTracker(handler, store, SavePolicy.periodic(Duration.ofHours(1)), false);
    t.resumedFrom(at(4));
    t.transactionEnd(at(100), false);
    t.transactionEnd(at(200), false);
    assertEquals(List.of(), synced, "no unforced save within the interval");
    assertEquals(-1, saved());
    t.transactionEnd(at(300), true);
    assertEquals(List.of("300!"), synced);
    assertEquals(300, saved());
  }

  @Test
  void freshStart_savesTheStartPositionAtOnce() {
    SaveTracker t =
        new SaveTracker(handler, store, SavePolicy.periodic(Duration.ofHours(1)), false);
    t.startedFresh(at(4));
    assertEquals(4, saved(), "a crash before the first save point must not skip ahead");
    assertEquals(List.of("4!"), synced);
  }

  @Test
  void resume_doesNotSaveAgain() {
    SaveTracker t =
        new SaveTracker(handler, store, SavePolicy.periodic(Duration.ofHours(1)), false);
    t.resumedFrom(at(4));
    t.save(true);
    assertEquals(-1, saved(), "the resumed-from position is already in the store");
  }

  @Test
  void everyCommit_savesEachTransactionEnd() {
    SaveTracker t = new SaveTracker(handler, store, SavePolicy.everyCommit(), false);
    t.resumedFrom(at(4));
    t.transactionEnd(at(100), false);
    t.transactionEnd(at(200), false);
    assertEquals(List.of("100", "200"), synced);
    assertEquals(200, saved());
  }

  @Test
  void manualCommit_neverSavesPastTheAcknowledgedPosition() {
    SaveTracker t = new SaveTracker(handler, store, SavePolicy.everyCommit(), true);
    t.resumedFrom(at(4));
    t.transactionEnd(at(100), false);
    assertEquals(-1, saved(), "nothing acknowledged beyond the start: nothing new saved");
    t.acknowledge(at(100));
    t.transactionEnd(at(200), false);
    assertEquals(100, saved(), "synced 200, acknowledged 100: saves 100");
    t.acknowledge(at(50)); // late, older acknowledgement does not move it back
    t.acknowledge(at(200));
    t.transactionEnd(at(300), true);
    assertEquals(200, saved());
    assertFalse(synced.isEmpty());
  }

  @Test
  void manualCommit_savesTheSchemaHistoryInForceAtTheSavedPosition() {
    String[] history = {"v1"};
    io.canal4j.schema.TableSchemaCache schemas =
        new io.canal4j.schema.TableSchemaCache() {
          @Override
          public io.canal4j.schema.TableSchema schemaAt(
              io.canal4j.schema.TableMap tableMap, Position position) {
            throw new UnsupportedOperationException();
          }

          @Override
          public String history() {
            return history[0];
          }
        };
    SaveTracker t = new SaveTracker(handler, store, SavePolicy.everyCommit(), true);
    t.saveHistoryOf(schemas);
    t.resumedFrom(at(4));
    t.transactionEnd(at(100), false);
    history[0] = "v2"; // a DDL ends at 200
    t.transactionEnd(at(200), true);
    history[0] = "v3"; // another at 300
    t.transactionEnd(at(300), true);
    t.acknowledge(at(100));
    t.transactionEnd(at(400), false);
    assertEquals("v1", store.load().orElseThrow().schemaHistory(), "100 is before the DDLs");
    t.acknowledge(at(200));
    t.transactionEnd(at(500), false);
    assertEquals(200, saved());
    assertEquals("v2", store.load().orElseThrow().schemaHistory(), "200 is the first DDL's end");
    t.acknowledge(at(500));
    t.transactionEnd(at(600), false);
    assertEquals(500, saved());
    assertEquals("v3", store.load().orElseThrow().schemaHistory());
  }
}
