package io.canal4j;

import io.canal4j.internal.save.FilePositionStore;
import io.canal4j.internal.save.InMemoryPositionStore;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a canal keeps its {@link Checkpoint} between runs. The canal calls it on its own thread, at
 * start ({@link #load()}) and at save points ({@link #save}).
 *
 * <p>Implementations must make {@link #save} atomic: after a crash at any moment, {@link #load()}
 * returns either the previous checkpoint or the new one, never a mix, and never a checkpoint it
 * cannot read. A record that cannot be read is reported by {@link #load()} as a {@link
 * io.canal4j.error.CheckpointException} naming the store and the fix; it is never treated as "no
 * checkpoint", which would silently start over.
 *
 * <p>The canal calls {@link #save} only with what its handler has made durable: after {@link
 * EventHandler#onPosSynced} returned for it, or with manual commit once the handler committed a
 * position covering it. A store need not know about the handler; it must only not lose a save.
 */
public interface PositionStore {

  /** The last saved checkpoint, or empty when none was ever saved. */
  Optional<Checkpoint> load();

  /** Saves {@code checkpoint}, replacing the previous one atomically. */
  void save(Checkpoint checkpoint);

  /** A store that lives as long as the JVM (tests, or pipelines that always start fresh). */
  static PositionStore inMemory() {
    return new InMemoryPositionStore();
  }

  /**
   * A human-readable file, replaced atomically and fsynced on every save. The parent directory is
   * created if missing. Its {@link #load()} may be called from another thread or process while the
   * canal runs (to show progress, say); it sees a whole checkpoint, the last saved or the one
   * before.
   */
  static PositionStore file(Path path) {
    return new FilePositionStore(path);
  }
}
