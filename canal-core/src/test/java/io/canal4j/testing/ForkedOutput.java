package io.canal4j.testing;

import java.util.function.Predicate;

/**
 * Line matchers for the output of the forked canals ({@link ForkedCanalMain}, {@link
 * DurableSinkMain}), which print {@code applied <n>} after each row event they applied.
 */
public final class ForkedOutput {
  private ForkedOutput() {}

  /** A forked canal's "applied n" line with n of at least {@code rows}. */
  public static Predicate<String> applied(long rows) {
    return line -> line.startsWith("applied ") && Long.parseLong(line.substring(8)) >= rows;
  }

  /**
   * The first "applied n" line after a line that starts with {@code marker} (e.g. {@code "synced
   * "}: a row streamed after the snapshot's handoff). Stateful: one matcher per wait.
   */
  public static Predicate<String> appliedAfter(String marker) {
    boolean[] seen = {false};
    return line -> {
      if (line.startsWith(marker)) {
        seen[0] = true;
      }
      return seen[0] && line.startsWith("applied ");
    };
  }
}
