package io.canal4j;

import io.canal4j.dump.Chunk;
import java.util.function.Consumer;

/**
 * Tests' access to the builder's package-private hooks, for tests in other packages. The hooks are
 * injected into the canal they build; production code holds no static test state.
 */
public final class TestHooks {
  private TestHooks() {}

  /**
   * Runs {@code hook} on the lock-free snapshot's reader thread after each chunk's rows were read
   * and before its high watermark.
   */
  public static Canal.Builder afterChunkRead(Canal.Builder builder, Consumer<Chunk> hook) {
    return builder.afterChunkRead(hook);
  }
}
