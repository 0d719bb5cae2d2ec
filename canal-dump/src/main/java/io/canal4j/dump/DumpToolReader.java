package io.canal4j.dump;

import io.canal4j.schema.Column;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.GtidSet;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a consistent snapshot of tables with the server's own dump tool ({@code mariadb-dump} or
 * {@code mysqldump}), the classic canal approach, as an alternative to {@link TableReader}: one run
 * of the tool dumps every table in one {@code --single-transaction}, its standard output is parsed
 * as it streams, and the binlog position the tool prints for that transaction is returned as the
 * point to start the binlog from.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Rows reach the {@link TableRowSink} as canonical values equal in value and class to {@link
 *       TableReader}'s (one conversion, {@link io.canal4j.schema.internal.value.JdbcValues}, serves
 *       both), with one exception: FLOAT, which the tool can only print with six significant
 *       digits, so a FLOAT needing more comes back as the float nearest that text.
 *   <li>The returned {@link Result#position()} is the binlog point of the dump's transaction: every
 *       change committed before it is in the rows, none after it. On MariaDB it carries the GTID
 *       position too ({@code --gtid}); on MySQL, the {@code GTID_PURGED} set MySQL's {@code
 *       mysqldump} prints when GTIDs are on. MariaDB's tool prints no GTID set for a MySQL server,
 *       so that position has file and offset only.
 *   <li>All tables must be in one database (the tool dumps one database's tables in one
 *       transaction). The user needs SELECT and REPLICATION CLIENT (or BINLOG MONITOR), and RELOAD
 *       where the server cannot report a snapshot's binlog position by itself (MySQL): there the
 *       tool takes a brief {@code FLUSH TABLES WITH READ LOCK} to read it.
 *   <li>Generated columns are delivered like stored ones (the tool dumps their values).
 *   <li>The password reaches the tool in a temporary option file readable only by this user,
 *       deleted afterwards; it is never on a command line and never logged.
 *   <li>A failing tool (exit code, unreadable output) gives a {@link DumpToolException} with its
 *       standard error; rows delivered before it must be discarded.
 * </ul>
 *
 * <p>Immutable and thread-safe; each {@link #run} starts its own process.
 *
 * <p>Size: a public reader with its builder; the tool's options and output format live in {@code
 * DumpTool} and {@code DumpStream}.
 */
public final class DumpToolReader {
  private static final Logger log = LoggerFactory.getLogger(DumpToolReader.class);
  private static final int STDERR_LIMIT = 64 * 1024;
  private static final AtomicLong THREADS = new AtomicLong();

  private final Path executable; // null: find on the PATH at run time
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final boolean zeroDatesAsText;
  private final ThreadFactory threadFactory; // null: plain daemon threads

  private DumpToolReader(Builder b) {
    this.executable = b.executable;
    this.host = b.host;
    this.port = b.port;
    this.user = b.user;
    this.password = b.password == null ? "" : b.password;
    this.zeroDatesAsText = b.zeroDatesAsText != null && b.zeroDatesAsText;
    this.threadFactory = b.threadFactory;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * What a dump returns besides its rows.
   *
   * @param position the binlog point of the dump's transaction, to start the binlog from
   * @param rows the number of rows delivered per table, in the order of the tables given
   * @param tool the tool's {@code --version} line
   */
  public record Result(Position position, Map<TableId, Long> rows, String tool) {
    public Result {
      Objects.requireNonNull(position, "position");
      rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }
  }

  /**
   * Dumps {@code tables} in one transaction and hands every row to {@code sink}.
   *
   * @param tables the tables, all in one database, with their current schemas (the dump's column
   *     lists are checked against them)
   * @param sink receives every row on this thread
   * @return the binlog position of the dump and the row counts
   * @throws DumpToolException when the tool fails or its output cannot be read
   * @throws io.canal4j.error.ConfigurationException when no tool is found
   * @throws IOException when the process cannot be started or read
   * @throws InterruptedException when interrupted; the tool is killed
   * @throws E what the sink threw; the tool is killed
   */
  public <E extends Exception> Result run(List<TableSchema> tables, TableRowSink<E> sink)
      throws IOException, InterruptedException, E {
    Objects.requireNonNull(sink, "sink");
    Map<String, TableSchema> byName = tablesByName(tables);
    String database = tables.get(0).id().database();
    DumpTool tool =
        DumpTool.probe(executable != null ? executable : DumpTool.find(System.getenv("PATH")));
    Path defaults = DumpTool.writeDefaultsFile(password);
    Process process = null;
    Thread stderrReader = null;
    StderrTail stderr = new StderrTail();
    long started = System.nanoTime();
    try {
      List<String> command =
          tool.command(defaults, host, port, user, database, new ArrayList<>(byName.keySet()));
      log.debug("running {}", command); // no password in it
      process = new ProcessBuilder(command).start();
      process.getOutputStream().close();
      stderrReader = stderr.drain(process.getErrorStream(), threadFactory);
      Map<TableId, Long> counts = new LinkedHashMap<>();
      tables.forEach(t -> counts.put(t.id(), 0L));
      DumpStream.Summary summary;
      try (InputStream out = process.getInputStream()) {
        summary = new DumpStream(out).read(new Rows<>(byName, counts, sink, zeroDatesAsText));
      } catch (DumpStream.MalformedDumpException | RowsException e) {
        process.destroyForcibly();
        stderrReader.join();
        throw new DumpToolException(
            e.getMessage() + stderrSuffix(stderr.text()), -1, stderr.text(), e.getCause());
      }
      int exit = process.waitFor();
      stderrReader.join();
      if (exit != 0) {
        throw new DumpToolException(
            tool.executable().getFileName()
                + " failed with exit code "
                + exit
                + stderrSuffix(stderr.text()),
            exit,
            stderr.text(),
            null);
      }
      if (!stderr.text().isBlank()) {
        log.warn("{} warned: {}", tool.executable().getFileName(), stderr.text().trim());
      }
      Position position = position(summary, stderr.text());
      long total = counts.values().stream().mapToLong(Long::longValue).sum();
      log.info(
          "dumped {} rows of {} tables with {} in {} ms; binlog position {}",
          total,
          tables.size(),
          tool.executable().getFileName(),
          (System.nanoTime() - started) / 1_000_000,
          position);
      return new Result(position, counts, tool.version());
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly(); // the sink failed, or we were interrupted
        process.waitFor();
      }
      if (stderrReader != null) {
        stderrReader.join();
      }
      Files.deleteIfExists(defaults);
    }
  }

  private static Map<String, TableSchema> tablesByName(List<TableSchema> tables) {
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("no tables to dump");
    }
    String database = tables.get(0).id().database();
    Map<String, TableSchema> byName = new LinkedHashMap<>();
    for (TableSchema t : tables) {
      if (!t.id().database().equals(database)) {
        throw new IllegalArgumentException(
            "the dump tool dumps one database in one transaction, but the tables are in "
                + database
                + " and "
                + t.id().database());
      }
      if (byName.put(t.id().table(), t) != null) {
        throw new IllegalArgumentException("table " + t.id() + " given twice");
      }
    }
    return byName;
  }

  private static Position position(DumpStream.Summary summary, String stderr) {
    if (summary.file() == null) {
      throw new DumpToolException(
          "the dump printed no binlog position (is the binary log on? log_bin)"
              + stderrSuffix(stderr),
          0,
          stderr,
          null);
    }
    boolean mariaDb =
        summary.mariaDbGtids() != null
            || summary.server() != null && summary.server().contains("MariaDB");
    Flavor flavor = mariaDb ? Flavor.MARIADB : Flavor.MYSQL;
    String gtids = mariaDb ? summary.mariaDbGtids() : summary.mySqlGtids();
    Position p = Position.of(flavor, summary.file(), summary.offset());
    return gtids == null || gtids.isEmpty() ? p : p.withGtids(GtidSet.parse(flavor, gtids));
  }

  private static String stderrSuffix(String stderr) {
    return stderr.isBlank() ? "" : "; the tool said: " + stderr.trim();
  }

  /** Thrown inside the parse when a dumped row does not fit its table's schema. */
  private static final class RowsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RowsException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Maps each dumped row onto its table's columns and converts its cells. */
  private static final class Rows<E extends Exception> implements DumpStream.Rows<E> {
    private final Map<String, TableSchema> byName;
    private final Map<TableId, Long> counts;
    private final TableRowSink<E> sink;
    private final boolean zeroDatesAsText;
    private final DumpCells cells = new DumpCells();
    private final Map<String, List<String>> checkedColumns = new HashMap<>();
    private final Map<String, int[]> targets = new HashMap<>();

    Rows(
        Map<String, TableSchema> byName,
        Map<TableId, Long> counts,
        TableRowSink<E> sink,
        boolean zeroDatesAsText) {
      this.byName = byName;
      this.counts = counts;
      this.sink = sink;
      this.zeroDatesAsText = zeroDatesAsText;
    }

    @Override
    public void row(String tableName, List<String> columns, byte[][] row) throws E {
      TableSchema table = byName.get(tableName);
      if (table == null) {
        throw new RowsException("the dump holds rows of table " + tableName + ", not asked", null);
      }
      int[] target = targets.get(tableName);
      if (checkedColumns.get(tableName) != columns) {
        target = targets(table, columns);
        checkedColumns.put(tableName, columns);
        targets.put(tableName, target);
      }
      if (row.length != target.length) {
        throw new RowsException(
            "a row of "
                + table.id()
                + " has "
                + row.length
                + " values for "
                + target.length
                + " columns",
            null);
      }
      Object[] values = new Object[table.columnCount()];
      for (int i = 0; i < row.length; i++) {
        Column column = table.column(target[i]);
        try {
          values[target[i]] = cells.value(row, i, column, zeroDatesAsText);
        } catch (SQLException e) {
          throw new RowsException("a row of " + table.id() + ": " + e.getMessage(), e);
        }
      }
      sink.row(table, values);
      counts.merge(table.id(), 1L, Long::sum);
    }

    /** For each dumped column, its index in the table; every table column must be dumped. */
    private static int[] targets(TableSchema table, List<String> columns) {
      if (columns.isEmpty()) {
        throw new RowsException("the dump of " + table.id() + " lists no columns", null);
      }
      int[] target = new int[columns.size()];
      boolean[] seen = new boolean[table.columnCount()];
      for (int i = 0; i < columns.size(); i++) {
        int index = table.indexOf(columns.get(i));
        if (index < 0 || seen[index]) {
          throw new RowsException(
              "the dump of "
                  + table.id()
                  + " has column "
                  + columns.get(i)
                  + " that the schema does not: "
                  + table,
              null);
        }
        target[i] = index;
        seen[index] = true;
      }
      for (Column c : table.columns()) {
        if (!seen[c.index()]) {
          throw new RowsException(
              "the dump of " + table.id() + " lacks column " + c.name() + " of the schema", null);
        }
      }
      return target;
    }
  }

  /** The last {@link #STDERR_LIMIT} bytes of the tool's standard error, read on its own thread. */
  private static final class StderrTail {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Thread drain(InputStream err, ThreadFactory factory) {
      Runnable body =
          () -> {
            byte[] b = new byte[4096];
            try (err) {
              int n;
              while ((n = err.read(b)) >= 0) {
                synchronized (bytes) {
                  bytes.write(b, 0, n);
                  if (bytes.size() > 2 * STDERR_LIMIT) {
                    byte[] all = bytes.toByteArray();
                    bytes.reset();
                    bytes.write(all, all.length - STDERR_LIMIT, STDERR_LIMIT);
                  }
                }
              }
            } catch (IOException e) {
              log.debug("reading the dump tool's stderr: {}", e.toString());
            }
          };
      Thread t;
      if (factory != null) {
        t = factory.newThread(body);
      } else {
        t = new Thread(body, "canal-dump-stderr-" + THREADS.incrementAndGet());
        t.setDaemon(true);
      }
      t.start();
      return t;
    }

    String text() {
      byte[] all;
      synchronized (bytes) {
        all = bytes.toByteArray();
      }
      int from = Math.max(0, all.length - STDERR_LIMIT);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }
  }

  /**
   * Builds a {@link DumpToolReader}. Each setter checks its argument and may be called once; {@code
   * host}, {@code port} and {@code user} are required.
   */
  public static final class Builder {
    private Path executable;
    private String host;
    private int port;
    private String user;
    private String password;
    private Boolean zeroDatesAsText;
    private ThreadFactory threadFactory;

    private Builder() {}

    /**
     * The dump executable. Default: {@code mariadb-dump}, else {@code mysqldump}, on the PATH when
     * {@link #run} starts.
     */
    public Builder executable(Path executable) {
      once(this.executable, "executable");
      this.executable = Objects.requireNonNull(executable, "executable");
      return this;
    }

    public Builder host(String host) {
      once(this.host, "host");
      Objects.requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host is blank");
      }
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      if (this.port != 0) {
        throw new IllegalStateException("port already set");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    public Builder user(String user) {
      once(this.user, "user");
      Objects.requireNonNull(user, "user");
      if (user.isEmpty()) {
        throw new IllegalArgumentException("user is empty");
      }
      this.user = user;
      return this;
    }

    /** The password; default none. Never logged, never on the tool's command line. */
    public Builder password(String password) {
      once(this.password, "password");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Whether zero, partly-zero and invalid dates become MySQL's text for them instead of null;
     * default false, as for {@link TableReader}.
     */
    public Builder zeroDatesAsText(boolean asText) {
      once(this.zeroDatesAsText, "zeroDatesAsText");
      this.zeroDatesAsText = asText;
      return this;
    }

    /**
     * Makes the thread that reads the tool's standard error (default: a daemon thread named {@code
     * canal-dump-stderr-<n>}); a canal passes the user's factory.
     */
    public Builder threadFactory(ThreadFactory factory) {
      once(this.threadFactory, "threadFactory");
      this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
      return this;
    }

    public DumpToolReader build() {
      List<String> missing = new ArrayList<>();
      if (host == null) {
        missing.add("host");
      }
      if (port == 0) {
        missing.add("port");
      }
      if (user == null) {
        missing.add("user");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("DumpToolReader needs " + String.join(", ", missing));
      }
      return new DumpToolReader(this);
    }

    private static void once(Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " already set");
      }
    }
  }

  @Override
  public String toString() {
    return "DumpToolReader[" + user + "@" + host + ":" + port + "]"; // never the password
  }
}
