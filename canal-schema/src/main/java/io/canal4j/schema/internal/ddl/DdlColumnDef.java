package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * A column definition as a DDL statement writes it, and the rules by which the server turns it into
 * what information_schema reports: the type the server picks (TEXT(n) and BLOB(n) by size, {@code
 * CHARACTER SET binary} on text types, JSON on MariaDB), the COLUMN_TYPE text as that server prints
 * it (display widths on MariaDB and MySQL before 8.0.19; on later MySQL only with ZEROFILL and for
 * a signed {@code tinyint(1)}), and the character set from the column, its collation or the table's
 * default.
 */
final class DdlColumnDef {
  private static final long TINY = 255;
  private static final long REGULAR = 65_535;
  private static final long MEDIUM = 16_777_215;

  String name;

  /** The type keyword, normalized: {@code int}, {@code varchar}, {@code text}, {@code point}... */
  String type;

  /** A type canal4j cannot represent (MariaDB's INET6, UUID...); the table becomes unknown. */
  String unsupportedType;

  Long length;
  Integer decimals;
  final List<String> labels = new ArrayList<>();
  boolean unsigned;
  boolean zerofill;
  String charset;
  String collationCharset;
  boolean notNull;
  boolean primaryKey;

  /** The position clause of ALTER TABLE ADD/MODIFY/CHANGE: null, "" for FIRST, or a column. */
  String after;

  /** Builds the column as information_schema would show it. */
  Column toColumn(
      int index, String tableCharset, boolean inPrimaryKey, Flavor flavor, int serverVersion) {
    boolean widths = flavor == Flavor.MARIADB || serverVersion < 80019;
    boolean nullable = !notNull && !primaryKey && !inPrimaryKey;
    String unsignedText = (unsigned || zerofill ? " unsigned" : "") + (zerofill ? " zerofill" : "");
    boolean isUnsigned = unsigned || zerofill;
    return switch (type) {
      case "tinyint", "smallint", "mediumint", "int", "bigint" -> {
        String width = "";
        if (widths || zerofill) {
          width = "(" + (length != null ? length : defaultWidth(isUnsigned)) + ")";
        } else if (type.equals("tinyint") && length != null && length == 1 && !isUnsigned) {
          width = "(1)";
        }
        yield column(
            index,
            ColumnType.fromDataType(type),
            type + width + unsignedText,
            isUnsigned,
            nullable,
            null,
            0,
            0);
      }
      case "decimal" -> {
        int p = length == null ? 10 : length.intValue();
        int s = decimals == null ? 0 : decimals;
        yield column(
            index,
            ColumnType.DECIMAL,
            "decimal(" + p + "," + s + ")" + unsignedText,
            isUnsigned,
            nullable,
            null,
            p,
            s);
      }
      case "float", "double" -> {
        String t = type;
        String args = "";
        if (decimals != null) {
          args = "(" + length + "," + decimals + ")";
        } else if (type.equals("float") && length != null && length > 24) {
          t = "double";
        }
        yield column(
            index,
            ColumnType.fromDataType(t),
            t + args + unsignedText,
            isUnsigned,
            nullable,
            null,
            0,
            0);
      }
      case "bit" -> {
        int n = length == null ? 1 : length.intValue();
        yield column(index, ColumnType.BIT, "bit(" + n + ")", false, nullable, null, n, 0);
      }
      case "date" -> column(index, ColumnType.DATE, "date", false, nullable, null, 0, 0);
      case "datetime", "timestamp", "time" -> {
        int fsp = length == null ? 0 : length.intValue();
        yield column(
            index,
            ColumnType.fromDataType(type),
            type + (fsp > 0 ? "(" + fsp + ")" : ""),
            false,
            nullable,
            null,
            0,
            fsp);
      }
      case "year" -> {
        String t = widths ? "year(" + (length == null ? 4 : length) + ")" : "year";
        yield column(index, ColumnType.YEAR, t, false, nullable, null, 0, 0);
      }
      case "char", "varchar" -> {
        String cs = charset(tableCharset);
        int n = length == null ? 1 : length.intValue();
        if (cs.equals("binary")) {
          String t = type.equals("char") ? "binary" : "varbinary";
          yield column(
              index, ColumnType.fromDataType(t), t + "(" + n + ")", false, nullable, null, n, 0);
        }
        yield column(
            index, ColumnType.fromDataType(type), type + "(" + n + ")", false, nullable, cs, n, 0);
      }
      case "binary", "varbinary" -> {
        int n = length == null ? 1 : length.intValue();
        yield column(
            index,
            ColumnType.fromDataType(type),
            type + "(" + n + ")",
            false,
            nullable,
            null,
            n,
            0);
      }
      case "text", "tinytext", "mediumtext", "longtext" -> {
        String cs = charset(tableCharset);
        long bytes = length == null ? maxBytes(type) : length * DdlCharsets.maxBytes(cs);
        String size = sizePrefix(bytes);
        if (cs.equals("binary")) {
          yield column(index, ColumnType.BLOB, size + "blob", false, nullable, null, 0, 0);
        }
        yield column(index, ColumnType.TEXT, size + "text", false, nullable, cs, 0, 0);
      }
      case "blob", "tinyblob", "mediumblob", "longblob" -> {
        long bytes = length == null ? maxBytes(type) : length;
        yield column(
            index, ColumnType.BLOB, sizePrefix(bytes) + "blob", false, nullable, null, 0, 0);
      }
      case "enum", "set" -> {
        StringBuilder t = new StringBuilder(type).append('(');
        List<String> stripped = new ArrayList<>();
        for (String label : labels) {
          // The server strips trailing spaces only, not other white space.
          int end = label.length();
          while (end > 0 && label.charAt(end - 1) == ' ') {
            end--;
          }
          String l = label.substring(0, end);
          stripped.add(l);
          t.append(stripped.size() == 1 ? "" : ",").append('\'');
          t.append(l.replace("\\", "\\\\").replace("'", "''")).append('\'');
        }
        t.append(')');
        yield new Column(
            name,
            index,
            ColumnType.fromDataType(type),
            t.toString(),
            false,
            nullable,
            charset(tableCharset),
            0,
            0,
            stripped);
      }
      case "json" -> {
        if (flavor == Flavor.MARIADB) {
          // MariaDB's JSON is an alias of LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin.
          yield column(index, ColumnType.TEXT, "longtext", false, nullable, "utf8mb4", 0, 0);
        }
        yield column(index, ColumnType.JSON, "json", false, nullable, null, 0, 0);
      }
      case "geometry",
          "point",
          "linestring",
          "polygon",
          "multipoint",
          "multilinestring",
          "multipolygon",
          "geometrycollection" -> {
        String t =
            type.equals("geometrycollection") && flavor == Flavor.MYSQL && serverVersion >= 80011
                ? "geomcollection"
                : type;
        yield column(index, ColumnType.GEOMETRY, t, false, nullable, null, 0, 0);
      }
      default -> throw new IllegalStateException("unhandled type " + type);
    };
  }

  private Column column(
      int index,
      ColumnType columnType,
      String text,
      boolean isUnsigned,
      boolean nullable,
      String cs,
      int precision,
      int scale) {
    return new Column(
        name, index, columnType, text, isUnsigned, nullable, cs, precision, scale, List.of());
  }

  private String charset(String tableCharset) {
    if (charset != null) {
      return charset;
    }
    if (collationCharset != null) {
      return collationCharset;
    }
    return tableCharset;
  }

  private int defaultWidth(boolean isUnsigned) {
    return switch (type) {
      case "tinyint" -> isUnsigned ? 3 : 4;
      case "smallint" -> isUnsigned ? 5 : 6;
      case "mediumint" -> isUnsigned ? 8 : 9;
      case "int" -> isUnsigned ? 10 : 11;
      default -> 20;
    };
  }

  /** The largest value in bytes of a TEXT or BLOB type. */
  static long maxBytes(String type) {
    if (type.startsWith("tiny")) {
      return TINY;
    }
    if (type.startsWith("medium")) {
      return MEDIUM;
    }
    if (type.startsWith("long")) {
      return 4_294_967_295L;
    }
    return REGULAR;
  }

  /** The smallest TEXT/BLOB size that holds {@code bytes}: "tiny", "", "medium" or "long". */
  static String sizePrefix(long bytes) {
    if (bytes <= TINY) {
      return "tiny";
    }
    if (bytes <= REGULAR) {
      return "";
    }
    if (bytes <= MEDIUM) {
      return "medium";
    }
    return "long";
  }

  /** The same table under another name. */
  static TableSchema renamed(TableSchema schema, TableId id) {
    return new TableSchema(id, schema.columns(), schema.primaryKey());
  }

  /** The same column under another name, position or nullability. */
  static Column copy(Column c, String name, int index, boolean nullable) {
    return new Column(
        name,
        index,
        c.type(),
        c.columnType(),
        c.unsigned(),
        nullable,
        c.charset(),
        c.precision(),
        c.scale(),
        c.enumValues());
  }
}
