package io.canal4j.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the reads of one side of the {@link SnapshotBenchmark} in a fresh JVM: warm-up reads, then
 * one measured read. For the same reason as {@link DrainFork}: canal4j and the JDBC baseline run
 * the same driver code, and in one JVM each would shape the other's JIT profile.
 *
 * <p>The child prints one {@code WARMUP} line per warm-up read and a {@code RESULT} line, each a
 * {@link ReadResult#format()}; other lines are passed through.
 */
final class SnapshotFork {
  static final String CHILD_FLAG = "--snapshot-read";

  /** The canal's logger: the child logs it at INFO for the lock line, the others stay at WARN. */
  static final String CANAL_LOG = "io.canal4j.Canal";

  /** The line a point snapshot logs when it held {@code FLUSH TABLES WITH READ LOCK}. */
  private static final Pattern LOCK_HELD =
      Pattern.compile("FLUSH TABLES WITH READ LOCK held (\\d+) ms");

  /**
   * What one fork reported.
   *
   * @param lockMillis how long the measured read held the global read lock, from the canal's log;
   *     -1 when it took none (JDBC, or a consistent snapshot without a lock)
   */
  record Outcome(List<ReadResult> warmups, ReadResult measured, long lockMillis) {}

  /** How to run a fork: the same for every round and side. */
  record Settings(
      Endpoint server,
      String jdbcProperties,
      long rows,
      int warmups,
      int chunkRows,
      boolean jdbcStrings,
      Duration timeout,
      List<String> jvmOptions) {}

  private SnapshotFork() {}

  /**
   * Reads the table in a new JVM and waits for it.
   *
   * @param readers 0 for the JDBC baseline, else canal4j's snapshot threads
   * @param serverId the first replica server id the fork's canals use, one per read
   * @param forkName replaces {@code {fork}} in the JVM options, e.g. to name a JFR file
   */
  static Outcome run(Settings s, int readers, long serverId, String forkName)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dorg.slf4j.simpleLogger.log." + CANAL_LOG + "=info");
    for (String option : s.jvmOptions()) {
      command.add(option.replace("{fork}", forkName));
    }
    command.addAll(
        List.of(
            "-cp",
            DrainFork.classpath(),
            SnapshotBenchmark.class.getName(),
            CHILD_FLAG,
            Integer.toString(readers),
            s.server().host(),
            Integer.toString(s.server().port()),
            s.server().user(),
            s.server().password(),
            Long.toString(s.rows()),
            Integer.toString(s.warmups()),
            Integer.toString(s.chunkRows()),
            Boolean.toString(s.jdbcStrings()),
            Long.toString(serverId),
            s.timeout().toString(),
            s.jdbcProperties()));
    // The read whose lock counts is the last one (the measured read follows the warm-ups).
    long[] lock = {-1};
    int[] reads = {0};
    ForkOutput.Outcome<ReadResult> o =
        ForkOutput.run(
            command,
            forkName,
            s.timeout(),
            line -> {
              reads[0]++;
              return ReadResult.parse(line);
            },
            line -> {
              if (!line.contains(" INFO " + CANAL_LOG + " ")) {
                return false;
              }
              Matcher m = LOCK_HELD.matcher(line);
              if (m.find() && reads[0] == s.warmups()) {
                lock[0] = Long.parseLong(m.group(1));
              }
              return true; // the canal's INFO lines are read for the lock, not echoed
            });
    return new Outcome(o.warmups(), o.measured(), lock[0]);
  }

  /** The forked JVM's entry point; {@code args} start after {@value #CHILD_FLAG}. */
  static void childMain(List<String> args) throws Exception {
    int readers = Integer.parseInt(args.get(0));
    Endpoint server =
        new Endpoint(args.get(1), Integer.parseInt(args.get(2)), args.get(3), args.get(4));
    long rows = Long.parseLong(args.get(5));
    int warmups = Integer.parseInt(args.get(6));
    int chunkRows = Integer.parseInt(args.get(7));
    boolean jdbcStrings = Boolean.parseBoolean(args.get(8));
    long serverId = Long.parseLong(args.get(9));
    Duration timeout = Duration.parse(args.get(10));
    String properties = args.get(11);
    for (int i = 0; i <= warmups; i++) {
      System.gc(); // no garbage of the previous read is collected during this one
      long cpuBefore = DrainFork.processCpuNanos();
      ReadResult r =
          readers == 0
              ? new JdbcTableRead(server, properties, jdbcStrings).run()
              : new CanalSnapshotRead(server, properties, readers, chunkRows, rows, timeout)
                  .run(serverId + i);
      r = r.withJvmCpuNanos(DrainFork.processCpuNanos() - cpuBefore);
      if (r.rows() != rows) {
        throw new IllegalStateException("read " + r.rows() + " rows, the table holds " + rows);
      }
      System.out.println((i < warmups ? ForkOutput.WARMUP : ForkOutput.RESULT) + r.format());
    }
  }
}
