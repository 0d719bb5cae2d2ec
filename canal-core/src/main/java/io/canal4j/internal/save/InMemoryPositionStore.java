package io.canal4j.internal.save;

import io.canal4j.Checkpoint;
import io.canal4j.PositionStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Keeps the checkpoint in a field; thread-safe so tests can read it while the canal runs. */
public final class InMemoryPositionStore implements PositionStore {
  private final AtomicReference<Checkpoint> checkpoint = new AtomicReference<>();

  @Override
  public Optional<Checkpoint> load() {
    return Optional.ofNullable(checkpoint.get());
  }

  @Override
  public void save(Checkpoint c) {
    checkpoint.set(c);
  }

  @Override
  public String toString() {
    return "in-memory position store";
  }
}
