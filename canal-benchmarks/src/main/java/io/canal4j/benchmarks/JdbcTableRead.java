package io.canal4j.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The baseline: one plain JDBC {@code SELECT *} of the whole table with the driver canal4j uses
 * (MySQL Connector/J), streamed (forward-only, read-only, fetch size {@link Integer#MIN_VALUE}, so
 * the driver reads row by row rather than buffering the result), folding every value of every row
 * into a {@link RowSetChecksum}. Values are taken with {@code getObject} (the driver's default Java
 * types: {@code LocalDateTime}, {@code BigDecimal}, {@code String}, ...) or, with {@code
 * -Djdbc=string}, {@code getString}.
 */
final class JdbcTableRead {
  private final Endpoint server;
  private final String properties;
  private final boolean strings;

  /** {@code properties}: the URL's query, the same as canal4j is given. */
  JdbcTableRead(Endpoint server, String properties, boolean strings) {
    this.server = server;
    this.properties = properties;
    this.strings = strings;
  }

  ReadResult run() throws SQLException {
    RowSetChecksum checksum = new RowSetChecksum();
    long rows = 0;
    long started = System.nanoTime();
    long firstRow = 0;
    long firstRowCpu = 0;
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:mysql://"
                    + server.host()
                    + ":"
                    + server.port()
                    + "/"
                    + SnapshotTable.DATABASE
                    + "?"
                    + properties,
                server.user(),
                server.password());
        Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      s.setFetchSize(Integer.MIN_VALUE);
      try (ResultSet rs = s.executeQuery("SELECT * FROM " + SnapshotTable.TABLE)) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          if (rows == 0) {
            firstRow = System.nanoTime();
            firstRowCpu = ThreadCpu.now();
          }
          checksum.beginRow();
          for (int i = 1; i <= n; i++) {
            checksum.add(strings ? rs.getString(i) : rs.getObject(i));
          }
          checksum.endRow();
          rows++;
        }
      }
      long end = System.nanoTime();
      long endCpu = ThreadCpu.now();
      return new ReadResult(
          rows, checksum.value(), end - started, end - firstRow, endCpu - firstRowCpu, 0);
    }
  }
}
