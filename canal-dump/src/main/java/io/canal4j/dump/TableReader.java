package io.canal4j.dump;

import io.canal4j.schema.Column;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.value.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a table into primary-key {@link Chunk}s and streams a chunk's rows as canonical values.
 *
 * <h2>Design</h2>
 *
 * <p>{@link #plan} walks the primary key with keyset seeks: from the last upper bound it asks the
 * server for the key {@code chunkRows} rows further on, {@code SELECT key FROM t FORCE INDEX
 * (PRIMARY) WHERE key > ? ORDER BY key LIMIT 1 OFFSET chunkRows - 1}. Each seek steps over {@code
 * chunkRows} index entries on the server and sends one key back, so planning costs one pass over
 * the index, holds one key in memory, and gives chunks of exactly {@code chunkRows} rows (as the
 * planning transaction sees the table) however the keys are distributed. The bounds are the
 * server's own key values, compared by the server in the column's collation, so the ranges are
 * consecutive and disjoint by construction; the open first and last chunks take in rows inserted
 * beyond the ends after planning. See {@link KeyRange} for how each key type is bound exactly.
 *
 * <p>{@link #read} selects one range in key order through a streaming result (Connector/J:
 * forward-only, read-only, fetch size {@link Integer#MIN_VALUE}), so memory does not grow with the
 * chunk.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>The caller owns the connection and its transaction; for a consistent snapshot, plan and
 *       read inside one {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}, or plan anywhere and
 *       read every chunk in the snapshot (chunks cover the key space whatever rows exist).
 *   <li>The session must be prepared with {@link JdbcValues#prepareSession} (UTC time zone, so
 *       TIMESTAMP keys bind exactly) and use the utf8mb4 connection character set (Connector/J's
 *       default), so text keys reach the server unchanged.
 *   <li>While a chunk is being read the connection is busy with the streaming result; the caller
 *       must not use it from another thread.
 * </ul>
 *
 * <p>Stateless and thread-safe; every method works on the connection it is given.
 */
public final class TableReader {
  private static final Logger log = LoggerFactory.getLogger(TableReader.class);

  private TableReader() {}

  /** Whether the table has a primary key to chunk by; a table without one is read whole. */
  public static boolean hasPrimaryKey(TableSchema table) {
    return !table.primaryKey().isEmpty();
  }

  /**
   * Splits the table into consecutive primary-key ranges of {@code chunkRows} rows each (the last
   * holds the rest), covering the whole key space once. A table without a primary key, and an empty
   * table, is one chunk. As in {@link #read}, a zero-date key lifts {@code NO_ZERO_DATE} and {@code
   * NO_ZERO_IN_DATE} from the session's sql_mode until the call returns.
   *
   * @param chunkRows rows per chunk, at least 1
   * @throws SQLException when the server fails a seek
   * @throws IllegalArgumentException when {@code chunkRows} is below 1
   * @throws IllegalStateException when the server returns a key it already returned, i.e. a bound
   *     did not compare like the stored key (a bug, reported instead of looping forever)
   */
  public static List<Chunk> plan(Connection connection, TableSchema table, int chunkRows)
      throws SQLException {
    Objects.requireNonNull(connection, "connection");
    if (chunkRows < 1) {
      throw new IllegalArgumentException("chunkRows must be >= 1: " + chunkRows);
    }
    List<Chunk> chunks = new ArrayList<>();
    if (!hasPrimaryKey(table)) {
      chunks.add(Chunk.whole(table.id()));
      return chunks;
    }
    KeyRange range = new KeyRange(table);
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < range.columns().size(); i++) {
      select.append(i == 0 ? "" : ", ").append(JdbcValues.selectExpression(range.columns().get(i)));
    }
    select.append(" FROM ").append(range.tableName()).append(" FORCE INDEX (PRIMARY)");
    String tail = " ORDER BY " + range.orderBy() + " LIMIT 1 OFFSET " + (chunkRows - 1);
    String firstSql = select + tail;
    String nextSql = select + " WHERE " + range.after() + tail;

    long started = System.nanoTime();
    List<Object> lower = null;
    Set<Chunk> bounds = new HashSet<>(); // as chunks, for their equality by content
    ZeroDateMode zeroDates = null;
    try (PreparedStatement first = connection.prepareStatement(firstSql);
        PreparedStatement next = connection.prepareStatement(nextSql)) {
      while (true) {
        PreparedStatement seek = lower == null ? first : next;
        if (lower != null) {
          if (zeroDates == null && range.hasZeroDate(lower)) {
            zeroDates = ZeroDateMode.lift(connection);
          }
          range.bind(seek, 1, lower);
        }
        List<Object> upper = seekKey(seek, range.columns());
        if (upper != null && !bounds.add(new Chunk(table.id(), 0, upper, null))) {
          // the server found a key at or below an earlier bound above that bound: it cannot have
          // compared the value we bound the way it orders the index; looping on would never end
          throw new IllegalStateException(
              "planning "
                  + table.id()
                  + " came back to key "
                  + ChunkText.describe(upper, "-")
                  + ": the bound values do not compare like the stored keys");
        }
        chunks.add(new Chunk(table.id(), chunks.size(), lower, upper));
        if (upper == null) {
          break;
        }
        lower = upper;
      }
    } finally {
      if (zeroDates != null) {
        zeroDates.close();
      }
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "planned {} chunks of {} rows for {} in {} ms",
          chunks.size(),
          chunkRows,
          table.id(),
          (System.nanoTime() - started) / 1_000_000);
    }
    return chunks;
  }

  private static List<Object> seekKey(PreparedStatement seek, List<Column> key)
      throws SQLException {
    try (ResultSet rs = seek.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      List<Object> values = new ArrayList<>(key.size());
      for (int i = 0; i < key.size(); i++) {
        // zero dates as text: a bound must be a value, and their text compares like the date
        Object v = JdbcValues.read(rs, i + 1, key.get(i), true);
        if (v == null) {
          throw new SQLException("primary key column " + key.get(i).name() + " returned NULL");
        }
        values.add(v);
      }
      return values;
    }
  }

  /**
   * Streams the chunk's rows to {@code sink} in primary-key order (in no particular order for a
   * table without one), each as canonical values in column order, and returns how many there were.
   * Memory stays bounded whatever the chunk's size.
   *
   * <p>The read does not poll the thread's interrupt flag, and the driver blocks in socket reads:
   * to stop a long read early, let the sink throw (it may check for interruption), or close the
   * connection from another thread. When a bound is a zero date, the session's sql_mode loses
   * {@code NO_ZERO_DATE} and {@code NO_ZERO_IN_DATE} for the duration of the call.
   *
   * @param zeroDatesAsText see {@link JdbcValues#read(ResultSet, int, Column, boolean)}
   * @param sink receives each row on this thread; an exception it throws ends the read and is
   *     rethrown unchanged
   * @throws SQLException when the server or driver fails
   * @throws E what the sink threw
   * @throws IllegalArgumentException when the chunk belongs to another table
   * @throws ChunkMismatchException when its bounds do not fit the table's primary key (the key
   *     changed since planning)
   */
  public static <E extends Exception> long read(
      Connection connection,
      TableSchema table,
      Chunk chunk,
      boolean zeroDatesAsText,
      RowSink<E> sink)
      throws SQLException, E {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(sink, "sink");
    String sql = readSql(table, chunk);
    List<Column> columns = table.columns();
    long rows = 0;
    try (ZeroDateMode zeroDates =
            needsZeroDates(table, chunk) ? ZeroDateMode.lift(connection) : null;
        PreparedStatement ps =
            connection.prepareStatement(
                sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      ps.setFetchSize(Integer.MIN_VALUE);
      bindRead(ps, table, chunk);
      try (ResultSet rs = ps.executeQuery()) {
        int n = columns.size();
        while (rs.next()) {
          Object[] values = new Object[n];
          for (int i = 0; i < n; i++) {
            values[i] = JdbcValues.read(rs, i + 1, columns.get(i), zeroDatesAsText);
          }
          sink.row(values);
          rows++;
        }
      }
    }
    return rows;
  }

  /**
   * The SELECT of a chunk's rows, with the bounds as parameters for {@link #bindRead}.
   *
   * @throws IllegalArgumentException when the chunk does not fit the table
   */
  static String readSql(TableSchema table, Chunk chunk) {
    if (!chunk.table().equals(table.id())) {
      throw new IllegalArgumentException(chunk + " is not a chunk of " + table.id());
    }
    StringBuilder sql = new StringBuilder("SELECT ");
    for (Column c : table.columns()) {
      sql.append(c.index() == 0 ? "" : ", ").append(JdbcValues.selectExpression(c));
    }
    if (!hasPrimaryKey(table)) {
      if (!chunk.isWhole()) {
        throw new ChunkMismatchException(
            chunk + " has key bounds but " + table.id() + " has no primary key");
      }
      return sql.append(" FROM ")
          .append(JdbcValues.quoteIdentifier(table.id().database()))
          .append('.')
          .append(JdbcValues.quoteIdentifier(table.id().table()))
          .toString();
    }
    KeyRange range = new KeyRange(table);
    range.check(chunk, chunk.lower());
    range.check(chunk, chunk.upper());
    sql.append(" FROM ").append(range.tableName()).append(" FORCE INDEX (PRIMARY)");
    if (chunk.lower() != null) {
      sql.append(" WHERE ").append(range.after());
    }
    if (chunk.upper() != null) {
      sql.append(chunk.lower() == null ? " WHERE " : " AND ").append(range.atMost());
    }
    return sql.append(" ORDER BY ").append(range.orderBy()).toString();
  }

  private static boolean needsZeroDates(TableSchema table, Chunk chunk) {
    if (!hasPrimaryKey(table)) {
      return false;
    }
    KeyRange range = new KeyRange(table);
    return range.hasZeroDate(chunk.lower()) || range.hasZeroDate(chunk.upper());
  }

  /** Binds a chunk's bounds to the statement of {@link #readSql}. */
  static void bindRead(PreparedStatement ps, TableSchema table, Chunk chunk) throws SQLException {
    if (!hasPrimaryKey(table)) {
      return;
    }
    KeyRange range = new KeyRange(table);
    int p = 1;
    if (chunk.lower() != null) {
      p = range.bind(ps, p, chunk.lower());
    }
    if (chunk.upper() != null) {
      range.bind(ps, p, chunk.upper());
    }
  }
}
