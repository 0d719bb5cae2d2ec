package io.canal4j.testkit;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Configures a {@link MariaDbSandbox} or {@link MySqlSandbox}. Each setter checks its argument at
 * once and may be called only once per setting. The defaults give a server with its binlog on in
 * ROW format, GTIDs on (MySQL; MariaDB always has them), {@code server_id=1}, a 128 MiB buffer pool
 * and relaxed durability ({@code innodb_flush_log_at_trx_commit=2}, {@code sync_binlog=0}): commits
 * survive a killed server process, not a machine crash, which is all tests need.
 *
 * <pre>{@code
 * try (MariaDbSandbox server = MariaDbSandbox.builder()
 *     .serverOption("binlog-format", "STATEMENT")
 *     .timeZone("+05:00")
 *     .start()) { ... }
 * }</pre>
 *
 * @param <S> the sandbox type built
 */
public final class SandboxBuilder<S extends SandboxServer> {
  /** Options the sandbox owns; setting them would break it or bypass a dedicated setter. */
  private static final Set<String> RESERVED =
      Set.of(
          "no-defaults",
          "defaults-file",
          "defaults-extra-file",
          "basedir",
          "datadir",
          "port",
          "socket",
          "bind-address",
          "user",
          "log-error",
          "pid-file",
          "tmpdir",
          "log-bin",
          "skip-log-bin",
          "disable-log-bin",
          "default-time-zone");

  private static final Pattern OFFSET = Pattern.compile("[+-](0\\d|1[0-4]):[0-5]\\d");
  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  private final ServerFlavor flavor;
  private final Function<Spec, S> factory;
  private final Map<String, String> options = new LinkedHashMap<>();
  private String name;
  private Boolean binlog;
  private String timeZone;
  private Duration startTimeout;

  SandboxBuilder(ServerFlavor flavor, Function<Spec, S> factory) {
    this.flavor = flavor;
    this.factory = factory;
  }

  /** The settings a sandbox is built from. */
  record Spec(
      ServerFlavor flavor,
      String name,
      Map<String, String> options,
      boolean binlog,
      String timeZone,
      Duration startTimeout) {

    /** The time zone as a {@code --default-time-zone} offset, if it is one. */
    boolean timeZoneIsOffset() {
      return timeZone != null && OFFSET.matcher(timeZone).matches();
    }
  }

  /**
   * A name for log lines and the sandbox directory; defaults to the flavor and a counter, e.g.
   * {@code mariadb-2}. Letters, digits, {@code -} and {@code _} only.
   */
  public SandboxBuilder<S> name(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_-]{1,40}")) {
      throw new IllegalArgumentException("name must be 1-40 of [A-Za-z0-9_-]: " + name);
    }
    requireUnset(this.name, "name");
    this.name = name;
    return this;
  }

  /**
   * Adds or overrides a server option, passed as {@code --name=value}; {@code binlog_format} and
   * {@code binlog-format} are the same option. Options that only take effect when a data directory
   * is initialized (e.g. {@code innodb_page_size}, {@code lower_case_table_names}) cannot be
   * changed, because sandboxes copy a prepared data directory.
   *
   * @throws IllegalArgumentException for an option the sandbox manages itself (port, datadir,
   *     log-bin, ... : use {@link #binlog(boolean)} and {@link #timeZone(String)}) or one given
   *     twice
   */
  public SandboxBuilder<S> serverOption(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    if (key.isEmpty() || key.startsWith("-") || key.contains("=")) {
      throw new IllegalArgumentException("give the option name without dashes or '=': " + name);
    }
    if (RESERVED.contains(key)) {
      throw new IllegalArgumentException(
          "option " + key + " is managed by the sandbox; see binlog(boolean) and timeZone(String)");
    }
    if (options.putIfAbsent(key, value) != null) {
      throw new IllegalArgumentException("option " + key + " is already set");
    }
    return this;
  }

  /** Whether the binlog is written; default {@code true}. */
  public SandboxBuilder<S> binlog(boolean enabled) {
    requireUnset(binlog, "binlog");
    this.binlog = enabled;
    return this;
  }

  /**
   * The server's time zone, which {@code TIMESTAMP} columns and {@code NOW()} use. An offset such
   * as {@code "+05:00"} becomes {@code --default-time-zone}; a region such as {@code
   * "Europe/Berlin"} (or {@code "UTC"}) becomes the server process's {@code TZ} environment
   * variable, because the sandboxes have no time zone tables loaded. Default: the machine's zone.
   */
  public SandboxBuilder<S> timeZone(String zone) {
    Objects.requireNonNull(zone, "zone");
    if (!OFFSET.matcher(zone).matches()) {
      try {
        ZoneId.of(zone);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("not an offset like +05:00 nor a zone id: " + zone, e);
      }
    }
    requireUnset(timeZone, "timeZone");
    this.timeZone = zone;
    return this;
  }

  /** How long {@link SandboxServer#start()} waits for the server; default 60 s. */
  public SandboxBuilder<S> startTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    requireUnset(startTimeout, "startTimeout");
    this.startTimeout = timeout;
    return this;
  }

  /** A sandbox that is not yet started; nothing happens on disk until {@code start()}. */
  public S build() {
    return factory.apply(
        new Spec(
            flavor,
            name,
            Collections.unmodifiableMap(new LinkedHashMap<>(options)),
            binlog == null || binlog,
            timeZone,
            startTimeout == null ? DEFAULT_START_TIMEOUT : startTimeout));
  }

  /** {@link #build()} and {@link SandboxServer#start()}; returns the running sandbox. */
  public S start() {
    S server = build();
    server.start();
    return server;
  }

  private static void requireUnset(Object value, String setting) {
    if (value != null) {
      throw new IllegalStateException(setting + " is already set");
    }
  }
}
