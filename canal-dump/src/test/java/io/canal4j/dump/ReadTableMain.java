package io.canal4j.dump;

import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.value.JdbcValues;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * Reads a whole table through {@link TableReader} in one consistent snapshot and prints {@code rows
 * <n> chars <total length of the String values> chunks <n> maxHeapMiB <n> seconds <s>}. Run by
 * {@link TableReaderMemoryTest} in a JVM with a small heap.
 *
 * <p>Arguments: JDBC URL, user, database, table, rows per chunk; the password is the system
 * property {@code canal4j.test.password}.
 */
public final class ReadTableMain {
  private ReadTableMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Properties login = new Properties();
    login.setProperty("user", args[1]);
    login.setProperty("password", System.getProperty("canal4j.test.password", ""));
    TableId id = TableId.of(args[2], args[3]);
    int chunkRows = Integer.parseInt(args[4]);

    TableSchema schema = new InformationSchemaCache(() -> connect(url, login)).load(id);
    try (Connection c = connect(url, login);
        Statement s = c.createStatement()) {
      JdbcValues.prepareSession(c);
      s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
      long started = System.nanoTime();
      List<Chunk> chunks = TableReader.plan(c, schema, chunkRows);
      long[] chars = {0};
      long rows = 0;
      for (Chunk chunk : chunks) {
        rows +=
            TableReader.read(
                c,
                schema,
                chunk,
                false,
                values -> {
                  for (Object v : values) {
                    if (v instanceof String text) {
                      chars[0] += text.length();
                    }
                  }
                });
      }
      s.execute("COMMIT");
      System.out.printf(
          "rows %d chars %d chunks %d maxHeapMiB %d seconds %.1f%n",
          rows,
          chars[0],
          chunks.size(),
          Runtime.getRuntime().maxMemory() / (1024 * 1024),
          (System.nanoTime() - started) / 1e9);
    }
  }

  private static Connection connect(String url, Properties login) throws SQLException {
    return DriverManager.getConnection(url, login);
  }
}
