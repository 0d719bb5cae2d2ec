package io.canal4j.testkit;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies row changes, as a CDC pipeline delivers them, to twin tables in SQL, so that {@link
 * ReplicaCheck} can compare the twins with their sources on the server. A test's handler converts
 * its events to plain maps of column name to value and calls {@link #insert} (or {@link #insertAll}
 * for the rows of one event), {@link #update} and {@link #delete}; nothing here interprets the
 * values.
 *
 * <p>Values are bound with {@link PreparedStatement#setObject(int, Object)}, so whatever MySQL
 * Connector/J accepts works: {@code String}, {@code Long}/{@code Integer}, {@code BigInteger},
 * {@code BigDecimal}, {@code Boolean}, {@code byte[]}, {@code Double}/{@code Float}, {@code
 * java.time} types ({@code LocalDate}, {@code LocalTime}, {@code LocalDateTime}, {@code
 * OffsetDateTime}, {@code Instant}, ...) and {@code null}. If a pipeline converts a value wrongly,
 * the replica differs and the check fails: that is the point.
 *
 * <p>One exception: Connector/J drops the fractional seconds of every temporal parameter when the
 * server is MariaDB 10.x (it reports version {@code 5.5.5-10.x} and the driver concludes that
 * fractions are unsupported). On MariaDB, {@code LocalDateTime}, {@code LocalTime} and {@code
 * java.sql.Timestamp} values with fractions are therefore bound as text ({@code 2024-02-29
 * 23:59:59.123456}), which the server parses exactly. Zoned types ({@code Instant}, {@code
 * OffsetDateTime}, {@code ZonedDateTime}) still lose their fractions there: convert them to {@code
 * LocalDateTime} in the session time zone first.
 *
 * <p>Replays converge, so at-least-once delivery can be tested: inserts are {@code REPLACE INTO}
 * (one row or, with {@link #insertAll}, many per statement); deletes of missing rows do nothing; an
 * update whose before image matches no row upserts the after image; an update that changes the
 * primary key first deletes any row already at the new key. Updates with partial images ({@code
 * binlog_row_image=MINIMAL}) work: the before image needs only the key columns and only the after
 * image's columns are set. Tables without a primary key match on every column of the before image
 * ({@code <=>}, one row at a time). Generated columns are skipped: the replica computes them.
 *
 * <p>Statements run on the caller's connection, in its transaction mode; not thread-safe.
 */
public final class ReplicaWriter {
  /** The suffix {@link #create(Connection, String...)} appends to source table names. */
  public static final String DEFAULT_SUFFIX = "_replica";

  private static final Object ABSENT = new Object();

  /** Rows per statement of {@link #insertAll}: few round trips, modest statements. */
  private static final int ROWS_PER_STATEMENT = 500;

  /** The most parameters a server-side prepared statement may have. */
  private static final int MAX_PARAMETERS = 65_535;

  /** Roughly the most bytes of values per statement: far below any max_allowed_packet. */
  private static final long MAX_STATEMENT_BYTES = 4L << 20;

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

  private final Connection connection;
  private final Map<String, Target> targets;
  private final boolean mariaDb;
  private boolean skipMissingColumns;

  private record Target(String table, String quoted, TableColumns columns) {}

  private ReplicaWriter(Connection connection, Map<String, Target> targets) throws SQLException {
    this.connection = connection;
    this.targets = targets;
    this.mariaDb = connection.getMetaData().getDatabaseProductVersion().contains("MariaDB");
  }

  /**
   * A writer mapping each source table to a replica table, creating each replica (if missing) with
   * {@code CREATE TABLE replica LIKE source}. Names may be {@code schema.table}.
   */
  public static ReplicaWriter create(Connection connection, Map<String, String> sourceToReplica)
      throws SQLException {
    Objects.requireNonNull(connection, "connection");
    if (sourceToReplica.isEmpty()) {
      throw new IllegalArgumentException("no tables");
    }
    Map<String, Target> targets = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : sourceToReplica.entrySet()) {
      String replica = e.getValue();
      Sql.execute(
          connection,
          "CREATE TABLE IF NOT EXISTS "
              + Sql.quoteName(replica)
              + " LIKE "
              + Sql.quoteName(e.getKey()));
      targets.put(
          e.getKey(),
          new Target(replica, Sql.quoteName(replica), TableColumns.load(connection, replica)));
    }
    return new ReplicaWriter(connection, targets);
  }

  /** A writer for source tables whose replicas are named {@code <source>_replica}. */
  public static ReplicaWriter create(Connection connection, String... sourceTables)
      throws SQLException {
    Map<String, String> mapping = new LinkedHashMap<>();
    for (String table : sourceTables) {
      mapping.put(table, table + DEFAULT_SUFFIX);
    }
    return create(connection, mapping);
  }

  /**
   * From now on, leaves out columns the replica table does not have instead of failing on them: a
   * replica that keeps the tables' standard columns can then follow a source that adds and drops
   * other columns (as {@link Workload.Builder#ddlEvery} does). Returns this writer.
   */
  public ReplicaWriter skippingColumnsNotInReplica() {
    skipMissingColumns = true;
    return this;
  }

  /** The replica table of a source table. */
  public String replicaTable(String sourceTable) {
    return target(sourceTable).table();
  }

  /** Writes an inserted row (an upsert, so replays converge). */
  public void insert(String sourceTable, Map<String, ?> after) throws SQLException {
    upsert(target(sourceTable), after);
  }

  /**
   * Writes inserted rows, as {@link #insert} each in order would, with multi-row {@code REPLACE
   * INTO ... VALUES (...), (...)} statements of up to 500 rows: the same values bound the same way,
   * generated columns skipped, and a later row replacing an earlier one with the same key. Rows
   * with different columns (partial images) may be mixed; each run of consecutive rows with the
   * same columns shares statements.
   */
  public void insertAll(String sourceTable, List<? extends Map<String, ?>> rows)
      throws SQLException {
    Target target = target(sourceTable);
    List<String> columns = null;
    List<Object> values = new ArrayList<>();
    int pending = 0;
    long bytes = 0;
    for (Map<String, ?> row : rows) {
      List<String> rowColumns = new ArrayList<>();
      for (String column : row.keySet()) {
        if (!skipped(target, column)) {
          rowColumns.add(column);
        }
      }
      long rowBytes = approximateBytes(row.values());
      if (pending > 0
          && (!rowColumns.equals(columns)
              || pending == ROWS_PER_STATEMENT
              || values.size() + rowColumns.size() > MAX_PARAMETERS
              || bytes + rowBytes > MAX_STATEMENT_BYTES)) {
        replace(target, columns, pending, values);
        values.clear();
        pending = 0;
        bytes = 0;
      }
      columns = rowColumns;
      for (String column : rowColumns) {
        values.add(row.get(column));
      }
      pending++;
      bytes += rowBytes;
    }
    if (pending > 0) {
      replace(target, columns, pending, values);
    }
  }

  /** Applies an update; see the class documentation for how replays and partial images work. */
  public void update(String sourceTable, Map<String, ?> before, Map<String, ?> after)
      throws SQLException {
    Target target = target(sourceTable);
    List<String> key = target.columns().primaryKey();
    if (!key.isEmpty() && keyChanged(key, before, after)) {
      deleteRow(target, after);
    }
    List<String> set = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Map.Entry<String, ?> e : after.entrySet()) {
      if (!skipped(target, e.getKey())) {
        set.add(Sql.quote(e.getKey()) + " = ?");
        values.add(e.getValue());
      }
    }
    if (set.isEmpty()) {
      return;
    }
    Where where = where(target, before);
    values.addAll(where.values());
    int matched =
        run("UPDATE " + target.quoted() + " SET " + String.join(", ", set) + where.sql(), values);
    if (matched == 0) {
      upsert(target, after);
    }
  }

  /** Deletes a row; a missing row is not an error (replays). */
  public void delete(String sourceTable, Map<String, ?> before) throws SQLException {
    deleteRow(target(sourceTable), before);
  }

  private void upsert(Target target, Map<String, ?> row) throws SQLException {
    List<String> columns = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (Map.Entry<String, ?> e : row.entrySet()) {
      if (!skipped(target, e.getKey())) {
        columns.add(e.getKey());
        values.add(e.getValue());
      }
    }
    replace(target, columns, 1, values);
  }

  /** One REPLACE of {@code rows} rows whose values, row after row, are {@code values}. */
  private void replace(Target target, List<String> columns, int rows, List<Object> values)
      throws SQLException {
    StringBuilder sql = new StringBuilder("REPLACE INTO ").append(target.quoted()).append(" (");
    for (int i = 0; i < columns.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(Sql.quote(columns.get(i)));
    }
    sql.append(") VALUES ");
    String tuple = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(tuple);
    }
    run(sql.toString(), values);
  }

  private void deleteRow(Target target, Map<String, ?> image) throws SQLException {
    Where where = where(target, image);
    run("DELETE FROM " + target.quoted() + where.sql(), where.values());
  }

  private record Where(String sql, List<Object> values) {}

  /** Matches the row by primary key, or by all columns of the image if there is none. */
  private Where where(Target target, Map<String, ?> image) {
    List<String> conditions = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    List<String> key = target.columns().primaryKey();
    if (!key.isEmpty()) {
      for (String column : key) {
        Object value = lookup(image, column);
        if (value == ABSENT) {
          throw new IllegalArgumentException(
              "row image of " + target.table() + " lacks key column " + column + ": " + image);
        }
        conditions.add(Sql.quote(column) + " = ?");
        values.add(value);
      }
      return new Where(" WHERE " + String.join(" AND ", conditions), values);
    }
    for (Map.Entry<String, ?> e : image.entrySet()) {
      if (!skipped(target, e.getKey())) {
        conditions.add(Sql.quote(e.getKey()) + " <=> ?");
        values.add(e.getValue());
      }
    }
    if (conditions.isEmpty()) {
      throw new IllegalArgumentException("empty row image for " + target.table());
    }
    return new Where(" WHERE " + String.join(" AND ", conditions) + " LIMIT 1", values);
  }

  private int run(String sql, List<Object> values) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.size(); i++) {
        bind(statement, i + 1, values.get(i));
      }
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new SQLException(
          e.getMessage() + " [in: " + shorten(sql) + " with " + shorten(values.toString()) + "]",
          e.getSQLState(),
          e.getErrorCode(),
          e);
    }
  }

  /** Multi-row statements are long; a message keeps their beginning. */
  private static String shorten(String text) {
    return text.length() <= 2_000 ? text : text.substring(0, 2_000) + "...";
  }

  private static long approximateBytes(Collection<?> values) {
    long bytes = 0;
    for (Object value : values) {
      if (value instanceof byte[] b) {
        bytes += 2L * b.length; // escaped
      } else if (value instanceof CharSequence text) {
        bytes += 4L * text.length(); // UTF-8, escaped
      } else {
        bytes += 16;
      }
    }
    return bytes;
  }

  /** setObject, except for fractional seconds on MariaDB (see the class documentation). */
  private void bind(PreparedStatement statement, int index, Object value) throws SQLException {
    if (mariaDb) {
      if (value instanceof Timestamp t) {
        value = t.toLocalDateTime();
      }
      if (value instanceof LocalDateTime t && t.getNano() != 0) {
        statement.setString(index, DATE_TIME.format(t));
        return;
      }
      if (value instanceof LocalTime t && t.getNano() != 0) {
        statement.setString(index, TIME.format(t));
        return;
      }
    }
    statement.setObject(index, value);
  }

  private Target target(String sourceTable) {
    Target target = targets.get(sourceTable);
    if (target == null) {
      throw new IllegalArgumentException(
          "no replica for " + sourceTable + "; known: " + targets.keySet());
    }
    return target;
  }

  /** Generated columns (the replica computes them), and columns it lacks if told to skip them. */
  private boolean skipped(Target target, String column) {
    TableColumns.Column c = target.columns().column(column);
    return c != null ? c.generated() : skipMissingColumns;
  }

  private static boolean keyChanged(List<String> key, Map<String, ?> before, Map<String, ?> after) {
    for (String column : key) {
      Object newValue = lookup(after, column);
      if (newValue != ABSENT && !sameValue(lookup(before, column), newValue)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameValue(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return Objects.equals(a, b);
  }

  /** The image's value for a column, matching names case-insensitively; ABSENT if missing. */
  private static Object lookup(Map<String, ?> image, String column) {
    if (image.containsKey(column)) {
      return image.get(column);
    }
    for (Map.Entry<String, ?> e : image.entrySet()) {
      if (e.getKey().equalsIgnoreCase(column)) {
        return e.getValue();
      }
    }
    return ABSENT;
  }
}
