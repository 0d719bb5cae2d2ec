package io.canal4j.schema.internal;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.value.BinlogTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Whether a schema fits a TABLE_MAP (same column count, wire types that the column types produce,
 * same DECIMAL precision and scale, fractional-second digits and BIT width), and the schemas built
 * from a TABLE_MAP's own {@code binlog_row_metadata=FULL} metadata.
 *
 * <p>What the check cannot see: changes that keep every wire type, such as a renamed column, a
 * changed charset, ENUM/SET labels reordered or added, or a VARCHAR's length.
 */
final class TableMapFit {
  private static final int BINARY_COLLATION = 63;

  private TableMapFit() {}

  /** Why the schema does not fit the TABLE_MAP, or null when it fits. */
  static String misfit(TableMap map, TableSchema schema) {
    if (map.columnCount() != schema.columnCount()) {
      return "binlog row has "
          + map.columnCount()
          + " columns, information_schema has "
          + schema.columnCount();
    }
    for (int i = 0; i < map.columnCount(); i++) {
      Column c = schema.column(i);
      int type = map.types()[i];
      int meta = map.metadata()[i];
      if (!fits(type, meta, c) || !sameBinaryness(map, i, c)) {
        return "column "
            + (i + 1)
            + " ("
            + c.name()
            + ") is "
            + BinlogTypes.describe(type, meta)
            + " in the binlog but "
            + c.columnType()
            + " in information_schema";
      }
    }
    return null;
  }

  /**
   * With FULL metadata, a character column has a collation and a binary one has none (or binary's);
   * that tells TEXT from BLOB, CHAR from BINARY and VARCHAR from VARBINARY.
   */
  private static boolean sameBinaryness(TableMap map, int i, Column c) {
    if (map.collations() == null) {
      return true;
    }
    Integer id = map.collations().get(i);
    boolean binaryInMap = id == null || id == BINARY_COLLATION;
    return switch (c.type()) {
      case CHAR, VARCHAR, TEXT -> !binaryInMap;
      case BINARY, VARBINARY, BLOB -> binaryInMap;
      default -> true;
    };
  }

  static boolean fits(int type, int meta, Column c) {
    ColumnType t = c.type();
    int real = BinlogTypes.realType(type, meta);
    boolean family =
        switch (real) {
          case BinlogTypes.TINY -> t == ColumnType.TINYINT;
          case BinlogTypes.SHORT -> t == ColumnType.SMALLINT;
          case BinlogTypes.INT24 -> t == ColumnType.MEDIUMINT;
          case BinlogTypes.LONG -> t == ColumnType.INT;
          case BinlogTypes.LONGLONG -> t == ColumnType.BIGINT;
          case BinlogTypes.FLOAT -> t == ColumnType.FLOAT;
          case BinlogTypes.DOUBLE -> t == ColumnType.DOUBLE;
          case BinlogTypes.DECIMAL, BinlogTypes.NEWDECIMAL -> t == ColumnType.DECIMAL;
          case BinlogTypes.BIT -> t == ColumnType.BIT;
          case BinlogTypes.DATE, BinlogTypes.NEWDATE -> t == ColumnType.DATE;
          case BinlogTypes.TIMESTAMP, BinlogTypes.TIMESTAMP2 -> t == ColumnType.TIMESTAMP;
          case BinlogTypes.DATETIME, BinlogTypes.DATETIME2 -> t == ColumnType.DATETIME;
          case BinlogTypes.TIME, BinlogTypes.TIME2 -> t == ColumnType.TIME;
          case BinlogTypes.YEAR -> t == ColumnType.YEAR;
          case BinlogTypes.VARCHAR, BinlogTypes.VAR_STRING ->
              t == ColumnType.VARCHAR || t == ColumnType.VARBINARY;
          case BinlogTypes.STRING -> t == ColumnType.CHAR || t == ColumnType.BINARY;
          case BinlogTypes.ENUM -> t == ColumnType.ENUM;
          case BinlogTypes.SET -> t == ColumnType.SET;
          case BinlogTypes.TINY_BLOB,
              BinlogTypes.MEDIUM_BLOB,
              BinlogTypes.LONG_BLOB,
              BinlogTypes.BLOB ->
              t == ColumnType.TEXT || t == ColumnType.BLOB || t == ColumnType.JSON;
          case BinlogTypes.JSON -> t == ColumnType.JSON;
          case BinlogTypes.GEOMETRY -> t == ColumnType.GEOMETRY;
          default -> false;
        };
    if (!family) {
      return false;
    }
    return switch (real) {
      case BinlogTypes.NEWDECIMAL ->
          BinlogTypes.decimalPrecision(meta) == c.precision()
              && BinlogTypes.decimalScale(meta) == c.scale();
      case BinlogTypes.TIMESTAMP2, BinlogTypes.DATETIME2, BinlogTypes.TIME2 -> meta == c.scale();
      case BinlogTypes.BIT -> BinlogTypes.bitWidth(meta) == c.precision();
      default -> true;
    };
  }

  /**
   * The columns of {@code schema} (which fits) under the TABLE_MAP's FULL metadata: its names, and
   * where it has them its signedness, charsets, ENUM/SET labels and primary key.
   */
  static TableSchema merge(
      TableMap map, TableSchema schema, IntFunction<String> charsetOfCollation) {
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < map.columnCount(); i++) {
      Column c = schema.column(i);
      String charset = charset(map, i, charsetOfCollation);
      List<String> labels = labels(map, i);
      columns.add(
          new Column(
              map.columnNames().get(i),
              i,
              c.type(),
              c.columnType(),
              map.unsigned() != null ? map.unsigned().get(i) : c.unsigned(),
              map.nullable().get(i),
              charset != null ? charset : c.charset(),
              c.precision(),
              c.scale(),
              labels != null ? labels : c.enumValues()));
    }
    List<String> key = new ArrayList<>();
    if (map.primaryKey() != null) {
      for (int index : map.primaryKey()) {
        key.add(map.columnNames().get(index));
      }
    } else {
      for (String name : schema.primaryKey()) {
        key.add(map.columnNames().get(schema.indexOf(name)));
      }
    }
    return new TableSchema(schema.id(), columns, key);
  }

  /**
   * A schema made from the TABLE_MAP alone, for when information_schema has a different version of
   * the table (or none). Its {@code columnType} texts are reconstructed and omit what the binlog
   * does not say (such as a VARCHAR's length).
   *
   * @throws IllegalArgumentException naming what the TABLE_MAP lacks to tell a column's type
   */
  static TableSchema fromTableMap(TableMap map, IntFunction<String> charsetOfCollation) {
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < map.columnCount(); i++) {
      columns.add(column(map, i, charsetOfCollation));
    }
    List<String> key = new ArrayList<>();
    if (map.primaryKey() != null) {
      for (int index : map.primaryKey()) {
        key.add(map.columnNames().get(index));
      }
    }
    return new TableSchema(map.table(), columns, key);
  }

  private static Column column(TableMap map, int i, IntFunction<String> charsetOfCollation) {
    int type = map.types()[i];
    int meta = map.metadata()[i];
    int real = BinlogTypes.realType(type, meta);
    String name = map.columnNames().get(i);
    boolean unsigned = map.unsigned() != null && map.unsigned().get(i);
    String u = unsigned ? " unsigned" : "";
    Integer collation = map.collations() == null ? null : map.collations().get(i);
    String charset = charset(map, i, charsetOfCollation);
    boolean binary = collation == null || collation == BINARY_COLLATION;
    List<String> labels = labels(map, i);
    ColumnType t;
    String text;
    int precision = 0;
    int scale = 0;
    switch (real) {
      case BinlogTypes.TINY -> {
        t = ColumnType.TINYINT;
        text = "tinyint" + u;
      }
      case BinlogTypes.SHORT -> {
        t = ColumnType.SMALLINT;
        text = "smallint" + u;
      }
      case BinlogTypes.INT24 -> {
        t = ColumnType.MEDIUMINT;
        text = "mediumint" + u;
      }
      case BinlogTypes.LONG -> {
        t = ColumnType.INT;
        text = "int" + u;
      }
      case BinlogTypes.LONGLONG -> {
        t = ColumnType.BIGINT;
        text = "bigint" + u;
      }
      case BinlogTypes.FLOAT -> {
        t = ColumnType.FLOAT;
        text = "float" + u;
      }
      case BinlogTypes.DOUBLE -> {
        t = ColumnType.DOUBLE;
        text = "double" + u;
      }
      case BinlogTypes.NEWDECIMAL -> {
        t = ColumnType.DECIMAL;
        precision = BinlogTypes.decimalPrecision(meta);
        scale = BinlogTypes.decimalScale(meta);
        text = "decimal(" + precision + "," + scale + ")" + u;
      }
      case BinlogTypes.BIT -> {
        t = ColumnType.BIT;
        precision = BinlogTypes.bitWidth(meta);
        text = "bit(" + precision + ")";
      }
      case BinlogTypes.DATE, BinlogTypes.NEWDATE -> {
        t = ColumnType.DATE;
        text = "date";
      }
      case BinlogTypes.TIMESTAMP, BinlogTypes.TIMESTAMP2 -> {
        t = ColumnType.TIMESTAMP;
        scale = real == BinlogTypes.TIMESTAMP2 ? meta : 0;
        text = withFsp("timestamp", scale);
      }
      case BinlogTypes.DATETIME, BinlogTypes.DATETIME2 -> {
        t = ColumnType.DATETIME;
        scale = real == BinlogTypes.DATETIME2 ? meta : 0;
        text = withFsp("datetime", scale);
      }
      case BinlogTypes.TIME, BinlogTypes.TIME2 -> {
        t = ColumnType.TIME;
        scale = real == BinlogTypes.TIME2 ? meta : 0;
        text = withFsp("time", scale);
      }
      case BinlogTypes.YEAR -> {
        t = ColumnType.YEAR;
        text = "year";
      }
      case BinlogTypes.VARCHAR, BinlogTypes.VAR_STRING -> {
        requireCollations(map, name);
        t = binary ? ColumnType.VARBINARY : ColumnType.VARCHAR;
        text = binary ? "varbinary" : "varchar";
      }
      case BinlogTypes.STRING -> {
        requireCollations(map, name);
        t = binary ? ColumnType.BINARY : ColumnType.CHAR;
        precision = binary ? BinlogTypes.stringLength(meta) : 0;
        text = binary ? "binary(" + precision + ")" : "char";
      }
      case BinlogTypes.TINY_BLOB,
          BinlogTypes.MEDIUM_BLOB,
          BinlogTypes.LONG_BLOB,
          BinlogTypes.BLOB -> {
        requireCollations(map, name);
        t = binary ? ColumnType.BLOB : ColumnType.TEXT;
        text = binary ? "blob" : "text";
      }
      case BinlogTypes.ENUM, BinlogTypes.SET -> {
        if (labels == null) {
          throw new IllegalArgumentException("the TABLE_MAP has no labels for column " + name);
        }
        t = real == BinlogTypes.ENUM ? ColumnType.ENUM : ColumnType.SET;
        text = (real == BinlogTypes.ENUM ? "enum(" : "set(") + quoted(labels) + ")";
      }
      case BinlogTypes.JSON -> {
        t = ColumnType.JSON;
        text = "json";
      }
      case BinlogTypes.GEOMETRY -> {
        t = ColumnType.GEOMETRY;
        text = "geometry";
      }
      default ->
          throw new IllegalArgumentException(
              "column " + name + " has binlog type " + real + ", which canal4j does not know");
    }
    boolean text1 = t.isText() || t == ColumnType.ENUM || t == ColumnType.SET;
    return new Column(
        name,
        i,
        t,
        text,
        unsigned,
        map.nullable().get(i),
        text1 ? charset : null,
        precision,
        scale,
        labels);
  }

  private static void requireCollations(TableMap map, String name) {
    if (map.collations() == null) {
      throw new IllegalArgumentException(
          "the TABLE_MAP has no charsets, so column " + name + " could be text or binary");
    }
  }

  private static String withFsp(String type, int fsp) {
    return fsp == 0 ? type : type + "(" + fsp + ")";
  }

  private static String quoted(List<String> labels) {
    StringBuilder sb = new StringBuilder();
    for (String l : labels) {
      sb.append(sb.length() == 0 ? "'" : ",'");
      sb.append(l.replace("\\", "\\\\").replace("'", "''")).append('\'');
    }
    return sb.toString();
  }

  private static String charset(TableMap map, int i, IntFunction<String> charsetOfCollation) {
    if (map.collations() == null) {
      return null;
    }
    Integer id = map.collations().get(i);
    return id == null || id == BINARY_COLLATION ? null : charsetOfCollation.apply(id);
  }

  private static List<String> labels(TableMap map, int i) {
    Map<Integer, List<String>> all = map.enumAndSetLabels();
    return all == null ? null : all.get(i);
  }

  /** Whether two TABLE_MAPs describe the same table version (table numbers aside). */
  static boolean sameShape(TableMap a, TableMap b) {
    return a.table().equals(b.table())
        && Arrays.equals(a.types(), b.types())
        && Arrays.equals(a.metadata(), b.metadata())
        && Objects.equals(a.nullable(), b.nullable())
        && Objects.equals(a.columnNames(), b.columnNames())
        && Objects.equals(a.unsigned(), b.unsigned())
        && Objects.equals(a.primaryKey(), b.primaryKey())
        && Objects.equals(a.collations(), b.collations())
        && Objects.equals(a.enumAndSetLabels(), b.enumAndSetLabels());
  }

  /** A TABLE_MAP whose arrays no one else can change. */
  static TableMap copy(TableMap m) {
    return new TableMap(
        m.tableNumber(),
        m.table(),
        Arrays.copyOf(m.types(), m.types().length),
        Arrays.copyOf(m.metadata(), m.metadata().length),
        m.nullable() == null ? null : (BitSet) m.nullable().clone(),
        m.columnNames(),
        m.unsigned() == null ? null : (BitSet) m.unsigned().clone(),
        m.primaryKey(),
        m.collations(),
        m.enumAndSetLabels());
  }
}
