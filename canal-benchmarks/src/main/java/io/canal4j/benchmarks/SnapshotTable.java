package io.canal4j.benchmarks;

import io.canal4j.testkit.SandboxServer;
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
 * Loads the snapshot benchmark's table: a fixed, seeded set of rows in the usual shape of an
 * application table.
 *
 * <pre>
 * id BIGINT PRIMARY KEY, k INT NOT NULL (indexed), v VARCHAR(64) utf8mb4 NOT NULL,
 * amount DECIMAL(12,2) NULL, updated DATETIME(6) NOT NULL, status ENUM(4 values) NOT NULL,
 * score DOUBLE NOT NULL, day DATE NOT NULL, note VARCHAR(255) utf8mb4 NULL
 * </pre>
 *
 * Ids are 1..rows. {@code amount} and {@code note} are NULL in about 10% of the rows; {@code note}
 * holds 0–120 characters. Text is mostly ASCII; one string in eight has a non-ASCII character (up
 * to 4 bytes in utf8mb4). Given the seed, the table's contents are the same on every run. Rows go
 * in 1,000-row INSERT statements, each its own transaction.
 */
final class SnapshotTable {
  static final String DATABASE = "bench";
  static final String TABLE = "orders";
  private static final int INSERT_ROWS = 1000;
  private static final LocalDateTime EPOCH = LocalDateTime.of(2020, 1, 1, 0, 0);
  private static final long SPAN_MICROS = 5L * 365 * 24 * 3600 * 1_000_000;
  private static final String[] STATUS = {"new", "paid", "shipped", "cancelled"};
  private static final String ASCII =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,";
  private static final String[] NON_ASCII = {"é", "ß", "ñ", "ø", "中", "文", "😀"};

  private final SandboxServer server;
  private final Random random;

  SnapshotTable(SandboxServer server, long seed) {
    this.server = server;
    this.random = new Random(seed);
  }

  /** Creates the table, fills it with {@code rows} rows and returns its size on disk in bytes. */
  long load(long rows) throws SQLException {
    if (rows < 10_000 || rows % INSERT_ROWS != 0) {
      throw new IllegalArgumentException(
          "rows must be at least 10000 and a multiple of " + INSERT_ROWS + ": " + rows);
    }
    server.execute(
        "CREATE DATABASE " + DATABASE,
        "CREATE TABLE "
            + DATABASE
            + "."
            + TABLE
            + " (id BIGINT PRIMARY KEY, k INT NOT NULL,"
            + " v VARCHAR(64) CHARACTER SET utf8mb4 NOT NULL, amount DECIMAL(12,2),"
            + " updated DATETIME(6) NOT NULL,"
            + " status ENUM('new','paid','shipped','cancelled') NOT NULL,"
            + " score DOUBLE NOT NULL, day DATE NOT NULL,"
            + " note VARCHAR(255) CHARACTER SET utf8mb4, KEY k (k)) ENGINE=InnoDB");
    StringBuilder sql =
        new StringBuilder("INSERT INTO ")
            .append(TABLE)
            .append(" (id, k, v, amount, updated, status, score, day, note) VALUES ");
    for (int i = 0; i < INSERT_ROWS; i++) {
      sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?)");
    }
    try (Connection c =
            DriverManager.getConnection(
                server.jdbcUrl(DATABASE), server.user(), server.password());
        PreparedStatement insert = c.prepareStatement(sql.toString())) {
      long id = 1;
      for (long s = 0; s < rows / INSERT_ROWS; s++) {
        int p = 1;
        for (int r = 0; r < INSERT_ROWS; r++) {
          p = bindRow(insert, p, id++);
        }
        int count = insert.executeUpdate();
        if (count != INSERT_ROWS) {
          throw new IllegalStateException("INSERT wrote " + count + " rows, not " + INSERT_ROWS);
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE TABLE " + TABLE);
        try (ResultSet r =
            s.executeQuery(
                "SELECT COUNT(*), (SELECT data_length + index_length FROM information_schema.tables"
                    + " WHERE table_schema = '"
                    + DATABASE
                    + "' AND table_name = '"
                    + TABLE
                    + "') FROM "
                    + TABLE)) {
          r.next();
          if (r.getLong(1) != rows) {
            throw new IllegalStateException("table holds " + r.getLong(1) + " rows, not " + rows);
          }
          return r.getLong(2);
        }
      }
    }
  }

  private int bindRow(PreparedStatement s, int p, long id) throws SQLException {
    s.setLong(p++, id);
    s.setInt(p++, random.nextInt(1_000_000));
    s.setString(p++, text(8, 48));
    if (random.nextInt(10) == 0) {
      s.setNull(p++, Types.DECIMAL);
    } else {
      s.setBigDecimal(
          p++, BigDecimal.valueOf(random.nextLong(-999_999_999_999L, 1_000_000_000_000L), 2));
    }
    s.setObject(p++, EPOCH.plusNanos(random.nextLong(SPAN_MICROS) * 1000));
    s.setString(p++, STATUS[random.nextInt(STATUS.length)]);
    s.setDouble(p++, random.nextDouble() * 1e6);
    s.setObject(p++, LocalDate.of(2000, 1, 1).plusDays(random.nextInt(20_000)));
    if (random.nextInt(10) == 0) {
      s.setNull(p++, Types.VARCHAR);
    } else {
      s.setString(p++, text(0, 120));
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
}
