package io.canal4j.schema.internal;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.ddl.DdlTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The text form of a schema history at one position, saved with the checkpoint: a header line, then
 * one line per database ({@code db}), table ({@code table}, followed by its primary key) and column
 * ({@code col}), fields separated by tabs. Tab, newline, carriage return and backslash in a value
 * are escaped with a backslash; {@code \N} is null. Sorted, so that equal histories have equal
 * text.
 */
final class SchemaHistoryCodec {
  static final String HEADER = "canal4j-schema-history 1";

  /** A database the history knows: its default charset, and whether all its tables are kept. */
  record Database(String name, String charset, boolean whole) {}

  /**
   * What a history holds.
   *
   * @param horizon while not null, the stream has not yet passed the position of the server when
   *     the history was read from information_schema (see {@link SchemaHistoryCache})
   */
  record State(List<Database> databases, List<DdlTarget.Table> tables, String horizon) {}

  private SchemaHistoryCodec() {}

  static String encode(
      Map<String, Database> databases, Map<TableId, DdlTarget.Table> tables, String horizon) {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    if (horizon != null) {
      line(sb, "horizon", horizon);
    }
    databases.values().stream()
        .sorted(Comparator.comparing(Database::name))
        .forEach(d -> line(sb, "db", d.name(), d.charset(), d.whole() ? "whole" : "tables"));
    tables.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              TableSchema s = e.getValue().schema();
              List<String> fields = new ArrayList<>();
              fields.add("table");
              fields.add(s.id().database());
              fields.add(s.id().table());
              fields.add(e.getValue().charset());
              fields.addAll(s.primaryKey());
              line(sb, fields.toArray(String[]::new));
              for (Column c : s.columns()) {
                fields.clear();
                fields.add("col");
                fields.add(c.name());
                fields.add(c.type().name());
                fields.add(c.columnType());
                fields.add((c.unsigned() ? "u" : "-") + (c.nullable() ? "n" : "-"));
                fields.add(c.charset());
                fields.add(Integer.toString(c.precision()));
                fields.add(Integer.toString(c.scale()));
                fields.addAll(c.enumValues());
                line(sb, fields.toArray(String[]::new));
              }
            });
    return sb.toString();
  }

  /**
   * @throws IllegalArgumentException naming the line when the text is not a history this version
   *     wrote
   */
  static State decode(String text) {
    String[] lines = text.split("\n", -1);
    if (lines.length == 0 || !lines[0].equals(HEADER)) {
      throw new IllegalArgumentException("the schema history does not start with '" + HEADER + "'");
    }
    List<Database> databases = new ArrayList<>();
    List<DdlTarget.Table> tables = new ArrayList<>();
    String[] table = null;
    String horizon = null;
    List<Column> columns = new ArrayList<>();
    for (int n = 1; n < lines.length; n++) {
      String line = lines[n];
      if (line.isEmpty()) {
        continue;
      }
      List<String> f = fields(line, n);
      try {
        switch (f.get(0)) {
          case "horizon" -> horizon = f.get(1);
          case "db" -> databases.add(new Database(f.get(1), f.get(2), f.get(3).equals("whole")));
          case "table" -> {
            if (table != null) {
              tables.add(table(table, columns));
            }
            table = f.toArray(String[]::new);
            columns = new ArrayList<>();
          }
          case "col" -> {
            if (table == null) {
              throw new IllegalArgumentException("a column before any table");
            }
            columns.add(
                new Column(
                    f.get(1),
                    columns.size(),
                    ColumnType.valueOf(f.get(2)),
                    f.get(3),
                    f.get(4).charAt(0) == 'u',
                    f.get(4).charAt(1) == 'n',
                    f.get(5),
                    Integer.parseInt(f.get(6)),
                    Integer.parseInt(f.get(7)),
                    f.subList(8, f.size())));
          }
          default -> throw new IllegalArgumentException("unknown record '" + f.get(0) + "'");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "schema history line " + (n + 1) + " is not valid: " + e.getMessage(), e);
      }
    }
    if (table != null) {
      tables.add(table(table, columns));
    }
    return new State(databases, tables, horizon);
  }

  private static DdlTarget.Table table(String[] f, List<Column> columns) {
    TableId id = TableId.of(f[1], f[2]);
    List<String> key = List.of(f).subList(4, f.length);
    return new DdlTarget.Table(new TableSchema(id, columns, key), f[3]);
  }

  private static void line(StringBuilder sb, String... fields) {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        sb.append('\t');
      }
      String v = fields[i];
      if (v == null) {
        sb.append("\\N");
        continue;
      }
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        switch (c) {
          case '\t' -> sb.append("\\t");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\\' -> sb.append("\\\\");
          default -> sb.append(c);
        }
      }
    }
    sb.append('\n');
  }

  private static List<String> fields(String line, int n) {
    List<String> fields = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    boolean isNull = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\t') {
        fields.add(isNull ? null : sb.toString());
        sb.setLength(0);
        isNull = false;
      } else if (c == '\\') {
        if (++i >= line.length()) {
          throw new IllegalArgumentException("schema history line " + (n + 1) + " ends in '\\'");
        }
        char e = line.charAt(i);
        switch (e) {
          case 't' -> sb.append('\t');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case '\\' -> sb.append('\\');
          case 'N' -> isNull = true;
          default ->
              throw new IllegalArgumentException(
                  "schema history line " + (n + 1) + " has an unknown escape \\" + e);
        }
      } else {
        sb.append(c);
      }
    }
    fields.add(isNull ? null : sb.toString());
    return fields;
  }
}
