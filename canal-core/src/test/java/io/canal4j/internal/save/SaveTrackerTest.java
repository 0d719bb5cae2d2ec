package io.canal4j.internal.save;

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
          String mark = position.isSnapshotMark() ? "#" + position.snapshotMark() : "";
          synced.add(position.offset() + mark + (force ? "!" : ""));
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

  /** A plan of {@code n} whole-table chunks of tables t0..t(n-1). */
  private static SnapshotPlan plan(int n) {
    List<io.canal4j.dump.Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      chunks.add(io.canal4j.dump.Chunk.whole(new io.canal4j.schema.TableId("db", "t" + i)));
    }
    return new SnapshotPlan(chunks, new java.util.BitSet());
  }

  private String savedDone() {
    String progress = store.load().orElseThrow().snapshotProgress();
    return progress.substring(0, progress.indexOf('\n'));
  }

  @Test
  void pointSnapshot_autoCommit_marksAChunkDoneOnlyAfterTheSavePointThatCoversIt() {
    List<String> doneWhenSynced = new ArrayList<>();
    EventHandler flushing =
        new EventHandler() {
          @Override
          public void onPosSynced(Position position, boolean force) {
            synced.add(position.offset() + "#" + position.snapshotMark());
            doneWhenSynced.add(savedDone());
          }
        };
    SaveTracker t = new SaveTracker(flushing, store, SavePolicy.everyCommit(), false);
    SnapshotPlan plan = plan(3);
    t.pointSnapshotPlanned(at(4), plan);
    assertEquals("canal4j-snapshot 2 done=", savedDone(), "the plan at once, nothing done");
    assertEquals(List.of(), synced, "a plan with nothing done needs no save point");
    plan.markDone(0);
    t.chunkDelivered(0, at(4));
    t.pointChunkDelivered(at(4));
    assertEquals(List.of("4#1"), synced, "a save point marked with the one chunk delivered");
    assertEquals(
        List.of("canal4j-snapshot 2 done="), doneWhenSynced, "not saved as done before it");
    assertEquals("canal4j-snapshot 2 done=0", savedDone());
    assertEquals(4, saved(), "the checkpoint keeps the first point");
  }

  @Test
  void pointSnapshot_manualCommit_savesAsDoneOnlyTheChunksTheHandlerCommitted() {
    SaveTracker t = new SaveTracker(handler, store, SavePolicy.everyCommit(), true);
    SnapshotPlan plan = plan(3);
    t.pointSnapshotPlanned(at(4), plan);
    Position beforeAny = t.mark(at(4));
    for (int i = 0; i < 2; i++) {
      plan.markDone(i);
      t.chunkDelivered(i, at(4));
    }
    Position afterTwo = t.mark(at(4));
    assertEquals(2, afterTwo.snapshotMark());
    t.pointChunkDelivered(at(4));
    assertEquals("canal4j-snapshot 2 done=", savedDone(), "nothing committed");
    t.acknowledge(beforeAny);
    t.pointChunkDelivered(at(4));
    assertEquals("canal4j-snapshot 2 done=", savedDone(), "a mark covers chunks before it only");
    t.acknowledge(afterTwo.binlogPoint().withSnapshotMark(1));
    t.pointChunkDelivered(at(4));
    assertEquals("canal4j-snapshot 2 done=0", savedDone());
    t.acknowledge(afterTwo);
    plan.markDone(2);
    t.chunkDelivered(2, at(4));
    t.snapshotDelivered(at(4)); // the handoff, not acknowledged yet: the plan stays
    assertEquals("canal4j-snapshot 2 done=0-1", savedDone());
    t.acknowledge(t.mark(at(4)));
    t.transactionEnd(at(100), false);
    assertEquals("canal4j-snapshot 2 done=0-2", savedDone(), "every chunk committed");
    t.acknowledge(at(100));
    t.transactionEnd(at(200), false);
    assertEquals(null, store.load().orElseThrow().snapshotProgress(), "handoff acknowledged");
    assertEquals(100, saved());
  }

  @Test
  void pointSnapshot_aRetriedAttempt_ignoresCommitsOfMarksFromTheAttemptBefore() {
    SaveTracker t = new SaveTracker(handler, store, SavePolicy.everyCommit(), true);
    SnapshotPlan plan = plan(2);
    t.pointSnapshotPlanned(at(4), plan);
    plan.markDone(0);
    t.chunkDelivered(0, at(4));
    Position stale = t.mark(at(4)); // a flush thread may commit it late
    SnapshotPlan again = plan(2);
    t.pointSnapshotPlanned(at(4), again); // the connection was lost: the saved plan again
    again.markDone(1);
    t.chunkDelivered(1, at(7));
    t.acknowledge(stale);
    t.pointChunkDelivered(at(7));
    assertEquals("canal4j-snapshot 2 done=", savedDone(), "chunk 1 of the new attempt is not");
  }

  @Test
  void watermarkSnapshot_manualCommit_aChunkIsDurableOnceACommitComesAfterIt() {
    SaveTracker t = new SaveTracker(handler, store, SavePolicy.everyCommit(), true);
    SnapshotPlan plan = new SnapshotPlan(plan(2).chunks(), new java.util.BitSet(), true);
    t.startedFresh(at(4));
    t.snapshotRunning(() -> t.durable(plan).format());
    t.transactionEnd(at(100), false);
    plan.markDone(0);
    t.chunkDelivered(0, at(100)); // delivered after the transaction that ended at 100
    t.acknowledge(at(100));
    t.transactionEnd(at(200), false);
    assertEquals(100, saved());
    assertEquals("canal4j-watermarks 1 done=", savedDone(), "100 was before the chunk");
    t.acknowledge(at(200));
    t.transactionEnd(at(300), false);
    assertEquals("canal4j-watermarks 1 done=0", savedDone());
    plan.markDone(1);
    t.chunkDelivered(1, at(300));
    Position mark = t.mark(at(300));
    t.acknowledge(mark); // a SNAPSHOT event's position: the stream up to 300 and both chunks
    t.snapshotFinished(at(300));
    t.transactionEnd(at(300), true);
    assertEquals(300, saved());
    assertEquals(null, store.load().orElseThrow().snapshotProgress(), "complete and durable");
  }

  @Test
  void watermarkSnapshot_manualCommit_theLastChunkKeepsThePlanUntilCommitted() {
    SaveTracker t = new SaveTracker(handler, store, SavePolicy.everyCommit(), true);
    SnapshotPlan plan = new SnapshotPlan(plan(1).chunks(), new java.util.BitSet(), true);
    t.startedFresh(at(4));
    t.snapshotRunning(() -> t.durable(plan).format());
    t.transactionEnd(at(100), false);
    t.acknowledge(at(100)); // the XID at 100, flushed before the chunk came
    plan.markDone(0);
    t.chunkDelivered(0, at(100));
    t.snapshotFinished(at(100));
    t.transactionEnd(at(100), true);
    assertEquals("canal4j-watermarks 1 done=", savedDone(), "its rows are not durable yet");
    assertEquals("100#2!", synced.get(synced.size() - 1), "the save point is marked");
  }

  @Test
  void pointSnapshot_aMarkThisCanalDidNotMake_coversNothing() {
    SaveTracker t = new SaveTracker(handler, store, SavePolicy.everyCommit(), true);
    SnapshotPlan plan = plan(2);
    t.pointSnapshotPlanned(at(4), plan);
    t.acknowledge(at(4).withSnapshotMark(900)); // e.g. kept by a sink from an earlier run
    plan.markDone(0);
    t.chunkDelivered(0, at(4));
    t.pointChunkDelivered(at(4));
    assertEquals("canal4j-snapshot 2 done=", savedDone(), "chunk 0 was not committed");
  }
}
