package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.DurableSinkMain;
import io.canal4j.testkit.ForkedJvm;
import io.canal4j.testkit.MariaDbSandbox;
import io.canal4j.testkit.MySqlSandbox;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.SandboxServers;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TcpProxy;
import io.canal4j.testkit.TestDatabase;
import io.canal4j.testkit.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault suite: a consumer that keeps only what it made durable ({@link DurableSinkMain} with
 * default settings: point snapshot, periodic save points, automatic commit, its replicas on another
 * server) follows a source under a randomized workload (inserts, updates including primary-key
 * updates, deletes, multi-table transactions, DDL) while faults are thrown at it in an order drawn
 * from a seed: connection cuts ({@link TcpProxy}), server crashes (kill -9, restart on the same
 * data dir), consumer SIGKILLs (the first ones mid-snapshot) and one fail-over to a GTID replica.
 * At the end the replicas equal the source row for row, and every transaction delivered again after
 * a restart lies after the checkpoint that restart loaded.
 *
 * <p>Each run prints its figures (and appends them to {@code target/fault-suite.txt}): rows lost,
 * extra and differing, transactions delivered and replayed, and the longest recovery per fault
 * kind, recovery meaning from the fault until the consumer delivers a transaction committed after
 * it. The default is the short version CI runs; {@code -Dcanal4j.faults=soak} runs the long soak
 * (10 minutes at 500 transactions/s, 20 cuts, 5 server crashes, 10 consumer kills, one fail-over),
 * {@code -Dcanal4j.faults.servers=MYSQL,...} picks the servers, {@code -Dcanal4j.test.seed}
 * replays.
 */
class FaultSuiteTest {
  private static final Logger log = LoggerFactory.getLogger(FaultSuiteTest.class);
  private static final List<String> TABLES =
      List.of("workload_a", "workload_b", "workload_c", "workload_d");
  private static final Duration RECOVERY_LIMIT = Duration.ofSeconds(180);

  /** The servers the suite runs on, each as a dedicated source and replica it may kill. */
  enum ServerKind {
    MARIADB, // the machine's MariaDB (10.11 in CI)
    MARIADB_BUNDLED, // the testkit's MariaDB 11.4
    MYSQL;

    boolean available() {
      return this != MARIADB_BUNDLED || MariaDbSandbox.bundledAvailable();
    }

    SandboxServer start(String name, String serverId) {
      return switch (this) {
        case MARIADB, MARIADB_BUNDLED ->
            (this == MARIADB ? MariaDbSandbox.builder() : MariaDbSandbox.bundledBuilder())
                .name(name)
                .serverOption("server-id", serverId)
                .serverOption("log-slave-updates", "1")
                .start();
        case MYSQL -> MySqlSandbox.builder().name(name).serverOption("server-id", serverId).start();
      };
    }
  }

  /**
   * How much of everything; see the class documentation. {@code transactionsPerSecond} caps the two
   * workloads together (each writes half); it is above the 500/s the suite promises because outages
   * stall the writers, and the report gives the rate achieved.
   */
  record Plan(
      String name,
      int rowsPerTable,
      int transactionsPerSecond,
      int cuts,
      int serverKills,
      int snapshotKills,
      int streamKills,
      Duration faultTime,
      int ddlEvery) {

    static Plan fromProperties() {
      return "soak".equals(System.getProperty("canal4j.faults"))
          ? new Plan("soak", 50_000, 600, 20, 5, 2, 8, Duration.ofMinutes(10), 5_000)
          : new Plan("short", 10_000, 600, 2, 1, 2, 1, Duration.ofSeconds(8), 1_000);
    }

    int faults() {
      return cuts + serverKills + streamKills + 1; // and the fail-over
    }
  }

  /** Recovery times by fault kind, in milliseconds. */
  private final Map<String, List<Long>> recoveries = new LinkedHashMap<>();

  @ParameterizedTest(name = "{0}")
  @EnumSource(ServerKind.class)
  void faults_noRowLostOrDiffering_everyReplayAfterTheLoadedCheckpoint(
      ServerKind kind, @TempDir Path dir) throws Exception {
    assumeTrue(SandboxServers.external().isEmpty(), "the suite kills its own sandboxes");
    assumeTrue(kind.available(), "no bundled MariaDB on the classpath");
    String only = System.getProperty("canal4j.faults.servers");
    assumeTrue(
        only == null || Arrays.asList(only.split(",")).contains(kind.name()),
        "not in canal4j.faults.servers");
    Plan plan = Plan.fromProperties();
    long seed = Long.getLong("canal4j.test.seed", System.nanoTime());
    log.info("fault suite {} on {}: seed={}", plan.name(), kind, seed);
    Random random = new Random(seed);

    try (SandboxServer source = kind.start("faults-source", "1");
        SandboxServer replica = kind.start("faults-replica", "2");
        TestDatabase sink = SandboxServers.shared(ServerFlavor.MARIADB).createDatabase()) {
      assumeTrue(
          kind != ServerKind.MARIADB || !((MariaDbSandbox) source).isBundled(),
          "the machine has no MariaDB of its own: MARIADB_BUNDLED covers the bundled one");
      FailoverTest.replicate(replica, source);
      String db = "faults";
      source.execute("CREATE DATABASE " + db);
      try (Connection c = source.connect(db)) {
        for (String t : TABLES) {
          SnapshotTest.prefill(c, t, plan.rowsPerTable());
        }
      }
      try (Connection s = sink.connect()) {
        for (String t : TABLES) {
          Workload.createStandardTable(s, t); // for the replicas' CREATE TABLE ... LIKE
        }
      }
      Run run = new Run(kind, plan, source, replica, sink, db, dir.resolve("faults.pos"));
      try {
        run.go(random);
      } finally {
        run.close();
      }
      String report = run.report(seed);
      log.info("fault suite figures:\n{}", report);
      Files.writeString(
          Path.of("target", "fault-suite.txt"),
          report + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      assertEquals(0, run.diff.missing, "rows lost:\n" + report);
      assertEquals(0, run.diff.extra, "rows the source does not have:\n" + report);
      assertEquals(0, run.diff.differing, "rows differing:\n" + report);
      assertEquals(
          0, run.consumer.violationCount, "replays inside a loaded checkpoint:\n" + report);
      assertTrue(run.consumer.delivered > 0, "transactions delivered:\n" + report);
    }
  }

  /** One run of the suite on one kind of server. */
  private final class Run implements AutoCloseable {
    final ServerKind kind;
    final Plan plan;
    final SandboxServer source;
    final SandboxServer replica;
    final TestDatabase sink;
    final String db;
    final Flavor flavor;
    final Consumer consumer;
    SandboxServer primary;
    TcpProxy proxy;
    List<Workload> workloads = new ArrayList<>();
    long transactions;
    long rowChanges;
    long ddl;
    long outages;
    long writeNanos;
    long writeStart;
    final Map<String, Integer> faultCounts = new LinkedHashMap<>();
    Diff diff;

    Run(
        ServerKind kind,
        Plan plan,
        SandboxServer source,
        SandboxServer replica,
        TestDatabase sink,
        String db,
        Path pos)
        throws Exception {
      this.kind = kind;
      this.plan = plan;
      this.source = source;
      this.replica = replica;
      this.sink = sink;
      this.db = db;
      this.flavor = CanalTesting.positionFlavor(source);
      this.primary = source;
      this.proxy = TcpProxy.start(source);
      this.consumer = new Consumer(kind, sink, db, pos);
    }

    void go(Random random) throws Exception {
      startWorkloads(random);
      // Mid-snapshot kills: each after a random number of the run's snapshot rows.
      consumer.start(proxy, primary);
      for (int i = 0; i < plan.snapshotKills(); i++) {
        long rows = 1_000 + random.nextInt(TABLES.size() * plan.rowsPerTable() / 8);
        consumer.jvm.awaitLine(
            l ->
                l.startsWith("snapshot done")
                    || (l.startsWith("snapshot rows ") && Long.parseLong(l.substring(14)) >= rows),
            RECOVERY_LIMIT);
        long t0 = System.nanoTime();
        consumer.kill();
        consumer.start(proxy, primary);
        consumer.jvm.awaitLine(
            l -> l.startsWith("snapshot rows ") || l.startsWith("tx "), RECOVERY_LIMIT);
        recovered("consumer SIGKILL mid-snapshot", t0);
      }
      // The snapshot's end (a restart after it was saved as done goes straight to streaming).
      consumer.jvm.awaitLine(
          l -> l.startsWith("snapshot done") || l.startsWith("tx "), RECOVERY_LIMIT);

      List<String> faults = new ArrayList<>();
      faults.addAll(Collections.nCopies(plan.cuts(), "connection cut"));
      faults.addAll(Collections.nCopies(plan.serverKills(), "server kill -9"));
      faults.addAll(Collections.nCopies(plan.streamKills(), "consumer SIGKILL mid-stream"));
      Collections.shuffle(faults, random);
      faults.add(faults.size() / 2, "fail-over");
      long gap = plan.transactionsPerSecond() * plan.faultTime().toMillis() / 1000 / plan.faults();
      for (String fault : faults) {
        awaitTransactions(Math.max(gap, 50));
        faultCounts.merge(fault, 1, Integer::sum);
        GtidSet before = gtids(primary);
        long t0 = System.nanoTime();
        switch (fault) {
          case "connection cut" -> proxy.cutConnections();
          case "server kill -9" -> {
            primary.kill();
            primary.start();
          }
          case "consumer SIGKILL mid-stream" -> {
            consumer.kill();
            consumer.start(proxy, primary);
          }
          case "fail-over" -> {
            stopWorkloads();
            FailoverTest.awaitReplicaCaughtUp(replica, source);
            before = gtids(replica);
            t0 = System.nanoTime();
            source.kill();
            replica.execute(
                flavor == Flavor.MARIADB ? "STOP SLAVE" : "STOP REPLICA",
                flavor == Flavor.MARIADB ? "RESET SLAVE ALL" : "RESET REPLICA ALL");
            primary = replica;
            consumer.kill(); // a consumer moved to the new primary is restarted on it
            proxy.close();
            proxy = TcpProxy.start(replica);
            consumer.start(proxy, primary);
            startWorkloads(random);
          }
          default -> throw new AssertionError(fault);
        }
        GtidSet committed = before;
        consumer.jvm.awaitLine(
            l -> l.startsWith("tx ") && !committed.contains(l.substring(3)), RECOVERY_LIMIT);
        recovered(fault, t0);
      }
      awaitTransactions(Math.max(gap, 50));
      stopWorkloads();
      // Convergence: what the consumer made durable equals the source, once it has caught up.
      Diff last = null;
      long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        last = compare();
        if (last.isEqual()) {
          break;
        }
        awaitNextFlush();
      }
      diff = last;
      consumer.kill();
    }

    /** Waits for the consumer's next flush (a "durable" line after the ones printed so far). */
    private void awaitNextFlush() throws InterruptedException {
      int seen = (int) consumer.jvm.lines().stream().filter(l -> l.startsWith("durable ")).count();
      int[] count = {0};
      try {
        consumer.jvm.awaitLine(
            l -> l.startsWith("durable ") && ++count[0] > seen, Duration.ofSeconds(30));
      } catch (AssertionError stillBehind) {
        // No flush for 30 s (a consumer far behind): compare again; the deadline still holds.
        log.info(
            "[fault suite] no flush in 30 s: {}", stillBehind.getMessage().lines().findFirst());
      }
    }

    private void startWorkloads(Random random) {
      writeStart = System.nanoTime();
      SandboxServer target = primary;
      for (int i = 0; i < 2; i++) {
        workloads.add(
            Workload.builder(() -> target.connect(db), db)
                .seed(random.nextLong())
                .tables(TABLES.subList(2 * i, 2 * i + 2))
                .createTables(false)
                .keyUpdates(1)
                .ddlEvery(plan.ddlEvery())
                .surviveOutages(RECOVERY_LIMIT)
                .transactionsPerSecond(plan.transactionsPerSecond() / 2)
                .build()
                .start());
      }
    }

    private void stopWorkloads() {
      for (Workload w : workloads) {
        w.stop();
        transactions += w.counts().transactions();
        rowChanges += w.counts().rowChanges();
        ddl += w.ddlStatements();
        outages += w.outages();
      }
      writeNanos += System.nanoTime() - writeStart;
      workloads.clear();
    }

    private void awaitTransactions(long n) throws Exception {
      long before = running();
      await(
          n + " more transactions from the workload",
          RECOVERY_LIMIT,
          () -> running() >= before + n);
    }

    private long running() {
      return workloads.stream().mapToLong(w -> w.counts().transactions()).sum();
    }

    private void recovered(String fault, long t0) {
      long ms = (System.nanoTime() - t0) / 1_000_000;
      recoveries.computeIfAbsent(fault, k -> new ArrayList<>()).add(ms);
      log.info("[fault suite] {} recovered in {} ms", fault, ms);
    }

    private GtidSet gtids(SandboxServer server) throws SQLException {
      String text =
          FailoverTest.single(
              server,
              flavor == Flavor.MARIADB ? "SELECT @@gtid_binlog_pos" : "SELECT @@gtid_executed");
      return GtidSet.parse(flavor, text.replaceAll("\\s", ""));
    }

    /** Every table, row by row by id, as the primary has it and as the consumer made durable. */
    private Diff compare() throws SQLException {
      Diff d = new Diff();
      try (Connection p = primary.connect(db);
          Connection s = sink.connect()) {
        for (String t : TABLES) {
          Map<Long, String> want = rows(p, t);
          Map<Long, String> got = rows(s, t + "_replica");
          d.rows += want.size();
          for (Map.Entry<Long, String> e : want.entrySet()) {
            String g = got.get(e.getKey());
            if (g == null) {
              d.missing++;
              d.example(t + " id " + e.getKey() + " missing: " + e.getValue());
            } else if (!g.equals(e.getValue())) {
              d.differing++;
              d.example(t + " id " + e.getKey() + ": " + e.getValue() + " vs " + g);
            }
          }
          for (Long id : got.keySet()) {
            if (!want.containsKey(id)) {
              d.extra++;
              d.example(t + " id " + id + " not in the source: " + got.get(id));
            }
          }
        }
      }
      return d;
    }

    private Map<Long, String> rows(Connection c, String table) throws SQLException {
      Map<Long, String> rows = new HashMap<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT id, k, v, amount, updated FROM " + table)) {
        while (rs.next()) {
          rows.put(
              rs.getLong(1),
              rs.getString(2)
                  + "|"
                  + rs.getString(3)
                  + "|"
                  + rs.getString(4)
                  + "|"
                  + rs.getString(5));
        }
      }
      return rows;
    }

    String report(long seed) {
      double seconds = writeNanos / 1e9;
      StringBuilder r = new StringBuilder();
      r.append(String.format("fault suite (%s) on %s, seed %d%n", plan.name(), primary, seed));
      r.append(
          String.format(
              "  workload: %d transactions (%.0f/s over %.0f s of writing), %d row changes, %d"
                  + " DDL, %d outages ridden out%n",
              transactions, transactions / seconds, seconds, rowChanges, ddl, outages));
      r.append(
          String.format(
              "  faults: %s, consumer SIGKILL mid-snapshot=%d%n",
              faultCounts, plan.snapshotKills()));
      r.append(
          String.format(
              "  rows compared %d: lost %d, extra %d, differing %d%s%n",
              diff == null ? 0 : diff.rows,
              diff == null ? -1 : diff.missing,
              diff == null ? -1 : diff.extra,
              diff == null ? -1 : diff.differing,
              diff == null || diff.examples.isEmpty() ? "" : " e.g. " + diff.examples));
      r.append(
          String.format(
              "  transactions delivered %d (%d distinct) in %d consumer runs; replayed after a"
                  + " restart %d (all after the checkpoint loaded: %s); delivered twice within a"
                  + " run %d%n",
              consumer.delivered,
              consumer.seen.size(),
              consumer.runs,
              consumer.replays,
              consumer.violationCount == 0
                  ? "yes"
                  : "NO, " + consumer.violationCount + ", e.g. " + consumer.violations,
              consumer.inRunDuplicates));
      for (Map.Entry<String, List<Long>> e : recoveries.entrySet()) {
        List<Long> ms = new ArrayList<>(e.getValue());
        Collections.sort(ms);
        r.append(
            String.format(
                "  recovery after %s (%d): median %d ms, longest %d ms%n",
                e.getKey(), ms.size(), ms.get((ms.size() - 1) / 2), ms.get(ms.size() - 1)));
      }
      return r.toString().stripTrailing();
    }

    @Override
    public void close() {
      for (Workload w : workloads) {
        w.close();
      }
      consumer.close();
      proxy.close();
    }
  }

  /** The forked consumer across its restarts, and what its output says about replays. */
  private static final class Consumer implements AutoCloseable {
    final ServerKind kind;
    final TestDatabase sink;
    final String db;
    final Path pos;
    final Set<String> seen = new HashSet<>();
    final List<String> violations = new ArrayList<>();
    ForkedJvm jvm;
    Checkpoint loaded;
    int runs;
    long delivered;
    long replays;
    long inRunDuplicates;
    long violationCount;

    Consumer(ServerKind kind, TestDatabase sink, String db, Path pos) {
      this.kind = kind;
      this.sink = sink;
      this.db = db;
      this.pos = pos;
    }

    void start(TcpProxy proxy, SandboxServer server) throws IOException {
      loaded = PositionStore.file(pos).load().orElse(null); // what this run resumes from
      String name = "faults-" + kind + "-" + runs++;
      jvm =
          ForkedJvm.builder(DurableSinkMain.class)
              .name(name)
              .outputFile(CanalTesting.forkedLog(name, server))
              .systemProperty("canal4j.sink.faults", "true")
              .systemProperty("canal4j.sink.tables", String.join(",", TABLES))
              .systemProperty("canal4j.sink.host", sink.server().host())
              .systemProperty("canal4j.sink.port", String.valueOf(sink.server().port()))
              .systemProperty("canal4j.sink.database", sink.name())
              .args(
                  proxy.host(),
                  String.valueOf(proxy.port()),
                  server.user(),
                  server.password(),
                  db,
                  pos.toString(),
                  "2",
                  "POINT",
                  "AUTO")
              .start();
    }

    /** SIGKILLs the consumer and accounts for the transactions it was given. */
    void kill() throws InterruptedException {
      jvm.kill();
      Set<String> thisRun = new HashSet<>();
      for (String line : jvm.lines()) {
        if (!line.startsWith("tx ")) {
          continue;
        }
        String id = line.substring(3);
        delivered++;
        if (!thisRun.add(id)) {
          inRunDuplicates++;
        } else if (seen.contains(id)) {
          replays++;
          if (loaded != null
              && loaded.position().gtids() != null
              && loaded.position().gtids().contains(id)
              && violationCount++ < 5) {
            violations.add(id + " (run " + (runs - 1) + " loaded " + loaded.position() + ")");
          }
        }
      }
      seen.addAll(thisRun);
      jvm.close();
    }

    @Override
    public void close() {
      if (jvm != null) {
        jvm.close();
      }
    }
  }

  /** Differences between the source and the consumer's replicas. */
  private static final class Diff {
    long rows;
    long missing;
    long extra;
    long differing;
    final List<String> examples = new ArrayList<>();

    boolean isEqual() {
      return missing == 0 && extra == 0 && differing == 0;
    }

    void example(String e) {
      if (examples.size() < 3) {
        examples.add(e);
      }
    }
  }
}
