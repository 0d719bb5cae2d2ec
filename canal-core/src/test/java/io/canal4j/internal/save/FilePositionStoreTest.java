package io.canal4j.internal.save;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.Checkpoint;
import io.canal4j.error.CheckpointException;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePositionStoreTest {
  @TempDir Path dir;

  private static Checkpoint checkpoint() {
    Position p =
        new Position(
            Flavor.MYSQL,
            "binlog.000042",
            1234,
            GtidSet.parse(Flavor.MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77"),
            "3e11fa47-71ca-11e1-9e33-c80aa9429562");
    return new Checkpoint(p, "history-v3", null, Instant.parse("2026-11-21T10:15:30.123Z"));
  }

  @Test
  void load_missingFile_isEmpty() {
    assertFalse(new FilePositionStore(dir.resolve("none.pos")).load().isPresent());
  }

  @Test
  void save_thenLoad_roundTrips_andFileIsHumanReadable() throws Exception {
    Path file = dir.resolve("sub/dir/canal.pos");
    FilePositionStore store = new FilePositionStore(file);
    store.save(checkpoint());
    assertEquals(checkpoint(), store.load().orElseThrow());
    String text = Files.readString(file);
    assertTrue(text.contains("position=v1;flavor=MYSQL;file=binlog.000042;offset=1234;"), text);
    assertTrue(text.contains("saved.at=2026-11-21T10:15:30.123Z"), text);
    assertFalse(Files.exists(dir.resolve("sub/dir/canal.pos.tmp")), "temp file renamed away");
  }

  @Test
  void load_editedFile_isReportedCorrupt() throws Exception {
    Path file = dir.resolve("canal.pos");
    FilePositionStore store = new FilePositionStore(file);
    store.save(checkpoint());
    Files.writeString(file, Files.readString(file).replace("offset=1234", "offset=1235"));
    CheckpointException e = assertThrows(CheckpointException.class, store::load);
    assertTrue(e.getMessage().contains("crc32 does not match"), e.getMessage());
    assertTrue(e.getMessage().contains("delete it to start again"), e.getMessage());
  }

  @Test
  void load_truncatedOrGarbage_isReportedCorrupt() throws Exception {
    Path file = dir.resolve("canal.pos");
    Files.writeString(file, "format=canal4j-checkpoint\nversion=1\npos");
    assertThrows(CheckpointException.class, () -> new FilePositionStore(file).load());
    Files.write(file, new byte[] {0, 1, 2, (byte) 0xFF});
    assertThrows(CheckpointException.class, () -> new FilePositionStore(file).load());
  }

  @Test
  void load_unknownVersion_namesBothVersions() throws Exception {
    Path file = dir.resolve("canal.pos");
    String body = "format=canal4j-checkpoint\nversion=9\nposition=x\nsaved.at=y\n";
    Files.writeString(file, body + "crc32=" + FilePositionStore.crc32(body) + "\n");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> new FilePositionStore(file).load());
    assertTrue(e.getMessage().contains("has checkpoint version 9"), e.getMessage());
  }

  @Test
  void schemaHistory_livesInItsOwnFile_writtenOnlyWhenItChanges_andOldOnesAreDeleted()
      throws Exception {
    Path file = dir.resolve("canal.pos");
    FilePositionStore store = new FilePositionStore(file);
    String v1 = "canal4j-schema-history 1\ntable\td\tt\tutf8mb4\tid\n";
    Checkpoint first = new Checkpoint(checkpoint().position(), v1, null, Instant.EPOCH);
    store.save(first);
    assertEquals(v1, store.load().orElseThrow().schemaHistory());
    Path historyFile = onlyHistoryFile(file);
    assertEquals(v1, Files.readString(historyFile), "kept as text beside the position file");
    assertTrue(Files.readString(file).contains("schema.history.file=" + historyFile.getFileName()));

    Files.setLastModifiedTime(historyFile, java.nio.file.attribute.FileTime.fromMillis(0));
    store.save(new Checkpoint(checkpoint().position(), v1, null, Instant.now()));
    assertEquals(
        0,
        Files.getLastModifiedTime(historyFile).toMillis(),
        "an unchanged history is not rewritten");

    String v2 = v1 + "col\tid\tINT\tint\t--\t\\N\t0\t0\n";
    store.save(new Checkpoint(checkpoint().position(), v2, null, Instant.now()));
    assertEquals(v2, new FilePositionStore(file).load().orElseThrow().schemaHistory());
    assertFalse(Files.exists(historyFile), "the history no checkpoint names any more is deleted");
    assertEquals(v2, Files.readString(onlyHistoryFile(file)));
  }

  @Test
  void schemaHistory_missingOrDamaged_isReportedCorrupt() throws Exception {
    Path file = dir.resolve("canal.pos");
    FilePositionStore store = new FilePositionStore(file);
    store.save(new Checkpoint(checkpoint().position(), "some history", null, Instant.EPOCH));
    Path historyFile = onlyHistoryFile(file);
    Files.writeString(historyFile, "some other history");
    CheckpointException damaged = assertThrows(CheckpointException.class, store::load);
    assertTrue(damaged.getMessage().contains("does not match its crc32"), damaged.getMessage());
    Files.delete(historyFile);
    CheckpointException missing = assertThrows(CheckpointException.class, store::load);
    assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());
    assertTrue(missing.getMessage().contains(historyFile.toString()), missing.getMessage());
  }

  @Test
  void load_whileAnotherThreadOrProcessSaves_seesACompleteCheckpoint_neverAMissingSideFile()
      throws Exception {
    // A save that drops the snapshot plan deletes its file right after the new position file is in
    // place; a reader that read the old position file a moment before must not call that corrupt.
    Path file = dir.resolve("canal.pos");
    FilePositionStore writer = new FilePositionStore(file);
    FilePositionStore otherProcess = new FilePositionStore(file);
    Position p = checkpoint().position();
    writer.save(new Checkpoint(p, "history", "chunk=0\nplan 0", Instant.EPOCH));
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger loads =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    List<Thread> readers = new java.util.ArrayList<>();
    for (FilePositionStore reader : List.of(writer, otherProcess)) {
      Thread t =
          new Thread(
              () -> {
                while (!done.get()) {
                  try {
                    Checkpoint c = reader.load().orElseThrow();
                    String progress = c.snapshotProgress();
                    if (progress != null && !progress.startsWith("chunk=")) {
                      failures.add(new AssertionError("a mixed checkpoint: " + progress));
                    }
                    loads.incrementAndGet();
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                }
              });
      t.start();
      readers.add(t);
    }
    try {
      for (int i = 1; i <= 600 && failures.isEmpty(); i++) {
        String progress = i % 2 == 0 ? "chunk=" + i + "\nplan " + i : null;
        writer.save(new Checkpoint(p, "history", progress, Instant.EPOCH));
      }
    } finally {
      done.set(true);
      for (Thread t : readers) {
        t.join();
      }
    }
    assertTrue(failures.isEmpty(), () -> "a load failed: " + failures.peek());
    assertTrue(loads.get() > 0);
  }

  private static Path onlyHistoryFile(Path file) throws Exception {
    try (var files = Files.list(file.getParent())) {
      List<Path> found =
          files.filter(f -> f.getFileName().toString().startsWith("canal.pos.schema-")).toList();
      assertEquals(1, found.size(), found.toString());
      return found.get(0);
    }
  }
}
