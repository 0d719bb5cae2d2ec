package io.canal4j.testkit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a replica table (filled by a pipeline under test, e.g. through {@link ReplicaWriter})
 * with its source, on the server, in SQL.
 *
 * <p>Design: values are never read into Java and compared there, because the code under test
 * converts values too, and a check sharing its converters would share its bugs. Instead the server
 * renders each row as a digest, {@code MD5(CONCAT_WS('#', ...))} over every column rendered
 * exactly: character and binary columns as {@code HEX(col)} (the stored bytes: case, trailing
 * spaces and collation cannot hide a difference), numbers and temporals as {@code CAST(col AS
 * CHAR)} ({@code HEX} would truncate decimals), {@code FLOAT} through {@code DOUBLE} (as text it
 * keeps only 6 digits), and NULL as {@code 'NULL'}, which no rendering else produces. Rows are
 * matched by primary key; tables without one are compared as multisets of rows. Only for a failure
 * message are the differing rows rendered readably ({@code QUOTE} for text, {@code 0x...} for
 * bytes), again by the server.
 *
 * <p>The tables may be in different databases ({@code schema.table}); both need the same columns,
 * in any order.
 */
public final class ReplicaCheck {
  private static final int EXAMPLES = 10;
  private static final int MAX_VALUE_LENGTH = 200;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Set<String> CAST_TYPES =
      Set.of(
          "tinyint",
          "smallint",
          "mediumint",
          "int",
          "integer",
          "bigint",
          "decimal",
          "numeric",
          "double",
          "real",
          "year",
          "date",
          "datetime",
          "timestamp",
          "time");
  private static final Set<String> READABLE_TYPES = Set.of("uuid", "inet4", "inet6");

  private ReplicaCheck() {}

  /** One row that differs: its key and both renderings ({@code null} where the row is missing). */
  public record RowDifference(String key, String sourceRow, String replicaRow) {}

  /**
   * The outcome of a comparison.
   *
   * @param schemaDifference why the column sets differ, or {@code null}
   * @param differingRows rows missing on either side or with different values
   * @param examples the first few differing rows
   */
  public record Diff(
      String sourceTable,
      String replicaTable,
      long sourceRows,
      long replicaRows,
      String schemaDifference,
      int differingRows,
      List<RowDifference> examples) {

    /** Whether the replica equals the source. */
    public boolean isEqual() {
      return schemaDifference == null && differingRows == 0;
    }

    /** A description naming the counts and the first differing keys with both renderings. */
    @Override
    public String toString() {
      StringBuilder s =
          new StringBuilder("replica ")
              .append(replicaTable)
              .append(isEqual() ? " equals " : " differs from ")
              .append(sourceTable)
              .append(": source ")
              .append(sourceRows)
              .append(" rows, replica ")
              .append(replicaRows)
              .append(" rows");
      if (schemaDifference != null) {
        return s.append("; columns differ: ").append(schemaDifference).toString();
      }
      if (differingRows > 0) {
        s.append(", ").append(differingRows).append(" differing row(s); first:");
        for (RowDifference d : examples) {
          s.append("\n  key ").append(d.key());
          s.append("\n    source:  ").append(d.sourceRow() == null ? "(missing)" : d.sourceRow());
          s.append("\n    replica: ").append(d.replicaRow() == null ? "(missing)" : d.replicaRow());
        }
      }
      return s.toString();
    }
  }

  /** Compares the tables; see the class documentation. */
  public static Diff compare(Connection connection, String sourceTable, String replicaTable)
      throws SQLException {
    TableColumns source = TableColumns.load(connection, sourceTable);
    TableColumns replica = TableColumns.load(connection, replicaTable);
    String schemaDifference = schemaDifference(source, replica);
    if (schemaDifference != null) {
      return new Diff(
          sourceTable,
          replicaTable,
          count(connection, sourceTable),
          count(connection, replicaTable),
          schemaDifference,
          0,
          List.of());
    }
    Rendering rendering = new Rendering(source);
    Map<String, String> sourceRows = rendering.digests(connection, sourceTable);
    Map<String, String> replicaRows = rendering.digests(connection, replicaTable);
    Set<String> keys = new LinkedHashSet<>(sourceRows.keySet());
    keys.addAll(replicaRows.keySet());
    int differing = 0;
    Set<String> examples = new LinkedHashSet<>();
    for (String key : keys) {
      if (!Objects.equals(sourceRows.get(key), replicaRows.get(key))) {
        differing++;
        if (examples.size() < EXAMPLES) {
          examples.add(key);
        }
      }
    }
    List<RowDifference> differences = new ArrayList<>();
    if (!examples.isEmpty()) {
      Map<String, String> sourceText = rendering.readable(connection, sourceTable, examples);
      Map<String, String> replicaText = rendering.readable(connection, replicaTable, examples);
      for (String key : examples) {
        differences.add(new RowDifference(key, sourceText.get(key), replicaText.get(key)));
      }
    }
    return new Diff(
        sourceTable,
        replicaTable,
        sourceRows.size(),
        replicaRows.size(),
        null,
        differing,
        List.copyOf(differences));
  }

  /**
   * Fails unless the replica equals the source.
   *
   * @throws AssertionError listing the counts and the first differing keys with both renderings
   */
  public static void assertEqual(Connection connection, String sourceTable, String replicaTable)
      throws SQLException {
    Diff diff = compare(connection, sourceTable, replicaTable);
    if (!diff.isEqual()) {
      throw new AssertionError(diff.toString());
    }
  }

  /** {@link #assertEqual(Connection, String, String)} for tables in {@code database}. */
  public static void assertEqual(
      SandboxServer server, String database, String sourceTable, String replicaTable)
      throws SQLException {
    try (Connection connection = server.connect(database)) {
      assertEqual(connection, sourceTable, replicaTable);
    }
  }

  /** {@link #assertEqual(Connection, String, String)} for tables in a test database. */
  public static void assertEqual(TestDatabase database, String sourceTable, String replicaTable)
      throws SQLException {
    try (Connection connection = database.connect()) {
      assertEqual(connection, sourceTable, replicaTable);
    }
  }

  /**
   * Waits until the replica equals the source, for pipelines that apply changes asynchronously;
   * compares every 100 ms on a new connection (so a server restart in between is fine).
   *
   * @throws AssertionError with the last difference if {@code timeout} passes first
   */
  public static void awaitEqual(
      ConnectionSupplier connections, String sourceTable, String replicaTable, Duration timeout) {
    Diff[] last = new Diff[1];
    Exception failure =
        Poll.until(
            timeout,
            POLL_INTERVAL,
            () -> {
              try (Connection connection = connections.get()) {
                last[0] = compare(connection, sourceTable, replicaTable);
                return last[0].isEqual();
              }
            });
    if (failure != null) {
      String detail = last[0] != null ? last[0].toString() : "no comparison succeeded: " + failure;
      AssertionError error = new AssertionError("after " + timeout + ", " + detail);
      error.initCause(failure);
      throw error;
    }
  }

  /** {@link #awaitEqual(ConnectionSupplier, String, String, Duration)} in a test database. */
  public static void awaitEqual(
      TestDatabase database, String sourceTable, String replicaTable, Duration timeout) {
    awaitEqual(database::connect, sourceTable, replicaTable, timeout);
  }

  private static String schemaDifference(TableColumns source, TableColumns replica) {
    Set<String> a = new TreeSet<>();
    source.columns().forEach(c -> a.add(c.name().toLowerCase(Locale.ROOT) + " " + c.dataType()));
    Set<String> b = new TreeSet<>();
    replica.columns().forEach(c -> b.add(c.name().toLowerCase(Locale.ROOT) + " " + c.dataType()));
    return a.equals(b) ? null : a + " vs " + b;
  }

  private static long count(Connection connection, String table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet row = s.executeQuery("SELECT COUNT(*) FROM " + Sql.quoteName(table))) {
      row.next();
      return row.getLong(1);
    }
  }

  /** The SQL expressions rendering a table's rows, built from the source's columns. */
  private static final class Rendering {
    private final List<TableColumns.Column> columns;
    private final List<TableColumns.Column> key = new ArrayList<>();
    private final String digest;

    Rendering(TableColumns table) {
      this.columns = table.columns();
      for (String name : table.primaryKey()) {
        key.add(table.column(name));
      }
      List<String> parts = new ArrayList<>();
      for (TableColumns.Column c : columns) {
        parts.add("IFNULL(" + exact(c) + ", 'NULL')");
      }
      this.digest = "MD5(CONCAT_WS('#', " + String.join(", ", parts) + "))";
    }

    /** Row identity to digest; the identity is the readable key, or digest#n without a key. */
    Map<String, String> digests(Connection connection, String table) throws SQLException {
      Map<String, String> rows = new LinkedHashMap<>(); // scan order, usually key order
      Map<String, Integer> occurrences = new HashMap<>();
      try (Statement s = connection.createStatement();
          ResultSet r = s.executeQuery(select(table, false))) {
        while (r.next()) {
          String digest = r.getString(key.size() + 1);
          rows.put(identity(r, digest, occurrences), digest);
        }
      }
      return rows;
    }

    /** Readable renderings of the rows with the given identities. */
    Map<String, String> readable(Connection connection, String table, Set<String> identities)
        throws SQLException {
      Map<String, String> rows = new HashMap<>();
      Map<String, Integer> occurrences = new HashMap<>();
      try (Statement s = connection.createStatement();
          ResultSet r = s.executeQuery(select(table, true))) {
        while (r.next() && rows.size() < identities.size()) {
          String identity = identity(r, r.getString(key.size() + 1), occurrences);
          if (identities.contains(identity)) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
              values.add(columns.get(i).name() + "=" + shorten(r.getString(key.size() + 2 + i)));
            }
            rows.put(identity, String.join(", ", values));
          }
        }
      }
      return rows;
    }

    private String identity(ResultSet r, String digest, Map<String, Integer> occurrences)
        throws SQLException {
      if (key.isEmpty()) {
        return "row md5 " + digest + " #" + occurrences.merge(digest, 1, Integer::sum);
      }
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < key.size(); i++) {
        parts.add(key.get(i).name() + "=" + shorten(r.getString(i + 1)));
      }
      return String.join(", ", parts);
    }

    private String select(String table, boolean withReadableColumns) {
      List<String> items = new ArrayList<>();
      key.forEach(c -> items.add(readable(c)));
      items.add(digest);
      if (withReadableColumns) {
        columns.forEach(c -> items.add(readable(c)));
      }
      return "SELECT " + String.join(", ", items) + " FROM " + Sql.quoteName(table);
    }

    /** An exact, ASCII rendering: equal renderings mean equal stored values. */
    private static String exact(TableColumns.Column c) {
      String col = Sql.quote(c.name());
      if (CAST_TYPES.contains(c.dataType())) {
        return "CAST(" + col + " AS CHAR)";
      }
      return switch (c.dataType()) {
        case "float" -> "CAST(CAST(" + col + " AS DOUBLE) AS CHAR)"; // as text: 6 digits only
        case "bit" -> "BIN(" + col + " + 0)";
        case "json" -> "HEX(CAST(" + col + " AS CHAR))";
        default -> "HEX(" + col + ")";
      };
    }

    /** A readable rendering for messages and keys; NULL stays NULL. */
    private static String readable(TableColumns.Column c) {
      String col = Sql.quote(c.name());
      if (CAST_TYPES.contains(c.dataType())
          || READABLE_TYPES.contains(c.dataType())
          || c.dataType().equals("json")) {
        return "CAST(" + col + " AS CHAR)";
      }
      if (c.dataType().equals("bit")) {
        return "CONCAT('b''', BIN(" + col + " + 0), '''')";
      }
      if (c.dataType().equals("float")) {
        return exact(c);
      }
      if (c.text()) {
        return "QUOTE(" + col + ")";
      }
      return "CONCAT('0x', HEX(" + col + "))";
    }

    private static String shorten(String value) {
      if (value == null) {
        return "NULL";
      }
      return value.length() <= MAX_VALUE_LENGTH
          ? value
          : value.substring(0, MAX_VALUE_LENGTH) + "...(" + value.length() + " chars)";
    }
  }
}
