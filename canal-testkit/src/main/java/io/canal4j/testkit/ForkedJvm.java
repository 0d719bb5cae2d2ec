package io.canal4j.testkit;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second JVM running a main class from this JVM's classpath, for tests that crash or kill the
 * process under test (an embedded pipeline must resume after {@code kill -9}), or that need other
 * JVM settings ({@code -Xmx64m}, {@code -Duser.timezone=...}).
 *
 * <p>Standard output and error are merged, written to {@link #outputFile()} and kept in memory for
 * {@link #awaitLine(Predicate, Duration)}, so a test can wait for "started" or "committed 1000"
 * instead of sleeping. Forks still running at JVM exit are killed.
 *
 * <pre>{@code
 * try (ForkedJvm app = ForkedJvm.builder(MyPipelineMain.class).args(url).jvmOptions("-Xmx64m")
 *     .start()) {
 *   app.awaitLine("caught up", Duration.ofSeconds(30));
 *   app.kill();
 * }
 * }</pre>
 */
public final class ForkedJvm implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ForkedJvm.class);
  private static final Set<ForkedJvm> LIVE = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean HOOK_ADDED = new AtomicBoolean();
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final int TAIL_LINES = 30;

  private final String name;
  private final Process process;
  private final Path outputFile;
  private final boolean deleteOutput;
  private final List<String> lines = new ArrayList<>(); // guarded by itself
  private boolean outputClosed; // guarded by lines

  private ForkedJvm(String name, Process process, Path outputFile, boolean deleteOutput) {
    this.name = name;
    this.process = process;
    this.outputFile = outputFile;
    this.deleteOutput = deleteOutput;
  }

  /** A builder for a JVM running {@code mainClass}. */
  public static Builder builder(Class<?> mainClass) {
    return new Builder(mainClass.getName());
  }

  /** A builder for a JVM running the main class of this name. */
  public static Builder builder(String mainClass) {
    return new Builder(Objects.requireNonNull(mainClass, "mainClass"));
  }

  /** The operating system's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The file receiving the merged standard output and error. */
  public Path outputFile() {
    return outputFile;
  }

  /** The output lines so far. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /**
   * Waits for an output line (printed at any time since start) that {@code matcher} accepts.
   *
   * @return the first matching line
   * @throws AssertionError if the timeout passes or the process exits first; the message holds the
   *     last lines of output
   */
  public String awaitLine(Predicate<String> matcher, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int next = 0;
    synchronized (lines) {
      while (true) {
        for (; next < lines.size(); next++) {
          if (matcher.test(lines.get(next))) {
            return lines.get(next);
          }
        }
        if (outputClosed) {
          throw new AssertionError(describe("exited without printing the expected line"));
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new AssertionError(describe("printed no matching line within " + timeout));
        }
        TimeUnit.NANOSECONDS.timedWait(lines, remaining);
      }
    }
  }

  /** {@link #awaitLine(Predicate, Duration)} for lines containing a match of {@code regex}. */
  public String awaitLine(String regex, Duration timeout) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    return awaitLine(line -> pattern.matcher(line).find(), timeout);
  }

  /**
   * Waits for the process to exit.
   *
   * @return its exit code
   * @throws AssertionError if it is still running after {@code timeout}
   */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new AssertionError(describe("still running after " + timeout));
    }
    awaitOutputClosed();
    LIVE.remove(this);
    return process.exitValue();
  }

  /** Kills the process with SIGKILL, like a crash, and waits for it; returns the exit code. */
  public int kill() throws InterruptedException {
    process.toHandle().destroyForcibly(); // Process.destroyForcibly() would close our end of stdout
    int code = waitFor(STOP_TIMEOUT);
    log.info("[{}] killed (exit code {})", name, code);
    return code;
  }

  /**
   * Asks the process to stop with SIGTERM (shutdown hooks run) and waits up to 60 s; returns the
   * exit code.
   */
  public int stop() throws InterruptedException {
    // Via the handle: Process.destroy() closes our end of stdout, losing the shutdown output.
    process.toHandle().destroy();
    int code = waitFor(STOP_TIMEOUT);
    log.info("[{}] stopped (exit code {})", name, code);
    return code;
  }

  /**
   * Kills the process if it still runs. The output file is deleted if the builder chose it, kept if
   * the caller did.
   */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      awaitOutputClosed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LIVE.remove(this);
    if (deleteOutput) {
      try {
        Files.deleteIfExists(outputFile);
      } catch (IOException e) {
        log.debug("[{}] cannot delete {}: {}", name, outputFile, e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }

  private void awaitOutputClosed() throws InterruptedException {
    synchronized (lines) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!outputClosed && System.nanoTime() < deadline) {
        TimeUnit.NANOSECONDS.timedWait(lines, deadline - System.nanoTime());
      }
    }
  }

  private String describe(String problem) {
    StringBuilder message = new StringBuilder("[").append(name).append("] ").append(problem);
    if (!process.isAlive()) {
      message.append(" (exit code ").append(process.exitValue()).append(')');
    }
    List<String> snapshot = lines();
    message.append("; last lines of ").append(outputFile).append(":");
    snapshot
        .subList(Math.max(0, snapshot.size() - TAIL_LINES), snapshot.size())
        .forEach(line -> message.append("\n  ").append(line));
    return message.toString();
  }

  private void readOutput() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(outputFile, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        out.write(line);
        out.newLine();
        out.flush();
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      log.warn("[{}] reading output failed: {}", name, e.toString());
    } finally {
      synchronized (lines) {
        outputClosed = true;
        lines.notifyAll();
      }
    }
  }

  private static void addShutdownHookOnce() {
    if (HOOK_ADDED.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> LIVE.forEach(jvm -> jvm.process.destroyForcibly()),
                  "canal-testkit-fork-cleanup"));
    }
  }

  /** Configures a {@link ForkedJvm}; every setter may be called once. */
  public static final class Builder {
    private static final int MAX_ARGUMENT_LENGTH = 100_000;

    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private String classpath;
    private Path outputFile;
    private String name;

    private Builder(String mainClass) {
      this.mainClass = mainClass;
    }

    /** Arguments passed to {@code main}. */
    public Builder args(String... args) {
      for (String arg : args) {
        this.args.add(Objects.requireNonNull(arg, "arg"));
      }
      return this;
    }

    /** JVM options such as {@code -Xmx64m} or {@code -XX:+ExitOnOutOfMemoryError}. */
    public Builder jvmOptions(String... options) {
      for (String option : options) {
        if (!Objects.requireNonNull(option, "option").startsWith("-")) {
          throw new IllegalArgumentException("JVM options start with '-': " + option);
        }
        jvmOptions.add(option);
      }
      return this;
    }

    /** A {@code -Dkey=value} system property. */
    public Builder systemProperty(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (systemProperties.putIfAbsent(key, value) != null) {
        throw new IllegalArgumentException("system property " + key + " is already set");
      }
      return this;
    }

    /** The classpath; default this JVM's {@code java.class.path}. */
    public Builder classpath(String classpath) {
      if (this.classpath != null) {
        throw new IllegalStateException("classpath is already set");
      }
      this.classpath = Objects.requireNonNull(classpath, "classpath");
      return this;
    }

    /** Where output goes (kept after close); default a temporary file deleted on close. */
    public Builder outputFile(Path file) {
      if (outputFile != null) {
        throw new IllegalStateException("outputFile is already set");
      }
      this.outputFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** A name for log lines; default the main class's simple name. */
    public Builder name(String name) {
      if (this.name != null) {
        throw new IllegalStateException("name is already set");
      }
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Starts the JVM; returns at once (use {@link ForkedJvm#awaitLine} to wait for it). */
    public ForkedJvm start() throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String cp = classpath != null ? classpath : System.getProperty("java.class.path");
      List<String> options = new ArrayList<>(jvmOptions);
      systemProperties.forEach((k, v) -> options.add("-D" + k + "=" + v));
      options.add("-cp");
      options.add(cp);
      String shortName = name != null ? name : mainClass.substring(mainClass.lastIndexOf('.') + 1);
      Path output = outputFile;
      boolean deleteOutput = output == null;
      if (deleteOutput) {
        Path forks = Files.createDirectories(TestkitFiles.home().resolve("forks"));
        output = Files.createTempFile(forks, shortName + "-", ".log");
      }
      List<String> command = new ArrayList<>();
      command.add(java);
      if (cp.length() > MAX_ARGUMENT_LENGTH) { // Linux limits one argument to 128 KiB
        Path argFile = Files.createTempFile(output.getParent(), shortName + "-", ".args");
        argFile.toFile().deleteOnExit();
        Files.write(argFile, options.stream().map(Builder::quoteForArgFile).toList());
        command.add("@" + argFile);
      } else {
        command.addAll(options);
      }
      command.add(mainClass);
      command.addAll(args);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      ForkedJvm jvm = new ForkedJvm(shortName, process, output, deleteOutput);
      LIVE.add(jvm);
      addShutdownHookOnce();
      Thread reader = new Thread(jvm::readOutput, "canal-forkedjvm-" + process.pid() + "-output");
      reader.setDaemon(true);
      reader.start();
      log.info("[{}] started pid {} ({})", shortName, process.pid(), mainClass);
      return jvm;
    }

    private static String quoteForArgFile(String option) {
      return "\"" + option.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }
}
