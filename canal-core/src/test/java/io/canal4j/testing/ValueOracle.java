package io.canal4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canal4j.Row;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.schema.Column;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.value.JdbcValues;
import io.canal4j.testkit.ServerRendering;
import io.canal4j.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value tests' oracle: the server's own text of each stored value ({@link ServerRendering}),
 * the JDBC reading of the same rows, and the images a canal delivered for them, by row id.
 */
public final class ValueOracle {
  /** Added to the id by the tests' UPDATE, so that every column of every row changes image. */
  public static final int ID_SHIFT = 1000;

  private ValueOracle() {}

  /** Every image of each row: insert after, update before and after, delete before. */
  public record Images(Map<Integer, List<Row>> byId, Map<Integer, List<String>> labels) {}

  public static TableSchema schema(TestDatabase db, String table) throws Exception {
    return new InformationSchemaCache(db::connect).load(TableId.of(db.name(), table));
  }

  /** The server's text for each column of each row (column 0 is the INT id), by id. */
  public static Map<Integer, String[]> serverText(TestDatabase db, TableSchema schema, String table)
      throws Exception {
    StringBuilder sql = new StringBuilder("SELECT id");
    for (Column c : schema.columns()) {
      sql.append(", ")
          .append(
              ServerRendering.expression(JdbcValues.quoteIdentifier(c.name()), c.type().name()));
    }
    sql.append(" FROM ").append(table).append(" ORDER BY id");
    Map<Integer, String[]> result = new TreeMap<>();
    try (Connection c = db.connect()) {
      JdbcValues.prepareSession(c);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql.toString())) {
        while (rs.next()) {
          String[] row = new String[schema.columnCount()];
          for (int i = 0; i < row.length; i++) {
            row[i] = rs.getString(i + 2);
          }
          result.put(rs.getInt(1), row);
        }
      }
    }
    return result;
  }

  /** The rows as {@link JdbcValues} reads them, by id. */
  public static Map<Integer, Object[]> jdbc(
      TestDatabase db, TableSchema schema, String table, boolean zeroDatesAsText) throws Exception {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (Column c : schema.columns()) {
      sql.append(c.index() == 0 ? "" : ", ").append(JdbcValues.selectExpression(c));
    }
    sql.append(" FROM ").append(table).append(" ORDER BY id");
    Map<Integer, Object[]> result = new TreeMap<>();
    try (Connection c = db.connect()) {
      JdbcValues.prepareSession(c);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(sql.toString())) {
        while (rs.next()) {
          Object[] row = new Object[schema.columnCount()];
          for (Column col : schema.columns()) {
            row[col.index()] = JdbcValues.read(rs, col.index() + 1, col, zeroDatesAsText);
          }
          result.put((Integer) row[0], row);
        }
      }
    }
    return result;
  }

  /**
   * The images a canal delivered, by the row's original id: INSERT after, UPDATE before, UPDATE
   * after (id + {@link #ID_SHIFT}), DELETE before.
   */
  public static Images images(RecordingHandler h) {
    Map<Integer, List<Row>> byId = new TreeMap<>();
    Map<Integer, List<String>> labels = new LinkedHashMap<>();
    for (RowsEvent e : h.rows) {
      for (RowChange c : e.changes()) {
        switch (e.action()) {
          case INSERT -> add(byId, labels, c.after(), "insert");
          case UPDATE -> {
            add(byId, labels, c.before(), "update before");
            add(byId, labels, c.after(), "update after");
          }
          case DELETE -> add(byId, labels, c.before(), "delete");
          default -> throw new AssertionError("unexpected " + e);
        }
      }
    }
    return new Images(byId, labels);
  }

  private static void add(
      Map<Integer, List<Row>> byId, Map<Integer, List<String>> labels, Row row, String label) {
    int id = ((Integer) row.get(0)) % ID_SHIFT;
    byId.computeIfAbsent(id, k -> new ArrayList<>()).add(row);
    labels.computeIfAbsent(id, k -> new ArrayList<>()).add(label);
  }

  /** Null when {@code value} renders as the server's text, else what differs. */
  public static String mismatch(Object value, Column c, String text) {
    return ServerRendering.mismatch(value, c.type().name(), c.scale(), text);
  }

  /** Fails with every difference at once. */
  public static void assertNoProblems(List<String> problems) {
    assertEquals(
        List.of(), problems, problems.size() + " differences:\n" + String.join("\n", problems));
  }
}
