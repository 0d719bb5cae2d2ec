package io.canal4j.schema.internal.ddl;

import static io.canal4j.schema.internal.ddl.TokenCursor.upper;

import io.canal4j.schema.Column;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.ddl.DdlLexer.Kind;
import io.canal4j.schema.internal.ddl.DdlLexer.Token;
import io.canal4j.schema.internal.ddl.DdlTarget.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses CREATE TABLE: its columns and primary key (from a column's PRIMARY KEY or a PRIMARY KEY
 * constraint), MariaDB's PERIOD FOR, CREATE TABLE ... LIKE, and the table options, of which only
 * the default charset and collation matter. Indexes, other constraints and partitions are skipped;
 * a table made by a query or with system versioning becomes unknown.
 */
final class CreateTableParser {
  private final DdlStatement st;
  private final TokenCursor in; // st.in, on nearly every line
  private final ColumnDefinitionParser columnParser;

  CreateTableParser(DdlStatement st) {
    this.st = st;
    this.in = st.in;
    this.columnParser = new ColumnDefinitionParser(st);
  }

  /**
   * CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name {[(]LIKE old[)] | [(element, ...)] [table
   * options] [query]}, after the word TABLE.
   */
  List<TableId> createTable(boolean orReplace) {
    boolean ifNotExists = in.acceptIfNotExists();
    TableId id = in.tableName();
    Table existing = st.staging.get(id);
    if (ifNotExists && !orReplace && existing != null) {
      return List.of();
    }
    if (ifNotExists && !orReplace && st.staging.mayExist(id)) {
      in.skipRest(); // may or may not exist on the server: whatever it is, it is read when needed
      st.staging.unknown(id);
      return List.of(id);
    }
    if (in.at("LIKE") || (in.peek().isSymbol('(') && in.peek(1).isWord("LIKE"))) {
      boolean parens = in.acceptSymbol('(');
      in.expect("LIKE");
      TableId source = in.tableName();
      if (parens) {
        in.expectSymbol(')');
      }
      in.expectEnd();
      Table from = st.staging.get(source);
      if (from == null) {
        st.staging.unknown(id);
      } else {
        st.staging.put(new Table(DdlColumnDef.renamed(from.schema(), id), from.charset()));
      }
      return List.of(id);
    }
    List<DdlColumnDef> defs = new ArrayList<>();
    List<String> primaryKey = new ArrayList<>();
    boolean query = false;
    if (in.peek().isSymbol('(') && (in.peek(1).isWord("SELECT") || in.peek(1).isWord("WITH"))) {
      query = true;
    } else if (in.acceptSymbol('(')) {
      do {
        createElement(defs, primaryKey);
      } while (in.acceptSymbol(','));
      in.expectSymbol(')');
    }
    TableOptions options = query ? new TableOptions() : tableOptions();
    query |= options.query;
    if (query || options.versioning || defs.isEmpty()) {
      // CREATE ... SELECT in statement format, or system versioning: not derivable here.
      st.staging.unknown(id);
      return List.of(id);
    }
    String charset = options.charset(id.database());
    for (DdlColumnDef d : defs) {
      if (st.periodColumns.stream().anyMatch(d.name::equalsIgnoreCase)) {
        d.notNull = true;
      }
      if (d.unsupportedType != null) {
        st.staging.unknown(id);
        return List.of(id);
      }
      if (d.primaryKey) {
        primaryKey.clear();
        primaryKey.add(d.name);
      }
    }
    List<Column> columns = new ArrayList<>();
    List<String> key = new ArrayList<>();
    for (String k : primaryKey) {
      DdlColumnDef d =
          defs.stream()
              .filter(c -> c.name.equalsIgnoreCase(k))
              .findFirst()
              .orElseThrow(() -> in.error("primary key column " + k + " to be a column of " + id));
      key.add(d.name);
    }
    for (DdlColumnDef d : defs) {
      boolean inKey = key.stream().anyMatch(d.name::equalsIgnoreCase);
      columns.add(d.toColumn(columns.size(), charset, inKey, st.flavor, st.serverVersion));
    }
    st.staging.put(new Table(new TableSchema(id, columns, key), charset));
    return List.of(id);
  }

  /** One element of CREATE TABLE's parentheses: a column or a constraint. */
  void createElement(List<DdlColumnDef> defs, List<String> primaryKey) {
    Token t = in.peek();
    if (t.kind() == Kind.WORD) {
      switch (upper(t)) {
        case "CONSTRAINT" -> {
          in.advance();
          if (!in.at("PRIMARY") && !in.at("UNIQUE") && !in.at("FOREIGN") && !in.at("CHECK")) {
            in.name();
          }
          if (in.at("PRIMARY")) {
            primaryKey.clear();
            primaryKey.addAll(primaryKeyConstraint());
          } else {
            skipElement();
          }
          return;
        }
        case "PRIMARY" -> {
          primaryKey.clear();
          primaryKey.addAll(primaryKeyConstraint());
          return;
        }
        case "INDEX", "KEY", "UNIQUE", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK" -> {
          skipElement();
          return;
        }
        case "PERIOD" -> {
          if (in.peek(1).isWord("FOR")) {
            st.periodColumns.addAll(period());
            return;
          }
        }
        default -> {}
      }
    }
    defs.add(columnParser.columnDefinition());
  }

  /** MariaDB's PERIOD FOR name (start, end): its two columns, which become NOT NULL. */
  List<String> period() {
    in.expect("PERIOD");
    in.expect("FOR");
    in.name();
    in.expectSymbol('(');
    String start = in.name();
    in.expectSymbol(',');
    String end = in.name();
    in.expectSymbol(')');
    return List.of(start, end);
  }

  /** PRIMARY KEY [name] [USING type] (key parts) [index options]: the key's column names. */
  private List<String> primaryKeyConstraint() {
    in.expect("PRIMARY");
    in.expect("KEY");
    while (!in.peek().isSymbol('(')) {
      if (in.peek().kind() == Kind.END) {
        throw in.error("the primary key's columns");
      }
      in.advance();
    }
    List<String> columns = keyParts();
    skipElement();
    return columns;
  }

  /** (col [(length)] [ASC|DESC] [, ...]): the key's column names. */
  List<String> keyParts() {
    in.expectSymbol('(');
    List<String> columns = new ArrayList<>();
    do {
      columns.add(in.name());
      if (in.acceptSymbol('(')) {
        in.number();
        in.expectSymbol(')');
      }
      if (!in.accept("ASC")) {
        in.accept("DESC");
      }
    } while (in.acceptSymbol(','));
    in.expectSymbol(')');
    return columns;
  }

  private final class TableOptions {
    String charset;
    boolean collated;
    String collationCharset;
    boolean query;
    boolean versioning;

    /** The table's default charset: named, of the collation, or the database's. */
    String charset(String db) {
      if (charset != null) {
        return charset;
      }
      if (collationCharset != null) {
        return collationCharset;
      }
      return st.databaseCharset(db);
    }
  }

  /**
   * The table options and partition clauses after CREATE TABLE's parentheses, up to the end or a
   * query; only the default charset and collation matter.
   */
  private TableOptions tableOptions() {
    TableOptions o = new TableOptions();
    while (true) {
      Token t = in.peek();
      if (t.kind() == Kind.END) {
        return o;
      }
      if (t.isSymbol('(')) {
        if (in.peek(1).isWord("SELECT") || in.peek(1).isWord("WITH")) {
          o.query = true;
          return o;
        }
        in.skipBalanced();
        continue;
      }
      if (t.kind() != Kind.WORD) {
        in.advance();
        continue;
      }
      switch (upper(t)) {
        case "CHARACTER", "CHAR" -> {
          in.advance();
          if (in.accept("SET")) {
            in.acceptSymbol('=');
            o.charset = in.charsetName();
          }
        }
        case "CHARSET" -> {
          in.advance();
          in.acceptSymbol('=');
          o.charset = in.charsetName();
        }
        case "COLLATE" -> {
          in.advance();
          in.acceptSymbol('=');
          o.collated = true;
          o.collationCharset = in.collation();
        }
        case "SELECT", "AS", "IGNORE", "REPLACE", "VALUES", "TABLE" -> {
          o.query = true;
          return o;
        }
        case "WITH" -> {
          if (in.peek(1).isWord("SYSTEM")) {
            o.versioning = true;
            in.advance(2);
          } else {
            o.query = true;
            return o;
          }
        }
        default -> in.advance();
      }
    }
  }

  /** Skips to the next ',' or ')' outside parentheses (one element of CREATE TABLE's list). */
  private void skipElement() {
    int depth = 0;
    while (true) {
      Token t = in.peek();
      if (t.kind() == Kind.END) {
        return;
      }
      if (depth == 0 && (t.isSymbol(',') || t.isSymbol(')'))) {
        return;
      }
      if (t.isSymbol('(')) {
        depth++;
      } else if (t.isSymbol(')')) {
        depth--;
      }
      in.advance();
    }
  }
}
