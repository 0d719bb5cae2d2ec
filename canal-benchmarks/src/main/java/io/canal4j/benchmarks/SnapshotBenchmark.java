package io.canal4j.benchmarks;

import io.canal4j.SnapshotMethod;
import io.canal4j.testkit.MariaDbSandbox;
import io.canal4j.testkit.MySqlSandbox;
import io.canal4j.testkit.SandboxBuilder;
import io.canal4j.testkit.SandboxServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Initial-snapshot throughput: canal4j's snapshot of one table, with one reader and with several,
 * against a plain streaming JDBC {@code SELECT *} of the same table with the same driver.
 *
 * <p>Setup loads a fixed, seeded table ({@link SnapshotTable}: {@code rows} rows of nine typical
 * columns) into a private sandbox server, with a buffer pool large enough to hold it. Then three
 * sides read the whole table, {@code rounds} times each in alternating order (JDBC, canal4j with 1
 * reader, canal4j with {@code readers}, JDBC, ...), so a drift of the machine hits all of them:
 *
 * <ul>
 *   <li><b>jdbc</b>: one Connector/J connection, {@code SELECT * FROM orders} streamed
 *       (forward-only, fetch size {@code Integer.MIN_VALUE}), every value read with {@code
 *       getObject} (or {@code getString}) and folded into a checksum ({@link JdbcTableRead});
 *   <li><b>canal4j-1</b> and <b>canal4j-N</b>: a {@code Canal} in {@code SNAPSHOT_ONLY} mode with 1
 *       and N snapshot threads, whose handler folds every value of every {@code SNAPSHOT} row into
 *       a checksum ({@link CanalSnapshotRead}).
 * </ul>
 *
 * Each round of each side runs in a fresh JVM ({@link SnapshotFork}) that first reads the table
 * {@code warmups} times unmeasured. The measured time runs from connecting (canal4j: {@code
 * Canal.start()}, so its server checks, locking, schema loading and chunk planning count) to the
 * last row handled; "flow" rates, from the first row to the last, are printed too. Every side must
 * deliver exactly the table's rows. Checksums are sums of per-row hashes, so they do not depend on
 * row order: canal4j's must be the same with 1 and N readers and in every round, or the run fails.
 * JDBC's differs from canal4j's (other value types) but is the same in every round.
 *
 * <p>Run (needs {@code mariadbd}, e.g. {@code apt-get install mariadb-server}); nothing is
 * installed into {@code ~/.m2}:
 *
 * <pre>
 * mvn -B -q -pl canal-benchmarks -am compile dependency:build-classpath \
 *   -Dmdep.outputFile=/tmp/bench-cp.txt -DincludeScope=runtime
 * java -cp canal-benchmarks/target/classes:$(cat /tmp/bench-cp.txt) -Drows=600000 -Drounds=3 \
 *   io.canal4j.benchmarks.SnapshotBenchmark
 * </pre>
 *
 * System properties, with defaults:
 *
 * <ul>
 *   <li>{@code rows=600000}: rows in the table (at least 10000, a multiple of 1000);
 *   <li>{@code rounds=3}: measured reads of each side;
 *   <li>{@code warmups=1}: unmeasured reads before each measured one, in the same JVM;
 *   <li>{@code readers=4}: canal4j's snapshot threads for the N-reader side;
 *   <li>{@code chunkRows=10000}: canal4j's {@code snapshotChunkRows} (its default);
 *   <li>{@code method=AUTO}: canal4j's {@code snapshotMethod}: {@code AUTO} (one point: MariaDB one
 *       reader lock-free, else FLUSH TABLES WITH READ LOCK), {@code POINT} or {@code WATERMARKS}
 *       (the lock-free DBLog snapshot, the binlog streaming meanwhile);
 *   <li>{@code server=mariadb}: {@code mariadb} (MariaDB from the machine's package) or {@code
 *       mysql} (the bundled MySQL 8.0.31);
 *   <li>{@code jdbc=object}: how the baseline reads values, {@code object} ({@code getObject}) or
 *       {@code string} ({@code getString});
 *   <li>{@code tls=off}: {@code off} gives both sides {@code sslMode=DISABLED}, so the read paths
 *       are compared, not encryption; {@code driver} leaves Connector/J's default ({@code
 *       PREFERRED}: TLS where the server offers it, as MySQL 8.0 does, the MariaDB sandbox not);
 *       both sides always get the same connection properties;
 *   <li>{@code seed=42}: the table's random seed;
 *   <li>{@code timeout=600s}: the longest one read may take;
 *   <li>{@code maxLoad} (unset: no check): before each fork, wait until the machine's 1-minute load
 *       average is below this (the benchmark's own forks raise it by about 0.5), for at most {@code
 *       maxLoadWait=600s}; a fork that starts above it anyway is marked in its line;
 *   <li>{@code forkJvmArgs}: options for the reading JVMs, space-separated; {@code {fork}} becomes
 *       the fork's name, e.g. {@code
 *       -DforkJvmArgs=-XX:StartFlightRecording=filename=/tmp/{fork}.jfr,settings=profile}.
 * </ul>
 */
public final class SnapshotBenchmark {
  private SnapshotBenchmark() {}

  /** The reading JVMs' options: the user's, and the snapshot method for canal4j's sides. */
  private static List<String> forkOptions(String forkJvmArgs, String method) {
    List<String> options = new ArrayList<>();
    if (!forkJvmArgs.isEmpty()) {
      options.addAll(List.of(forkJvmArgs.split("\\s+")));
    }
    options.add("-D" + CanalSnapshotRead.METHOD_PROPERTY + "=" + method);
    return options;
  }

  public static void main(String[] args) {
    int status = 1;
    try {
      for (String logger :
          List.of(
              "io.canal4j.Canal", "io.canal4j.internal", "io.canal4j.dump", "io.canal4j.schema")) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
          System.setProperty(key, "warn");
        }
      }
      if (args.length > 0 && args[0].equals(SnapshotFork.CHILD_FLAG)) {
        SnapshotFork.childMain(Arrays.asList(args).subList(1, args.length));
      } else {
        run();
      }
      status = 0;
    } catch (Throwable t) {
      System.err.println("BENCHMARK FAILED: " + t);
      t.printStackTrace();
    }
    System.exit(status);
  }

  private static void run() throws Exception {
    long rows = Long.getLong("rows", 600_000);
    int rounds = Integer.getInteger("rounds", 3);
    int warmups = Integer.getInteger("warmups", 1);
    int readers = Integer.getInteger("readers", 4);
    int chunkRows = Integer.getInteger("chunkRows", 10_000);
    long seed = Long.getLong("seed", 42);
    String flavor = System.getProperty("server", "mariadb").toLowerCase(Locale.ROOT);
    String jdbcMode = System.getProperty("jdbc", "object").toLowerCase(Locale.ROOT);
    String tls = System.getProperty("tls", "off").toLowerCase(Locale.ROOT);
    Duration timeout = Duration.parse("PT" + System.getProperty("timeout", "600s"));
    String forkJvmArgs = System.getProperty("forkJvmArgs", "").trim();
    String method = System.getProperty("method", "AUTO").toUpperCase(Locale.ROOT);
    SnapshotMethod.valueOf(method); // fails early on a typo
    String maxLoadText = System.getProperty("maxLoad");
    double maxLoad =
        maxLoadText == null ? Double.POSITIVE_INFINITY : Double.parseDouble(maxLoadText);
    Duration maxLoadWait = Duration.parse("PT" + System.getProperty("maxLoadWait", "600s"));
    if (rounds < 1 || warmups < 0 || readers < 2 || chunkRows < 1) {
      throw new IllegalArgumentException(
          "need rounds >= 1, warmups >= 0, readers >= 2, chunkRows >= 1");
    }
    if (!tls.equals("off") && !tls.equals("driver")) {
      throw new IllegalArgumentException("tls must be off or driver: " + tls);
    }
    String jdbcProperties =
        (tls.equals("off") ? "sslMode=DISABLED&" : "") + "allowPublicKeyRetrieval=true";
    if (!jdbcMode.equals("object") && !jdbcMode.equals("string")) {
      throw new IllegalArgumentException("jdbc must be object or string: " + jdbcMode);
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
            .name("snapbench")
            .serverOption("innodb_buffer_pool_size", "1G") // the table stays in memory
            .timeZone("+00:00")
            .start()) {
      System.out.printf(
          "machine: %d cores, load average %s, %s %s (%s)%nserver:  %s (%s)%n",
          Runtime.getRuntime().availableProcessors(),
          BinlogThroughputBenchmark.loadAverage(),
          System.getProperty("java.vm.name"),
          System.getProperty("java.runtime.version"),
          System.getProperty("java.vm.vendor"),
          server,
          server.version());
      long setupStarted = System.nanoTime();
      long bytes = new SnapshotTable(server, seed).load(rows);
      System.out.printf(
          "setup:   loaded %s.%s, %,d rows, %.1f MiB (data + index) in %.1f s (seed %d)%n",
          SnapshotTable.DATABASE,
          SnapshotTable.TABLE,
          rows,
          bytes / 1048576.0,
          (System.nanoTime() - setupStarted) / 1e9,
          seed);
      System.out.printf(
          "reads:   %d rounds each, alternating, each in a fresh JVM after %d warm-up reads;"
              + " canal4j chunks of %,d rows, snapshotMethod %s; JDBC values by get%s; both sides'"
              + " connections: %s%n%n",
          rounds,
          warmups,
          chunkRows,
          method,
          jdbcMode.equals("object") ? "Object" : "String",
          jdbcProperties);

      SnapshotFork.Settings settings =
          new SnapshotFork.Settings(
              new Endpoint(server.host(), server.port(), server.user(), server.password()),
              jdbcProperties,
              rows,
              warmups,
              chunkRows,
              jdbcMode.equals("string"),
              timeout,
              forkOptions(forkJvmArgs, method));
      Map<String, Integer> sides = new LinkedHashMap<>();
      sides.put("jdbc", 0);
      sides.put("canal4j-1", 1);
      sides.put("canal4j-" + readers, readers);
      Map<String, List<ReadResult>> results = new LinkedHashMap<>();
      sides.keySet().forEach(side -> results.put(side, new ArrayList<>()));
      Map<String, List<Long>> locks = new LinkedHashMap<>();
      sides.keySet().forEach(side -> locks.put(side, new ArrayList<>()));
      long serverId = 2000;
      for (int round = 1; round <= rounds; round++) {
        for (Map.Entry<String, Integer> side : sides.entrySet()) {
          double load = awaitLoadBelow(maxLoad, maxLoadWait);
          SnapshotFork.Outcome outcome =
              SnapshotFork.run(settings, side.getValue(), serverId, side.getKey() + "-" + round);
          serverId += warmups + 1;
          print("round " + round, side.getKey(), outcome, load, load >= maxLoad);
          results.get(side.getKey()).add(outcome.measured());
          locks.get(side.getKey()).add(outcome.lockMillis());
        }
      }
      checkChecksums(results);
      summarize(results, readers);
      for (String side : List.of("canal4j-1", "canal4j-" + readers)) {
        System.out.printf(
            "%-10s FLUSH TABLES WITH READ LOCK held (ms, -1 = no lock), by round: %s%n",
            side, locks.get(side));
      }
      System.out.printf("load average after: %s%n", BinlogThroughputBenchmark.loadAverage());
    }
  }

  /**
   * Waits until the 1-minute load average is below {@code maxLoad}, or {@code wait} has passed, and
   * returns the load average at the end (NaN where the machine does not tell).
   */
  private static double awaitLoadBelow(double maxLoad, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      double load = oneMinuteLoad();
      if (!(load >= maxLoad) || System.nanoTime() - deadline >= 0) {
        return load;
      }
      Thread.sleep(5_000);
    }
  }

  private static double oneMinuteLoad() {
    try {
      return Double.parseDouble(BinlogThroughputBenchmark.loadAverage().split(" ")[0]);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static void print(
      String label, String side, SnapshotFork.Outcome o, double load, boolean overLoad) {
    ReadResult r = o.measured();
    StringBuilder warm = new StringBuilder();
    for (ReadResult w : o.warmups()) {
      warm.append(warm.length() == 0 ? "" : ", ").append(String.format("%,.0f", w.rowsPerSecond()));
    }
    System.out.printf(
        "%-8s %-10s %,9d rows %6.3f s %,9.0f rows/s (first row after %5.3f s, then %,9.0f)"
            + " | CPU/row: JVM %5.2f us, thread %5.2f us | checksum %016x | warm-ups: %s rows/s"
            + " | %s | load %.2f%s%n",
        label,
        side,
        r.rows(),
        r.totalNanos() / 1e9,
        r.rowsPerSecond(),
        (r.totalNanos() - r.rowsNanos()) / 1e9,
        r.flowRowsPerSecond(),
        r.jvmCpuMicrosPerRow(),
        r.threadCpuMicrosPerRow(),
        r.checksum(),
        warm.length() == 0 ? "none" : warm,
        side.equals("jdbc")
            ? "no lock"
            : o.lockMillis() < 0 ? "no lock" : "read lock held " + o.lockMillis() + " ms",
        load,
        overLoad ? " (above maxLoad)" : "");
  }

  /** canal4j's checksum must not depend on the readers or the round; JDBC's not on the round. */
  private static void checkChecksums(Map<String, List<ReadResult>> results) {
    long canal = Long.MIN_VALUE;
    for (Map.Entry<String, List<ReadResult>> side : results.entrySet()) {
      long first = side.getValue().get(0).checksum();
      for (ReadResult r : side.getValue()) {
        if (r.checksum() != first) {
          throw new IllegalStateException(
              side.getKey() + "'s checksum changed between rounds: " + side.getValue());
        }
      }
      if (side.getKey().startsWith("canal4j")) {
        if (canal != Long.MIN_VALUE && canal != first) {
          throw new IllegalStateException(
              String.format(
                  "canal4j's checksums differ between 1 and N readers: %016x, %016x",
                  canal, first));
        }
        canal = first;
      }
    }
    System.out.printf(
        "%nchecksums: canal4j %016x with 1 and N readers, every round (asserted)%n", canal);
  }

  private static void summarize(Map<String, List<ReadResult>> results, int readers) {
    System.out.printf(
        "%n%-10s %12s %12s %12s %12s %14s%n",
        "", "best rows/s", "median", "flow best", "flow median", "JVM CPU/row");
    for (Map.Entry<String, List<ReadResult>> side : results.entrySet()) {
      List<ReadResult> rs = side.getValue();
      System.out.printf(
          "%-10s %,12.0f %,12.0f %,12.0f %,12.0f %11.2f us%n",
          side.getKey(),
          best(rs, ReadResult::rowsPerSecond),
          median(rs, ReadResult::rowsPerSecond),
          best(rs, ReadResult::flowRowsPerSecond),
          median(rs, ReadResult::flowRowsPerSecond),
          -best(rs, r -> -r.jvmCpuMicrosPerRow()));
    }
    List<ReadResult> jdbc = results.get("jdbc");
    for (String side : List.of("canal4j-1", "canal4j-" + readers)) {
      List<ReadResult> rs = results.get(side);
      System.out.printf(
          "%-9s/jdbc: best %.3f, median %.3f (flow: best %.3f, median %.3f);"
              + " JVM CPU per row %.2fx JDBC's%n",
          side,
          best(rs, ReadResult::rowsPerSecond) / best(jdbc, ReadResult::rowsPerSecond),
          median(rs, ReadResult::rowsPerSecond) / median(jdbc, ReadResult::rowsPerSecond),
          best(rs, ReadResult::flowRowsPerSecond) / best(jdbc, ReadResult::flowRowsPerSecond),
          median(rs, ReadResult::flowRowsPerSecond) / median(jdbc, ReadResult::flowRowsPerSecond),
          best(rs, r -> -r.jvmCpuMicrosPerRow()) / best(jdbc, r -> -r.jvmCpuMicrosPerRow()));
    }
  }

  private static double best(List<ReadResult> rs, ToDoubleFunction<ReadResult> f) {
    return rs.stream().mapToDouble(f).max().orElseThrow();
  }

  /** The middle value; with an even count, the lower of the two middle ones. */
  private static double median(List<ReadResult> rs, ToDoubleFunction<ReadResult> f) {
    List<ReadResult> sorted = new ArrayList<>(rs);
    sorted.sort(Comparator.comparingDouble(f));
    return f.applyAsDouble(sorted.get((sorted.size() - 1) / 2));
  }
}
