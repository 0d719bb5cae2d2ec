package io.canal4j.elasticsearch.testing;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares a table with its index, value by value, read independently of the indexer: the rows by
 * JDBC, the documents by {@code _search}. A column of the row must equal the document's field
 * (numbers by value, DATETIME and TIMESTAMP parsed from their ISO text, a missing field as NULL);
 * fields the table no longer has (a dropped column) are not compared.
 */
public final class IndexCheck {
  private IndexCheck() {}

  /**
   * The differences between {@code db.table} (keyed by its single-column key {@code key}) and
   * {@code index}; empty when they are equal.
   */
  public static List<String> differences(
      Connection c, String db, String table, String key, SearchNode node, String index)
      throws SQLException, IOException {
    Map<String, Map<String, Object>> docs = new HashMap<>(node.documents(index));
    List<String> diffs = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM `" + db + "`.`" + table + "`")) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        String id = rs.getString(key);
        Map<String, Object> doc = docs.remove(id);
        if (doc == null) {
          diffs.add("row " + id + " has no document");
          continue;
        }
        for (int i = 1; i <= md.getColumnCount(); i++) {
          String column = md.getColumnLabel(i);
          Object expected = value(rs, i, md.getColumnType(i));
          Object actual = field(doc.get(column), md.getColumnType(i));
          if (!same(expected, actual)) {
            diffs.add(
                "row "
                    + id
                    + " column "
                    + column
                    + ": row has "
                    + expected
                    + ", document "
                    + actual);
          }
        }
      }
    }
    for (String id : docs.keySet()) {
      diffs.add("document " + id + " has no row");
    }
    return diffs;
  }

  private static Object value(ResultSet rs, int i, int type) throws SQLException {
    switch (type) {
      case Types.TIMESTAMP:
        return rs.getObject(i, LocalDateTime.class);
      case Types.DATE:
        return rs.getObject(i, LocalDate.class);
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
      case Types.BIGINT:
      case Types.DECIMAL:
      case Types.NUMERIC:
      case Types.DOUBLE:
      case Types.REAL:
      case Types.FLOAT:
        return rs.getBigDecimal(i);
      default:
        return rs.getString(i);
    }
  }

  private static Object field(Object v, int type) {
    if (v == null) {
      return null;
    }
    switch (type) {
      case Types.TIMESTAMP:
        String t = (String) v;
        return t.endsWith("Z")
            ? LocalDateTime.ofInstant(Instant.parse(t), ZoneOffset.UTC)
            : LocalDateTime.parse(t);
      case Types.DATE:
        return LocalDate.parse((String) v);
      case Types.DECIMAL:
      case Types.NUMERIC:
        return v instanceof String s ? new BigDecimal(s) : v;
      default:
        return v instanceof BigDecimal || v instanceof String ? v : v.toString();
    }
  }

  private static boolean same(Object expected, Object actual) {
    if (expected instanceof BigDecimal a && actual instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    return Objects.equals(expected, actual);
  }
}
