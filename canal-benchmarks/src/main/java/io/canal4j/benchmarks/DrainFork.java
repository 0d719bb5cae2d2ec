package io.canal4j.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the drains of one side in a fresh JVM: warm-up drains, then one measured drain.
 *
 * <p>Why a JVM per side and round (as JMH forks): both sides run the connector's row decoding, so
 * in one JVM each side's compiled code would be shaped by the other's type profiles, and which side
 * warmed up first would decide the result. Run to run, that made the ratio swing between 0.64 and
 * 0.97 on the same binlog.
 *
 * <p>The parent starts {@link BinlogThroughputBenchmark#main} with {@value #CHILD_FLAG} and the
 * drain's settings; the child prints one {@code WARMUP} line per warm-up drain and a {@code RESULT}
 * line, each a {@link DrainResult#format()}. Other lines (errors, JVM messages) are passed through.
 */
final class DrainFork {
  static final String CHILD_FLAG = "--drain";

  /** What one fork reported. */
  record Outcome(List<DrainResult> warmups, DrainResult measured) {}

  /** How to run a fork: the same for every round and side. */
  record Settings(
      Endpoint server,
      BinlogRange range,
      int warmups,
      String bareMode,
      Duration timeout,
      List<String> jvmOptions) {}

  private DrainFork() {}

  /**
   * Runs {@code side} ("bare" or "canal4j") in a new JVM and waits for it.
   *
   * @param serverId the first replica server id the fork uses; it uses one per drain
   * @param forkName replaces {@code {fork}} in the JVM options, e.g. to name a JFR file
   */
  static Outcome run(Settings s, String side, long serverId, String forkName)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : s.jvmOptions()) {
      command.add(option.replace("{fork}", forkName));
    }
    command.addAll(
        List.of(
            "-cp",
            classpath(),
            BinlogThroughputBenchmark.class.getName(),
            CHILD_FLAG,
            side,
            s.server().host(),
            Integer.toString(s.server().port()),
            s.server().user(),
            s.server().password(),
            Integer.toString(s.warmups()),
            Long.toString(serverId),
            s.bareMode(),
            s.timeout().toString()));
    command.addAll(s.range().toArgs());
    ForkOutput.Outcome<DrainResult> o =
        ForkOutput.run(command, forkName, s.timeout(), DrainResult::parse);
    return new Outcome(o.warmups(), o.measured());
  }

  /** The forked JVM's entry point; {@code args} start after {@value #CHILD_FLAG}. */
  static void childMain(List<String> args) throws Exception {
    String side = args.get(0);
    Endpoint server =
        new Endpoint(args.get(1), Integer.parseInt(args.get(2)), args.get(3), args.get(4));
    int warmups = Integer.parseInt(args.get(5));
    long serverId = Long.parseLong(args.get(6));
    boolean raw = args.get(7).equals("raw");
    Duration timeout = Duration.parse(args.get(8));
    BinlogRange range = BinlogRange.fromArgs(args, 9);
    Drain drain =
        switch (side) {
          case "bare" -> new BareClientDrain(server, range, raw, timeout)::run;
          case "canal4j" -> new CanalDrain(server, range, timeout)::run;
          default -> throw new IllegalArgumentException("unknown side " + side);
        };
    for (int i = 0; i <= warmups; i++) {
      System.gc(); // no garbage of the previous drain is collected during this one
      long cpuBefore = processCpuNanos();
      DrainResult r = drain.run(serverId + i);
      r = r.withJvmCpuNanos(processCpuNanos() - cpuBefore);
      if (r.rowChanges() != range.rowChanges()) {
        throw new IllegalStateException(
            side
                + " saw "
                + r.rowChanges()
                + " row changes, but the workload wrote "
                + range.rowChanges());
      }
      System.out.println((i < warmups ? ForkOutput.WARMUP : ForkOutput.RESULT) + r.format());
    }
  }

  private interface Drain {
    DrainResult run(long serverId) throws Exception;
  }

  /** The JVM's CPU time so far (all threads), or 0 if not available. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /**
   * This program's classpath. Under {@code mvn exec:java} the project's classes come from the
   * plugin's class loader, not {@code java.class.path} (which is Maven's own).
   */
  static String classpath() {
    if (DrainFork.class.getClassLoader() instanceof URLClassLoader loader) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw new IllegalStateException("cannot use classpath entry " + url, e);
        }
      }
      if (!entries.isEmpty()) {
        return String.join(File.pathSeparator, entries);
      }
    }
    return System.getProperty("java.class.path");
  }
}
