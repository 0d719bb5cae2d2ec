package io.canal4j.schema.internal.ddl;

import static io.canal4j.schema.internal.ddl.TokenCursor.upper;

import io.canal4j.schema.internal.ddl.DdlLexer.Kind;
import io.canal4j.schema.internal.ddl.DdlLexer.Token;
import java.util.Locale;

/**
 * Parses a column definition, its name, data type and attributes (nullability, charset, collation,
 * key, default, generated expression, references), into a {@link DdlColumnDef}.
 */
final class ColumnDefinitionParser {
  private final DdlStatement st;
  private final TokenCursor in; // st.in, on nearly every line

  ColumnDefinitionParser(DdlStatement st) {
    this.st = st;
    this.in = st.in;
  }

  /** name type attributes: one column of CREATE TABLE or of ALTER TABLE ADD/MODIFY/CHANGE. */
  DdlColumnDef columnDefinition() {
    DdlColumnDef d = new DdlColumnDef();
    d.name = in.name();
    dataType(d);
    columnAttributes(d);
    return d;
  }

  /** The data type after a column's name, with its length, precision or labels. */
  private void dataType(DdlColumnDef d) {
    Token t = in.peek();
    if (t.kind() != Kind.WORD) {
      throw in.error("a data type for column " + d.name);
    }
    in.advance();
    String w = upper(t);
    switch (w) {
      case "TINYINT", "INT1" -> integer(d, "tinyint");
      case "SMALLINT", "INT2" -> integer(d, "smallint");
      case "MEDIUMINT", "INT3", "MIDDLEINT" -> integer(d, "mediumint");
      case "INT", "INTEGER", "INT4" -> integer(d, "int");
      case "BIGINT", "INT8" -> integer(d, "bigint");
      case "BOOL", "BOOLEAN" -> {
        d.type = "tinyint";
        d.length = 1L;
      }
      case "SERIAL" -> {
        d.type = "bigint";
        d.unsigned = true;
        d.notNull = true;
      }
      case "BIT" -> {
        d.type = "bit";
        optionalLength(d);
      }
      case "DECIMAL", "DEC", "NUMERIC", "FIXED" -> {
        d.type = "decimal";
        optionalPrecision(d);
      }
      case "FLOAT", "FLOAT4" -> {
        d.type = "float";
        optionalPrecision(d);
      }
      case "DOUBLE", "REAL", "FLOAT8" -> {
        if (w.equals("DOUBLE")) {
          in.accept("PRECISION");
        }
        d.type = "double";
        optionalPrecision(d);
      }
      case "DATE" -> d.type = "date";
      case "DATETIME", "TIMESTAMP", "TIME", "YEAR" -> {
        d.type = w.toLowerCase(Locale.ROOT);
        optionalLength(d);
      }
      case "CHAR", "CHARACTER" -> {
        d.type = in.accept("VARYING") ? "varchar" : "char";
        optionalLength(d);
      }
      case "NCHAR" -> {
        d.charset = st.charsets.charset("utf8");
        d.type =
            in.accept("VARCHAR") || in.accept("VARCHARACTER") || in.accept("VARYING")
                ? "varchar"
                : "char";
        optionalLength(d);
      }
      case "NATIONAL" -> {
        d.charset = st.charsets.charset("utf8");
        if (in.accept("CHAR") || in.accept("CHARACTER")) {
          d.type = in.accept("VARYING") ? "varchar" : "char";
        } else if (in.accept("VARCHAR") || in.accept("VARCHARACTER")) {
          d.type = "varchar";
        } else {
          throw in.error("CHAR or VARCHAR after NATIONAL");
        }
        optionalLength(d);
      }
      case "NVARCHAR" -> {
        d.charset = st.charsets.charset("utf8");
        d.type = "varchar";
        optionalLength(d);
      }
      case "VARCHAR", "VARCHARACTER" -> {
        d.type = "varchar";
        optionalLength(d);
      }
      case "BINARY", "VARBINARY", "BLOB", "TEXT" -> {
        d.type = w.toLowerCase(Locale.ROOT);
        optionalLength(d);
      }
      case "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT" ->
          d.type = w.toLowerCase(Locale.ROOT);
      case "LONG" -> {
        if (in.accept("VARBINARY")) {
          d.type = "mediumblob";
        } else {
          if (!in.accept("VARCHAR")) {
            in.accept("VARCHARACTER");
          }
          d.type = "mediumtext";
        }
      }
      case "ENUM", "SET" -> {
        d.type = w.toLowerCase(Locale.ROOT);
        labels(d);
      }
      case "JSON" -> d.type = "json";
      case "GEOMETRY",
          "POINT",
          "LINESTRING",
          "POLYGON",
          "MULTIPOINT",
          "MULTILINESTRING",
          "MULTIPOLYGON",
          "GEOMETRYCOLLECTION" ->
          d.type = w.toLowerCase(Locale.ROOT);
      case "GEOMCOLLECTION" -> d.type = "geometrycollection";
      case "INET4", "INET6", "UUID", "VECTOR" -> {
        d.type = "unsupported";
        d.unsupportedType = w;
        if (in.peek().isSymbol('(')) {
          in.skipBalanced();
        }
      }
      default -> {
        in.back();
        throw in.error("a data type for column " + d.name);
      }
    }
  }

  /** An integer type [(display width)]. */
  private void integer(DdlColumnDef d, String type) {
    d.type = type;
    optionalLength(d);
  }

  /** [(length)] */
  private void optionalLength(DdlColumnDef d) {
    if (in.acceptSymbol('(')) {
      d.length = in.number();
      in.expectSymbol(')');
    }
  }

  /** [(precision [, scale])] */
  private void optionalPrecision(DdlColumnDef d) {
    if (in.acceptSymbol('(')) {
      d.length = in.number();
      if (in.acceptSymbol(',')) {
        d.decimals = (int) in.number();
      }
      in.expectSymbol(')');
    }
  }

  /** ENUM's or SET's ([_charset]'label' [, [_charset]'label']...). */
  private void labels(DdlColumnDef d) {
    in.expectSymbol('(');
    do {
      if (in.peek().kind() == Kind.WORD
          && in.peek().text().startsWith("_")
          && in.peek(1).kind() == Kind.STRING) {
        in.advance(); // a charset introducer
      }
      Token t = in.peek();
      if (!t.isString()) {
        throw in.error("a quoted label of " + d.type.toUpperCase(Locale.ROOT) + " " + d.name);
      }
      in.advance();
      d.labels.add(t.text());
    } while (in.acceptSymbol(','));
    in.expectSymbol(')');
  }

  /** Everything after a column's type, up to the next ',' or ')' or a FIRST/AFTER clause. */
  private void columnAttributes(DdlColumnDef d) {
    while (true) {
      Token t = in.peek();
      if (t.kind() == Kind.END || t.isSymbol(',') || t.isSymbol(')')) {
        return;
      }
      if (t.kind() != Kind.WORD) {
        in.skipOne();
        continue;
      }
      switch (upper(t)) {
        case "FIRST", "AFTER" -> {
          return;
        }
        case "NOT" -> {
          in.advance();
          if (in.accept("NULL")) {
            d.notNull = true;
          }
        }
        case "NULL" -> in.advance();
        case "DEFAULT" -> {
          in.advance();
          expression();
        }
        case "ON" -> {
          in.advance();
          in.expect("UPDATE");
          expression();
        }
        case "AUTO_INCREMENT" -> {
          in.advance();
          d.notNull = true;
        }
        case "UNIQUE" -> {
          in.advance();
          in.accept("KEY");
        }
        case "PRIMARY" -> {
          in.advance();
          in.expect("KEY");
          d.primaryKey = true;
        }
        case "KEY" -> {
          in.advance();
          d.primaryKey = true;
        }
        case "COMMENT" -> {
          in.advance();
          in.acceptSymbol('=');
          in.advance();
        }
        case "COLLATE" -> {
          in.advance();
          d.collationCharset = in.collation();
        }
        case "CHARACTER", "CHAR" -> {
          in.advance();
          in.expect("SET");
          d.charset = in.charsetName();
        }
        case "CHARSET" -> {
          in.advance();
          d.charset = in.charsetName();
        }
        case "ASCII" -> {
          in.advance();
          d.charset = "latin1";
        }
        case "UNICODE" -> {
          in.advance();
          d.charset = "ucs2";
        }
        case "BYTE" -> {
          in.advance();
          d.charset = "binary";
        }
        case "UNSIGNED" -> {
          in.advance();
          d.unsigned = true;
        }
        case "ZEROFILL" -> {
          in.advance();
          d.zerofill = true;
        }
        case "GENERATED" -> {
          in.advance();
          in.expect("ALWAYS");
        }
        case "AS" -> {
          in.advance();
          if (!in.peek().isSymbol('(')) {
            throw in.error("the parenthesised expression of generated column " + d.name);
          }
          in.skipBalanced();
        }
        case "SRID" -> {
          in.advance();
          in.number();
        }
        case "CONSTRAINT" -> {
          in.advance();
          if (!in.at("CHECK")) {
            in.name();
          }
        }
        case "CHECK" -> {
          in.advance();
          in.skipBalanced();
        }
        case "REFERENCES" -> references();
        case "SERIAL" -> {
          in.advance();
          in.expect("DEFAULT");
          in.expect("VALUE");
          d.notNull = true;
        }
        case "COLUMN_FORMAT", "STORAGE" -> in.advance(2);
        default -> in.skipOne(); // BINARY, SIGNED, VISIBLE, STORED, COMPRESSED, ...
      }
    }
  }

  /** A DEFAULT or ON UPDATE value: a literal, a name, a function call or ( expression ). */
  void expression() {
    if (in.peek().isSymbol('(')) {
      in.skipBalanced();
      return;
    }
    while (in.peek().isSymbol('-') || in.peek().isSymbol('+') || in.peek().isSymbol('.')) {
      in.advance();
    }
    Token v = in.peek();
    if (v.kind() == Kind.END || v.isSymbol(',') || v.isSymbol(')')) {
      throw in.error("a value");
    }
    in.advance();
    if (v.kind() == Kind.WORD && in.peek().kind() == Kind.STRING) {
      in.advance(); // _utf8mb4'x', N'x', X'0F', b'1', DATE '2020-01-01'
    }
    if (in.peek().isSymbol('(')) {
      in.skipBalanced();
    }
  }

  /** REFERENCES table [(cols)] [MATCH x] [ON DELETE|UPDATE action]...: skipped. */
  private void references() {
    in.expect("REFERENCES");
    in.tableName();
    if (in.peek().isSymbol('(')) {
      in.skipBalanced();
    }
    while (true) {
      if (in.accept("MATCH")) {
        in.advance();
      } else if (in.at("ON") && (in.peek(1).isWord("DELETE") || in.peek(1).isWord("UPDATE"))) {
        in.advance(2);
        if (in.accept("SET") || in.accept("NO")) {
          in.advance();
        } else {
          in.advance(); // RESTRICT, CASCADE
        }
      } else {
        return;
      }
    }
  }
}
