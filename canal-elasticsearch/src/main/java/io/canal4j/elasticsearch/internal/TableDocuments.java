package io.canal4j.elasticsearch.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.canal4j.Row;
import io.canal4j.elasticsearch.IndexMapping;
import io.canal4j.elasticsearch.IndexerException;
import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.TableSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One table version's documents: its index, how a row's id and routing are made, and how a row
 * becomes the document's JSON.
 *
 * <p>Values, by the README's value table: numbers as JSON numbers, except DECIMAL with more than 15
 * digits of precision, which is a string (a double holds every decimal of up to 15 digits exactly,
 * and Elasticsearch reads JSON numbers as doubles unless the field is mapped otherwise); BIGINT
 * UNSIGNED as its exact digits (map the field as {@code unsigned_long} for values past 2^63-1);
 * DATE, DATETIME as ISO-8601 without a zone, TIMESTAMP as ISO-8601 in UTC ({@code Z}); TIME as
 * MySQL prints it ({@code -838:59:59.000000}); binary values, BIT(n>1) and GEOMETRY as base64; JSON
 * columns as the JSON value itself; ENUM and SET as MySQL prints them.
 */
public final class TableDocuments {
  private static final int MAX_EXACT_DOUBLE_DIGITS = 15;

  private final TableSchema table;
  private final String index;
  private final int[] idColumns;
  private final String[] fields; // by column index; null = not a field
  private final boolean[] decimalAsText;
  private final boolean[] jsonText;
  private final int routing;
  private final String pipeline;

  public TableDocuments(TableSchema table, IndexMapping mapping) {
    this.table = table;
    this.index = mapping.indexFor(table.id().database(), table.id().table());
    List<String> ids = mapping.idColumns().isEmpty() ? table.primaryKey() : mapping.idColumns();
    if (ids.isEmpty()) {
      throw new IndexerException(
          "table "
              + table.id()
              + " has no primary key, so its rows have no document id: add a primary key, name a"
              + " unique key with IndexMapping.id(...), or leave the table out of the canal"
              + " (exclude(...)) and the indexer");
    }
    idColumns = new int[ids.size()];
    for (int i = 0; i < idColumns.length; i++) {
      idColumns[i] = columnIndex(ids.get(i), "id");
    }
    routing =
        mapping.routingColumn() == null ? -1 : columnIndex(mapping.routingColumn(), "routing");
    pipeline = mapping.pipelineName();
    fields = new String[table.columnCount()];
    decimalAsText = new boolean[table.columnCount()];
    jsonText = new boolean[table.columnCount()];
    for (Column c : table.columns()) {
      boolean kept =
          mapping.included().isEmpty()
              ? !mapping.excluded().contains(c.name())
              : mapping.included().contains(c.name());
      if (kept) {
        fields[c.index()] = mapping.renamed().getOrDefault(c.name(), c.name());
      }
      decimalAsText[c.index()] =
          c.type() == ColumnType.DECIMAL && c.precision() > MAX_EXACT_DOUBLE_DIGITS;
      jsonText[c.index()] = c.type() == ColumnType.JSON || mapping.jsonColumns().contains(c.name());
    }
    for (String named : mapping.included()) {
      columnIndex(named, "include");
    }
    for (String named : mapping.jsonColumns()) {
      columnIndex(named, "json");
    }
  }

  private int columnIndex(String name, String role) {
    int i = table.indexOf(name);
    if (i < 0) {
      throw new IndexerException(
          "the indexer's mapping of "
              + table.id()
              + " names column "
              + name
              + " ("
              + role
              + "), which the table does not have (columns: "
              + columnNames()
              + "): fix the mapping");
    }
    return i;
  }

  private List<String> columnNames() {
    List<String> names = new ArrayList<>();
    for (Column c : table.columns()) {
      names.add(c.name());
    }
    return names;
  }

  public TableSchema table() {
    return table;
  }

  public String index() {
    return index;
  }

  public String pipeline() {
    return pipeline;
  }

  /** The document id of a row. */
  public String id(Row row) {
    if (idColumns.length == 1) {
      return keyText(row, idColumns[0]);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < idColumns.length; i++) {
      if (i > 0) {
        sb.append('|');
      }
      String part = keyText(row, idColumns[i]);
      for (int k = 0; k < part.length(); k++) {
        char ch = part.charAt(k);
        if (ch == '\\' || ch == '|') {
          sb.append('\\');
        }
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** The routing value of a row, or null without a routing column. */
  public String routing(Row row) {
    return routing < 0 ? null : keyText(row, routing);
  }

  private String keyText(Row row, int column) {
    Object v = row.get(column);
    if (v == null) {
      throw new IndexerException(
          "column "
              + table.column(column).name()
              + " of "
              + table.id()
              + " is NULL in a row, so the row has no document id or routing: use key columns that"
              + " are NOT NULL");
    }
    if (v instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof Instant t) {
      return DateTimeFormatter.ISO_INSTANT.format(t);
    }
    if (v instanceof Duration d) {
      return time(d);
    }
    return v.toString();
  }

  /** Writes the row's document. */
  public void writeSource(Row row, JsonGenerator g, JsonFactory json) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i] == null) {
        continue;
      }
      if (!row.isPresent(i)) {
        throw new IndexerException(
            "a row of "
                + table.id()
                + " lacks column "
                + table.column(i).name()
                + " (a partial row image), so its document cannot be written whole: set"
                + " binlog_row_image=FULL on the server");
      }
      g.writeFieldName(fields[i]);
      writeValue(g, json, i, row.get(i));
    }
    g.writeEndObject();
  }

  private void writeValue(JsonGenerator g, JsonFactory json, int column, Object v)
      throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Integer n) {
      g.writeNumber(n);
    } else if (v instanceof Long n) {
      g.writeNumber(n);
    } else if (v instanceof BigInteger n) {
      g.writeNumber(n);
    } else if (v instanceof BigDecimal d) {
      if (decimalAsText[column]) {
        g.writeString(d.toPlainString());
      } else {
        g.writeNumber(d.toPlainString()); // the exact digits, scale kept
      }
    } else if (v instanceof Float f) {
      g.writeNumber(f);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof String s) {
      if (jsonText[column]) {
        try (JsonParser p = json.createParser(s)) {
          p.nextToken();
          g.copyCurrentStructure(p);
          if (p.nextToken() != null) {
            throw new IOException("text after the JSON value");
          }
        } catch (IOException e) {
          throw new IndexerException(
              "column "
                  + table.column(column).name()
                  + " of "
                  + table.id()
                  + " holds no valid JSON ("
                  + e.getMessage()
                  + "), so it cannot be written as a JSON value: leave it out of json(...)",
              e);
        }
      } else {
        g.writeString(s);
      }
    } else if (v instanceof byte[] b) {
      g.writeBinary(b);
    } else if (v instanceof LocalDateTime t) {
      g.writeString(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
    } else if (v instanceof LocalDate d) {
      g.writeString(DateTimeFormatter.ISO_LOCAL_DATE.format(d));
    } else if (v instanceof Instant t) {
      g.writeString(DateTimeFormatter.ISO_INSTANT.format(t));
    } else if (v instanceof Duration d) {
      g.writeString(time(d));
    } else {
      g.writeString(v.toString());
    }
  }

  /** A TIME value as MySQL prints it, with the fraction when there is one. */
  static String time(Duration d) {
    boolean negative = d.isNegative();
    Duration a = d.abs();
    long hours = a.toHours();
    int minutes = a.toMinutesPart();
    int seconds = a.toSecondsPart();
    int micros = a.toNanosPart() / 1000;
    String s =
        String.format(
            "%s%02d:%02d:%02d", negative ? "-" : "", hours, minutes, seconds); // hours may be > 99
    return micros == 0 ? s : s + String.format(".%06d", micros);
  }
}
