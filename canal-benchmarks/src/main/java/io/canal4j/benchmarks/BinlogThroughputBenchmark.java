package io.canal4j.benchmarks;

import io.canal4j.testkit.MariaDbSandbox;
import io.canal4j.testkit.MySqlSandbox;
import io.canal4j.testkit.SandboxBuilder;
import io.canal4j.testkit.SandboxServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * End-to-end binlog throughput: canal4j against the bare mysql-binlog-connector-java client it is
 * built on, on the same binlog range of a private sandbox server.
 *
 * <p>Setup writes a fixed, seeded workload ({@link BenchmarkWorkload}: mixed column types, 70%
 * 100-row INSERTs, 20% UPDATEs, 10% DELETEs, each statement a transaction) and notes its binlog
 * range. Then both sides drain exactly that range, {@code rounds} times each in alternating order
 * (bare, canal4j, bare, canal4j, ...), so a drift of the machine hits both:
 *
 * <ul>
 *   <li><b>bare</b>: a {@code BinaryLogClient} whose listener folds every cell of every row into a
 *       checksum ({@link BareClientDrain});
 *   <li><b>canal4j</b>: a {@code Canal} with default settings resuming from the range's start,
 *       whose handler folds every value of every row image into a checksum ({@link CanalDrain}).
 * </ul>
 *
 * Each round of each side runs in a fresh JVM ({@link DrainFork}) that first drains the range
 * {@code warmups} times unmeasured, so the JIT has compiled the hot paths for that side alone.
 *
 * <p>The measured time runs from the first row event to the commit at the range's end; connecting
 * (and canal4j's server checks and schema loading) is left out, but reported as "wall". Rates are
 * row changes per second (an UPDATE's before and after images count once); the summary compares the
 * best round of each. Each line also gives CPU time per row change, of the reading thread (measured
 * inside it, so other processes on the machine barely affect it) and of the whole JVM (GC and JIT
 * included). Both sides must see exactly the row changes the workload wrote, or the run fails.
 * Checksums differ between the sides because their value types differ; each side's checksum is the
 * same in every round.
 *
 * <p>Run (needs {@code mariadbd}, e.g. {@code apt-get install mariadb-server}):
 *
 * <pre>
 * mvn -B -q -pl canal-benchmarks -am install -DskipTests
 * mvn -B -q -pl canal-benchmarks exec:java -Drows=600000 -Drounds=3 -Dserver=mariadb
 * </pre>
 *
 * System properties, with defaults:
 *
 * <ul>
 *   <li>{@code rows=600000}: row changes to write (at least 10000);
 *   <li>{@code rounds=3}: measured drains of each side;
 *   <li>{@code warmups=2}: unmeasured drains before each measured one, in the same JVM;
 *   <li>{@code server=mariadb}: {@code mariadb} (MariaDB from the machine's package) or {@code
 *       mysql} (the bundled MySQL 8.0.31; adds a JSON column);
 *   <li>{@code bare=default}: how the bare client decodes cells: {@code default} (the connector's
 *       default deserializer: strings, {@code java.util.Date}s) or {@code raw} (compatibility modes
 *       that leave text and binary as bytes and temporal values as microseconds: less work than
 *       canal4j's final types);
 *   <li>{@code seed=42}: the workload's random seed;
 *   <li>{@code timeout=600s}: the longest one drain may take;
 *   <li>{@code forkJvmArgs}: options for the drain JVMs, space-separated; {@code {fork}} becomes
 *       the fork's name, e.g. {@code
 *       -DforkJvmArgs=-XX:StartFlightRecording=filename=/tmp/{fork}.jfr,settings=profile}.
 * </ul>
 */
public final class BinlogThroughputBenchmark {
  // Held so the JUL configuration is not garbage-collected with the logger.
  private static final Logger CONNECTOR_LOG = Logger.getLogger("com.github.shyiko.mysql.binlog");

  private BinlogThroughputBenchmark() {}

  public static void main(String[] args) {
    int status = 1;
    try {
      quietLogs();
      if (args.length > 0 && args[0].equals(DrainFork.CHILD_FLAG)) {
        DrainFork.childMain(Arrays.asList(args).subList(1, args.length));
      } else {
        run();
      }
      status = 0;
    } catch (Throwable t) {
      System.err.println("BENCHMARK FAILED: " + t);
      t.printStackTrace();
    }
    System.exit(status); // exec:java would otherwise wait for stray non-daemon threads
  }

  private static void run() throws Exception {
    long rows = Long.getLong("rows", 600_000);
    int rounds = Integer.getInteger("rounds", 3);
    int warmups = Integer.getInteger("warmups", 2);
    long seed = Long.getLong("seed", 42);
    String flavor = System.getProperty("server", "mariadb").toLowerCase(Locale.ROOT);
    String bareMode = System.getProperty("bare", "default").toLowerCase(Locale.ROOT);
    Duration timeout = Duration.parse("PT" + System.getProperty("timeout", "600s"));
    String forkJvmArgs = System.getProperty("forkJvmArgs", "").trim();
    if (rounds < 1 || warmups < 0) {
      throw new IllegalArgumentException("need rounds >= 1 and warmups >= 0");
    }
    if (!bareMode.equals("default") && !bareMode.equals("raw")) {
      throw new IllegalArgumentException("bare must be default or raw: " + bareMode);
    }
    SandboxBuilder<? extends SandboxServer> builder =
        switch (flavor) {
          case "mariadb" -> MariaDbSandbox.builder();
          case "mysql" -> MySqlSandbox.builder();
          default ->
              throw new IllegalArgumentException("server must be mariadb or mysql: " + flavor);
        };
    try (SandboxServer server =
        builder
            .name("bench")
            .serverOption("max_binlog_size", "1073741824") // the range fits in one file
            .serverOption("innodb_buffer_pool_size", "1G") // setup writes stay in memory
            .timeZone("+00:00")
            .start()) {
      System.out.printf(
          "machine: %d cores, load average %s, %s %s (%s)%nserver:  %s (%s)%n",
          Runtime.getRuntime().availableProcessors(),
          loadAverage(),
          System.getProperty("java.vm.name"),
          System.getProperty("java.runtime.version"),
          System.getProperty("java.vm.vendor"),
          server,
          server.version());
      long setupStarted = System.nanoTime();
      BinlogRange range = new BenchmarkWorkload(server, seed).write(rows);
      System.out.printf(
          "setup:   wrote %s in %.1f s (seed %d)%n",
          range, (System.nanoTime() - setupStarted) / 1e9, seed);
      System.out.printf(
          "drains:  %d rounds each, alternating, each in a fresh JVM after %d warm-up drains;"
              + " bare client decoding: %s%n%n",
          rounds, warmups, bareMode);

      DrainFork.Settings settings =
          new DrainFork.Settings(
              new Endpoint(server.host(), server.port(), server.user(), server.password()),
              range,
              warmups,
              bareMode,
              timeout,
              forkJvmArgs.isEmpty() ? List.of() : List.of(forkJvmArgs.split("\\s+")));
      List<DrainResult> bare = new ArrayList<>();
      List<DrainResult> canal = new ArrayList<>();
      long serverId = 1000;
      for (int round = 1; round <= rounds; round++) {
        for (String side : List.of("bare", "canal4j")) {
          DrainFork.Outcome outcome = DrainFork.run(settings, side, serverId, side + "-" + round);
          serverId += warmups + 1;
          print("round " + round, side, range, outcome);
          (side.equals("bare") ? bare : canal).add(outcome.measured());
        }
      }
      summarize(bare, canal);
      System.out.printf("load average after: %s%n", loadAverage());
    }
  }

  private static void print(String label, String side, BinlogRange range, DrainFork.Outcome o) {
    DrainResult r = o.measured();
    StringBuilder warm = new StringBuilder();
    for (DrainResult w : o.warmups()) {
      warm.append(warm.length() == 0 ? "" : ", ").append(String.format("%,.0f", w.rowsPerSecond()));
    }
    System.out.printf(
        "%-8s %-8s %,9d rows %6.3f s %,9.0f rows/s %6.1f MiB/s | CPU/row: thread %5.2f us,"
            + " JVM %5.2f us | wall %6.3f s | checksum %016x | warm-ups: %s rows/s%n",
        label,
        side,
        r.rowChanges(),
        r.streamNanos() / 1e9,
        r.rowsPerSecond(),
        range.bytes() / 1048576.0 / (r.streamNanos() / 1e9),
        r.threadCpuMicrosPerRow(),
        r.jvmCpuMicrosPerRow(),
        r.wallNanos() / 1e9,
        r.checksum(),
        warm.length() == 0 ? "none" : warm);
  }

  private static void summarize(List<DrainResult> bare, List<DrainResult> canal) {
    double bestBare = bare.stream().mapToDouble(DrainResult::rowsPerSecond).max().orElseThrow();
    double bestCanal = canal.stream().mapToDouble(DrainResult::rowsPerSecond).max().orElseThrow();
    double cpuBare =
        bare.stream().mapToDouble(DrainResult::threadCpuMicrosPerRow).min().orElseThrow();
    double cpuCanal =
        canal.stream().mapToDouble(DrainResult::threadCpuMicrosPerRow).min().orElseThrow();
    double ratio = bestCanal / bestBare;
    System.out.printf(
        "%nbest of %d       rows/s    thread CPU/row%n"
            + "bare         %,10.0f    %6.2f us%n"
            + "canal4j      %,10.0f    %6.2f us%n"
            + "canal4j/bare %10.3f    %6.3f (bare CPU / canal4j CPU)%n"
            + "target: canal4j/bare >= 0.95 (goal 1.0): %s%n",
        bare.size(),
        bestBare,
        cpuBare,
        bestCanal,
        cpuCanal,
        ratio,
        cpuBare / cpuCanal,
        ratio >= 0.95 ? "met" : "NOT met");
  }

  /**
   * The machine's 1, 5 and 15 minute load averages (Linux), which tell whether other processes
   * competed for the cores during the run.
   */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** Keeps per-drain lifecycle lines out of the results; warnings and errors still show. */
  private static void quietLogs() {
    CONNECTOR_LOG.setLevel(Level.WARNING);
    for (String logger : List.of("io.canal4j.Canal", "io.canal4j.internal")) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "warn");
      }
    }
  }
}
