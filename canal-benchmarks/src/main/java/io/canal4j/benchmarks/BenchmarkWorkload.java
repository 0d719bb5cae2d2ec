package io.canal4j.benchmarks;

import io.canal4j.schema.Flavor;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Random;

/**
 * Writes the benchmark's fixed, seeded workload into one table of mixed column types and returns
 * the binlog range it took.
 *
 * <p>About 70% of the row changes are INSERTs of {@value #INSERT_ROWS} rows per statement, 20%
 * single-row UPDATEs and 10% single-row DELETEs, interleaved; every statement is its own
 * transaction. UPDATEs change a counter, so each one is logged, and touch only rows that are never
 * deleted; DELETEs take every fifth id in order. Text is mostly ASCII; one string in eight holds a
 * non-ASCII character (up to 4 bytes in utf8mb4). Given the seed, the binlog's row images are the
 * same on every run. UPDATEs and DELETEs go in JDBC batches that Connector/J sends as
 * multi-statement packets, so setup takes seconds rather than minutes.
 */
final class BenchmarkWorkload {
  static final String DATABASE = "bench";
  static final String TABLE = "orders";
  private static final int INSERT_ROWS = 100;
  private static final int STATEMENTS_PER_STEP = 10;
  private static final LocalDateTime EPOCH = LocalDateTime.of(2020, 1, 1, 0, 0);
  private static final long SPAN_MICROS = 5L * 365 * 24 * 3600 * 1_000_000;
  private static final String[] STATUS = {"new", "paid", "shipped", "cancelled"};
  private static final String ASCII =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,";
  private static final String[] NON_ASCII = {"é", "ß", "ñ", "ø", "中", "文", "😀"};

  private final SandboxServer server;
  private final boolean json;
  private final Random random;

  BenchmarkWorkload(SandboxServer server, long seed) {
    this.server = server;
    this.json = server.flavor() == ServerFlavor.MYSQL; // MariaDB's JSON is only a LONGTEXT
    this.random = new Random(seed);
  }

  /**
   * Creates the table, writes about {@code rowChanges} row changes and returns their binlog range.
   */
  BinlogRange write(long rowChanges) throws SQLException {
    if (rowChanges < 10_000) {
      throw new IllegalArgumentException("rows must be at least 10000: " + rowChanges);
    }
    long inserts = Math.max(1, Math.round(rowChanges * 0.7 / INSERT_ROWS)) * INSERT_ROWS;
    long updates = rowChanges * 2 / 10;
    long deletes = rowChanges - inserts - updates;
    server.execute(
        "CREATE DATABASE " + DATABASE,
        "CREATE TABLE "
            + DATABASE
            + "."
            + TABLE
            + " (id BIGINT PRIMARY KEY, c_int INT NOT NULL, c_uint INT UNSIGNED NOT NULL,"
            + " c_varchar VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL, c_decimal DECIMAL(12,2),"
            + " c_double DOUBLE, c_datetime DATETIME(6) NOT NULL, c_timestamp TIMESTAMP(6) NULL,"
            + " c_date DATE, c_text TEXT CHARACTER SET utf8mb4, c_blob BLOB,"
            + " c_enum ENUM('new','paid','shipped','cancelled') NOT NULL"
            + (json ? ", c_json JSON" : "")
            + ") ENGINE=InnoDB");
    try (Connection c =
        DriverManager.getConnection(
            server.jdbcUrl(DATABASE) + "&rewriteBatchedStatements=true",
            server.user(),
            server.password())) {
      String[] start = masterStatus(c);
      long transactions = writeRows(c, inserts, updates, deletes);
      String[] end = masterStatus(c);
      long bytes =
          rangeBytes(c, start[0], Long.parseLong(start[1]), end[0], Long.parseLong(end[1]));
      return new BinlogRange(
          server.flavor() == ServerFlavor.MYSQL ? Flavor.MYSQL : Flavor.MARIADB,
          start[0],
          Long.parseLong(start[1]),
          end[0],
          Long.parseLong(end[1]),
          bytes,
          inserts + updates + deletes,
          transactions);
    }
  }

  private long writeRows(Connection c, long inserts, long updates, long deletes)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("INSERT INTO ")
            .append(TABLE)
            .append(" (id, c_int, c_uint, c_varchar, c_decimal, c_double, c_datetime,")
            .append(" c_timestamp, c_date, c_text, c_blob, c_enum")
            .append(json ? ", c_json) VALUES " : ") VALUES ");
    String tuple = json ? "(?,?,?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?,?)";
    for (int i = 0; i < INSERT_ROWS; i++) {
      sql.append(i == 0 ? "" : ",").append(tuple);
    }
    long statements = inserts / INSERT_ROWS;
    long transactions = 0;
    long nextId = 1;
    long updated = 0;
    long deleted = 0;
    long nextDelete = 5;
    try (PreparedStatement insert = c.prepareStatement(sql.toString());
        PreparedStatement update =
            c.prepareStatement(
                "UPDATE "
                    + TABLE
                    + " SET c_int = c_int + 1, c_varchar = ?, c_double = ?"
                    + " WHERE id = ?");
        PreparedStatement delete = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
      for (long s = 0; s < statements; s++) {
        int p = 1;
        for (int r = 0; r < INSERT_ROWS; r++) {
          p = bindRow(insert, p, nextId++);
        }
        check(insert.executeUpdate(), INSERT_ROWS, "INSERT");
        transactions++;
        if ((s + 1) % STATEMENTS_PER_STEP != 0 && s + 1 != statements) {
          continue;
        }
        long maxId = nextId - 1;
        for (long target = updates * (s + 1) / statements; updated < target; updated++) {
          long id = 1 + (long) (random.nextDouble() * maxId);
          if (id % 5 == 0) {
            id--; // multiples of five get deleted; never update them
          }
          update.setString(1, text(8, 48));
          update.setDouble(2, random.nextDouble() * 1e6);
          update.setLong(3, id);
          update.addBatch();
        }
        transactions += executeBatch(update, "UPDATE");
        for (long target = deletes * (s + 1) / statements; deleted < target; deleted++) {
          if (nextDelete > maxId) {
            throw new IllegalStateException("deletes outran inserts at id " + nextDelete);
          }
          delete.setLong(1, nextDelete);
          nextDelete += 5;
          delete.addBatch();
        }
        transactions += executeBatch(delete, "DELETE");
      }
    }
    return transactions;
  }

  private int bindRow(PreparedStatement s, int p, long id) throws SQLException {
    s.setLong(p++, id);
    s.setInt(p++, random.nextInt(2_000_000_000) - 1_000_000_000);
    s.setLong(p++, random.nextLong(1L << 32));
    s.setString(p++, text(8, 48));
    if (random.nextInt(10) == 0) {
      s.setNull(p++, Types.DECIMAL);
    } else {
      s.setBigDecimal(
          p++, BigDecimal.valueOf(random.nextLong(-999_999_999_999L, 1_000_000_000_000L), 2));
    }
    s.setDouble(p++, random.nextDouble() * 1e9);
    s.setObject(p++, EPOCH.plusNanos(random.nextLong(SPAN_MICROS) * 1000));
    if (random.nextInt(10) == 0) {
      s.setNull(p++, Types.TIMESTAMP);
    } else {
      s.setObject(p++, EPOCH.plusNanos(random.nextLong(SPAN_MICROS) * 1000));
    }
    s.setObject(p++, LocalDate.of(2000, 1, 1).plusDays(random.nextInt(20_000)));
    if (random.nextInt(10) == 0) {
      s.setNull(p++, Types.VARCHAR);
    } else {
      s.setString(p++, text(0, 200));
    }
    byte[] blob = new byte[16 + random.nextInt(48)];
    random.nextBytes(blob);
    s.setBytes(p++, blob);
    s.setString(p++, STATUS[random.nextInt(STATUS.length)]);
    if (json) {
      s.setString(
          p++,
          "{\"n\": "
              + random.nextInt(1_000_000)
              + ", \"tag\": \""
              + text(1, 12).replace("\"", "")
              + "\", \"ok\": "
              + random.nextBoolean()
              + "}");
    }
    return p;
  }

  /** Mostly ASCII, as typical data is; one string in eight has a non-ASCII character. */
  private String text(int min, int max) {
    int length = min + random.nextInt(max - min + 1);
    StringBuilder sb = new StringBuilder(length + 1);
    for (int i = 0; i < length; i++) {
      sb.append(ASCII.charAt(random.nextInt(ASCII.length())));
    }
    if (length > 0 && random.nextInt(8) == 0) {
      int at = random.nextInt(length);
      sb.replace(at, at + 1, NON_ASCII[random.nextInt(NON_ASCII.length)]);
    }
    return sb.toString();
  }

  private static int executeBatch(PreparedStatement s, String what) throws SQLException {
    int[] counts = s.executeBatch();
    for (int count : counts) {
      check(count, 1, what);
    }
    return counts.length;
  }

  private static void check(int count, int expected, String what) {
    if (count != expected) {
      throw new IllegalStateException(what + " changed " + count + " rows, not " + expected);
    }
  }

  /** The current binlog file and offset: {@code SHOW MASTER STATUS} (MySQL 8.0, MariaDB). */
  private static String[] masterStatus(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW MASTER STATUS")) {
      if (!r.next()) {
        throw new IllegalStateException("SHOW MASTER STATUS is empty: is the binlog on?");
      }
      return new String[] {r.getString(1), r.getString(2)};
    }
  }

  private static long rangeBytes(
      Connection c, String startFile, long startOffset, String endFile, long endOffset)
      throws SQLException {
    if (startFile.equals(endFile)) {
      return endOffset - startOffset;
    }
    long bytes = 0;
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW BINARY LOGS")) {
      while (r.next()) {
        String file = r.getString(1);
        long size = r.getLong(2);
        if (file.equals(startFile)) {
          bytes += size - startOffset;
        } else if (file.compareTo(startFile) > 0 && file.compareTo(endFile) < 0) {
          bytes += size;
        }
      }
    }
    return bytes + endOffset;
  }
}
