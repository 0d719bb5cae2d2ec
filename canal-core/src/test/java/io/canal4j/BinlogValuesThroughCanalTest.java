package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canal4j.schema.Column;
import io.canal4j.schema.TableSchema;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testing.ValueOracle;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import io.canal4j.testkit.TypeMatrix;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The type matrix end to end through a running canal, on both servers: every image a canal delivers
 * (insert, update before and after, delete) and the JDBC reading of the same rows are compared with
 * the server's own text of each value ({@code CAST(col AS CHAR)}, {@code HEX(col)} for bytes and
 * BIT; JSON as MySQL prints it), and must be of the README's Java class.
 */
class BinlogValuesThroughCanalTest {
  private static final String SERVERS = "io.canal4j.testkit.SandboxServers#all";

  /** A column: name, SQL type, canonical Java class. */
  @ParameterizedTest
  @MethodSource(SERVERS)
  void typeMatrix_everyImageAndJdbc_matchTheServersText_andJavaClass(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      List<TypeMatrix.Column> cols = TypeMatrix.columns(server.flavor());
      db.execute(TypeMatrix.createTable("t", cols));
      List<String> statements = new ArrayList<>();
      statements.add("SET SESSION time_zone = '+00:00'");
      List<Map<String, String>> rows = TypeMatrix.rows();
      for (int r = 0; r < rows.size(); r++) {
        statements.add(TypeMatrix.insert("t", cols, r + 1, rows.get(r)));
      }
      // An ENUM value without a label is stored as '' (index 0) outside strict mode.
      statements.add("SET SESSION sql_mode = ''");
      statements.add(
          TypeMatrix.insert(
              "t", cols, rows.size() + 1, TypeMatrix.values("e", "'nope'", "e2", "'nope'")));
      Map<String, Class<?>> classes = new LinkedHashMap<>();
      cols.forEach(c -> classes.put(c.name(), c.javaType()));
      int cells = checkThroughCanal(server, db, "t", classes, statements);
      assertEquals((rows.size() + 1) * cols.size() * 6, cells);
    }
  }

  /** JSON documents past 64 KiB, which MySQL stores in its large binary-JSON format. */
  @ParameterizedTest
  @MethodSource(SERVERS)
  void largeJson_everyImageAndJdbc_matchTheServersText(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE j (id INT PRIMARY KEY, v JSON)");
      List<String> documents = largeJsonDocuments();
      int cells =
          checkThroughCanal(
              server,
              db,
              "j",
              Map.of("v", String.class),
              List.of(),
              c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO j VALUES (?, ?)")) {
                  for (int i = 0; i < documents.size(); i++) {
                    ps.setInt(1, i + 1);
                    ps.setString(2, documents.get(i));
                    ps.executeUpdate();
                  }
                }
              });
      assertEquals(documents.size() * 6, cells);
    }
  }

  private static List<String> largeJsonDocuments() {
    StringBuilder object = new StringBuilder("{");
    for (int i = 0; i < 3000; i++) {
      object
          .append(i == 0 ? "" : ", ")
          .append("\"key")
          .append(i)
          .append("\": {\"n\": ")
          .append(i * 7 - 10000)
          .append(", \"d\": ")
          .append(i / 8.0)
          .append(", \"s\": \"ü€")
          .append(i)
          .append("\"}");
    }
    object.append("}");
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < 6000; i++) {
      array.append(i == 0 ? "" : ", ");
      switch (i % 6) {
        case 0 -> array.append(Long.MIN_VALUE + i);
        case 1 -> array.append("1.0e").append(i % 300);
        case 2 -> array.append("\"😀\\t").append(i).append("\"");
        case 3 -> array.append("[true, false, null]");
        case 4 -> array.append("{\"x\": [").append(i).append(", {\"y\": \"中\"}]}");
        default -> array.append("18446744073709551615");
      }
    }
    array.append("]");
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 30; i++) { // MariaDB allows a depth of 32
      deep.append(i % 2 == 0 ? "{\"k\": " : "[");
    }
    deep.append("\"").append("é".repeat(40_000)).append("\"");
    for (int i = 29; i >= 0; i--) {
      deep.append(i % 2 == 0 ? "}" : "]");
    }
    String longString = "\"" + "a😀\\u0001\\\"".repeat(12_000) + "\"";
    return List.of(
        object.toString(), array.toString(), deep.toString(), longString, "{\"small\": 1}");
  }

  /** Writes rows on one connection (its session settings hold for all statements). */
  private interface Writer {
    void write(Connection c) throws Exception;
  }

  private static int checkThroughCanal(
      SandboxServer server,
      TestDatabase db,
      String table,
      Map<String, Class<?>> classes,
      List<String> statements)
      throws Exception {
    return checkThroughCanal(server, db, table, classes, statements, c -> {});
  }

  /**
   * Runs a canal on {@code table} while rows are inserted, updated (id + {@link
   * ValueOracle#ID_SHIFT}) and deleted, and compares every image and the JDBC reading with the
   * server's text. Returns the number of values compared.
   */
  private static int checkThroughCanal(
      SandboxServer server,
      TestDatabase db,
      String table,
      Map<String, Class<?>> classes,
      List<String> statements,
      Writer writer)
      throws Exception {
    RecordingHandler h = new RecordingHandler();
    RecordingHandler snapshotRows = new RecordingHandler();
    TableSchema schema = ValueOracle.schema(db, table);
    Map<Integer, String[]> text;
    Map<Integer, Object[]> jdbc;
    try (Canal canal =
        CanalTesting.canalFor(server, "values-" + table)
            .include(db.name() + "\\." + table)
            .handler(h)
            .build()) {
      canal.start();
      await("RUNNING", Duration.ofSeconds(30), () -> canal.state() == CanalState.RUNNING);
      if (!statements.isEmpty()) {
        db.execute(statements.toArray(String[]::new));
      }
      try (Connection c = db.connect()) {
        writer.write(c);
      }
      text = ValueOracle.serverText(db, schema, table);
      jdbc = ValueOracle.jdbc(db, schema, table, false);
      try (Canal snapshot =
          CanalTesting.snapshotOnlyFor(server, "snapshot-" + table)
              .include(db.name() + "\\." + table)
              .handler(snapshotRows)
              .build()) {
        snapshot.start();
        snapshot.termination().get(60, TimeUnit.SECONDS);
      }
      db.execute(
          "UPDATE " + table + " SET id = id + " + ValueOracle.ID_SHIFT, "DELETE FROM " + table);
      int changes = text.size() * 3;
      await("inserts, updates, deletes", Duration.ofSeconds(60), () -> h.rowCount() == changes);
    }
    ValueOracle.Images images = ValueOracle.images(h);
    assertEquals(text.keySet(), images.byId().keySet());
    Map<Integer, Row> snapshot = new LinkedHashMap<>();
    for (RowsEvent e : snapshotRows.rows) {
      assertEquals(RowAction.SNAPSHOT, e.action());
      e.changes().forEach(c -> snapshot.put(((Number) c.after().get(0)).intValue(), c.after()));
    }
    assertEquals(text.keySet(), snapshot.keySet(), "the snapshot has every row");
    List<String> problems = new ArrayList<>();
    int compared = 0;
    for (int id : text.keySet()) {
      List<Row> rows = images.byId().get(id);
      List<String> labels = new ArrayList<>(images.labels().get(id));
      assertEquals(List.of("insert", "update before", "update after", "delete"), labels);
      for (int i = 1; i < schema.columnCount(); i++) {
        Column c = schema.column(i);
        String t = text.get(id)[i];
        Object j = jdbc.get(id)[i];
        List<Object> values = new ArrayList<>();
        rows.forEach(r -> values.add(r.get(c.name())));
        values.add(snapshot.get(id).get(c.name()));
        labels.add("snapshot");
        values.add(j);
        labels.add("JDBC");
        for (int k = 0; k < values.size(); k++) {
          Object v = values.get(k);
          String at = server + " " + table + " row " + id + " " + c.name() + " " + labels.get(k);
          String mismatch = ValueOracle.mismatch(v, c, t);
          if (mismatch != null) {
            problems.add(at + ": " + mismatch);
          } else if (v != null && v.getClass() != classes.get(c.name())) {
            problems.add(at + ": class " + v.getClass().getSimpleName());
          } else if (!same(v, j)) {
            problems.add(at + ": differs from JDBC's " + j);
          }
          compared++;
        }
        labels.remove(labels.size() - 1);
        labels.remove(labels.size() - 1);
      }
    }
    ValueOracle.assertNoProblems(problems);
    return compared;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    return a == null ? b == null : a.equals(b);
  }
}
