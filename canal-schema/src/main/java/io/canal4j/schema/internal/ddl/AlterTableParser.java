package io.canal4j.schema.internal.ddl;

import static io.canal4j.schema.internal.ddl.TokenCursor.upper;

import io.canal4j.schema.TableId;
import io.canal4j.schema.internal.ddl.DdlLexer.Kind;
import io.canal4j.schema.internal.ddl.DdlLexer.Token;
import io.canal4j.schema.internal.ddl.DdlTarget.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Parses ALTER TABLE: column changes (ADD, MODIFY, CHANGE, RENAME COLUMN, DROP), the primary key,
 * the default charset and CONVERT TO, and RENAME TO. Index, constraint and table options are
 * skipped, and partition clauses end the column changes. The specifications are collected first and
 * applied in order to a {@link DdlWorkingTable} afterwards, because the server gives a column
 * without a charset the table's default as it is after the whole statement.
 *
 * <p>Size: ALTER TABLE has the most clause kinds of any statement; the column grammar is in {@code
 * ColumnDefinitionParser}.
 */
final class AlterTableParser {
  private final DdlStatement st;
  private final TokenCursor in; // st.in, on nearly every line
  private final ColumnDefinitionParser columnParser;
  private final CreateTableParser createParser;

  AlterTableParser(DdlStatement st) {
    this.st = st;
    this.in = st.in;
    this.columnParser = new ColumnDefinitionParser(st);
    this.createParser = new CreateTableParser(st);
  }

  /** What one ALTER TABLE collects before it applies its specifications. */
  private final class Alter {
    final TableId table;
    final List<Consumer<DdlWorkingTable>> specs = new ArrayList<>();
    String charset;
    String collationCharset;
    boolean collated;
    String convertTo;
    TableId renameTo;
    boolean unknownLayout;

    Alter(TableId table) {
      this.table = table;
    }
  }

  /** ALTER TABLE [IF EXISTS] name [WAIT n|NOWAIT] [spec [, spec]...], after the word TABLE. */
  List<TableId> alterTable() {
    in.acceptIfExists();
    TableId named = in.tableName();
    if (in.accept("WAIT")) {
      in.number();
    } else {
      in.accept("NOWAIT");
    }
    Alter a = new Alter(named);
    while (in.peek().kind() != Kind.END) {
      if (alterSpec(a)) {
        break;
      }
      in.acceptSymbol(',');
    }
    Table existing = st.staging.get(named);
    TableId id = existing == null ? named : existing.schema().id();
    if (existing == null || a.unknownLayout) {
      if (a.renameTo != null) {
        st.staging.remove(id);
        st.staging.unknown(a.renameTo);
        return List.of(id, a.renameTo);
      }
      st.staging.unknown(id);
      return List.of(id);
    }
    DdlWorkingTable w = new DdlWorkingTable(existing, st.flavor, st.serverVersion);
    if (a.charset != null) {
      w.charset = a.charset;
    } else if (a.collationCharset != null) {
      w.charset = a.collationCharset;
    }
    if (a.convertTo != null) {
      w.convertTo(a.convertTo);
    }
    for (Consumer<DdlWorkingTable> spec : a.specs) {
      spec.accept(w);
    }
    TableId finalId = a.renameTo == null ? id : a.renameTo;
    Table result;
    try {
      result = w.build(finalId);
    } catch (IllegalArgumentException e) {
      throw new DdlException(
          "ALTER TABLE " + id + " cannot be applied: " + e.getMessage() + ": " + in.excerpt(0));
    }
    if (a.renameTo != null) {
      st.staging.remove(id);
      st.staging.put(result);
      return List.of(id, a.renameTo);
    }
    st.staging.put(result);
    return List.of(id);
  }

  /**
   * Parses one ALTER TABLE specification into {@code a}; true when the rest of the statement is
   * partition clauses, which change no column.
   */
  private boolean alterSpec(Alter a) {
    Token t = in.peek();
    if (t.kind() != Kind.WORD) {
      throw in.error("an ALTER TABLE specification");
    }
    int specStart = in.pos();
    String w = upper(in.next());
    switch (w) {
      case "ADD" -> {
        return addSpec(a);
      }
      case "DROP" -> {
        return dropSpec(a);
      }
      case "MODIFY" -> {
        in.accept("COLUMN");
        boolean ifExists = in.acceptIfExists();
        DdlColumnDef d = columnParser.columnDefinition();
        position(d);
        unsupported(a, d);
        a.specs.add(x -> x.change(d.name, d, ifExists, ex(specStart)));
      }
      case "CHANGE" -> {
        in.accept("COLUMN");
        boolean ifExists = in.acceptIfExists();
        String old = in.name();
        DdlColumnDef d = columnParser.columnDefinition();
        position(d);
        unsupported(a, d);
        a.specs.add(x -> x.change(old, d, ifExists, ex(specStart)));
      }
      case "RENAME" -> {
        if (in.accept("COLUMN")) {
          String from = in.name();
          in.expect("TO");
          String to = in.name();
          a.specs.add(x -> x.renameColumn(from, to, ex(specStart)));
        } else if (in.accept("INDEX") || in.accept("KEY")) {
          in.name();
          in.expect("TO");
          in.name();
        } else {
          if (!in.accept("TO")) {
            in.accept("AS");
          }
          a.renameTo = in.tableName();
        }
      }
      case "ALTER" -> {
        if (in.accept("INDEX")
            || in.accept("KEY")
            || in.accept("CHECK")
            || in.accept("CONSTRAINT")) {
          in.name();
        } else {
          in.accept("COLUMN");
          in.acceptIfExists(); // MariaDB
          String column = in.name();
          if (in.accept("SET")) {
            if (in.accept("DEFAULT")) {
              columnParser.expression();
            } else {
              in.advance(); // VISIBLE, INVISIBLE
            }
          } else if (in.accept("DROP")) {
            in.expect("DEFAULT");
          } else {
            throw in.error("SET or DROP after ALTER COLUMN " + column);
          }
          return false;
        }
        skipSpec();
      }
      case "CONVERT" -> {
        in.expect("TO");
        if (in.accept("CHARACTER") || in.accept("CHAR")) {
          in.expect("SET");
        } else {
          in.expect("CHARSET");
        }
        String cs =
            in.accept("DEFAULT") ? st.databaseCharset(a.table.database()) : in.charsetName();
        if (in.accept("COLLATE")) {
          in.collation();
        }
        if (cs.equals("binary")) {
          a.unknownLayout = true;
        }
        a.convertTo = cs;
        a.charset = cs;
      }
      case "DEFAULT" -> {
        if (in.at("CHARACTER") || in.at("CHARSET") || in.at("CHAR") || in.at("COLLATE")) {
          return alterSpec(a);
        }
        tableOption(); // DEFAULT ENCRYPTION ...
      }
      case "CHARACTER", "CHAR" -> {
        in.expect("SET");
        in.acceptSymbol('=');
        a.charset = in.charsetName();
      }
      case "CHARSET" -> {
        in.acceptSymbol('=');
        a.charset = in.charsetName();
      }
      case "COLLATE" -> {
        in.acceptSymbol('=');
        a.collated = true;
        String cs = in.collation();
        if (cs != null) {
          a.collationCharset = cs;
        }
      }
      case "FORCE" -> {}
      case "ENABLE", "DISABLE" -> in.expect("KEYS");
      case "DISCARD", "IMPORT" -> {
        if (in.accept("PARTITION")) {
          return true;
        }
        in.expect("TABLESPACE");
      }
      case "WITH", "WITHOUT" -> {
        if (in.accept("SYSTEM")) {
          in.expect("VERSIONING");
          a.unknownLayout = true;
        } else {
          in.expect("VALIDATION");
        }
      }
      case "ORDER" -> {
        in.expect("BY");
        do {
          in.name();
          if (!in.accept("ASC")) {
            in.accept("DESC");
          }
        } while (in.peek().isSymbol(',')
            && in.peek(1).kind() != Kind.END
            && !(in.peek(1).kind() == Kind.WORD
                && DdlKeywords.SPEC_WORDS.contains(upper(in.peek(1))))
            && in.acceptSymbol(','));
      }
      default -> {
        if (DdlKeywords.PARTITION_SPECS.contains(w)) {
          return true;
        }
        if (DdlKeywords.TABLE_OPTIONS.contains(w)) {
          in.back();
          tableOption();
          return false;
        }
        in.reset(specStart);
        throw in.error("an ALTER TABLE specification");
      }
    }
    return false;
  }

  /**
   * ADD [COLUMN] [IF NOT EXISTS] {column_definition [FIRST|AFTER col] | (column_definition, ...)} |
   * ADD [CONSTRAINT [name]] PRIMARY KEY ... | ADD PERIOD FOR ..., after ADD; other indexes and
   * constraints are skipped.
   */
  private boolean addSpec(Alter a) {
    int specStart = in.pos() - 1;
    Token t = in.peek();
    if (t.kind() == Kind.WORD) {
      switch (upper(t)) {
        case "INDEX", "KEY", "UNIQUE", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK" -> {
          skipSpec();
          return false;
        }
        case "PERIOD" -> {
          in.acceptIfNotExists();
          List<String> columns = createParser.period();
          a.specs.add(x -> x.notNull(columns, ex(specStart)));
          return false;
        }
        case "PARTITION" -> {
          return true;
        }
        case "SYSTEM" -> {
          a.unknownLayout = true;
          skipSpec();
          return false;
        }
        case "CONSTRAINT" -> {
          in.advance();
          in.acceptIfNotExists();
          if (!in.at("PRIMARY") && !in.at("UNIQUE") && !in.at("FOREIGN") && !in.at("CHECK")) {
            in.name();
          }
          if (in.at("PRIMARY")) {
            addPrimaryKey(a, specStart);
          } else {
            skipSpec();
          }
          return false;
        }
        case "PRIMARY" -> {
          addPrimaryKey(a, specStart);
          return false;
        }
        default -> {}
      }
    }
    in.accept("COLUMN");
    boolean ifNotExists = in.acceptIfNotExists();
    if (in.acceptSymbol('(')) {
      List<DdlColumnDef> defs = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      do {
        int before = defs.size();
        createParser.createElement(defs, keys);
        if (defs.size() == before) {
          throw in.error("a column definition");
        }
      } while (in.acceptSymbol(','));
      in.expectSymbol(')');
      for (DdlColumnDef d : defs) {
        unsupported(a, d);
        a.specs.add(x -> x.add(d, ifNotExists, ex(specStart)));
      }
      return false;
    }
    DdlColumnDef d = columnParser.columnDefinition();
    position(d);
    unsupported(a, d);
    a.specs.add(x -> x.add(d, ifNotExists, ex(specStart)));
    return false;
  }

  /** PRIMARY KEY [IF NOT EXISTS] [name] [USING type] (key parts) [index options]. */
  private void addPrimaryKey(Alter a, int specStart) {
    in.expect("PRIMARY");
    in.expect("KEY");
    in.acceptIfNotExists();
    while (!in.peek().isSymbol('(')) {
      if (in.peek().kind() == Kind.END) {
        throw in.error("the primary key's columns");
      }
      in.advance();
    }
    List<String> columns = createParser.keyParts();
    skipSpec();
    a.specs.add(x -> x.primaryKey(columns, ex(specStart)));
  }

  /**
   * DROP [COLUMN] [IF EXISTS] col [RESTRICT] [CASCADE] | DROP PRIMARY KEY | DROP
   * INDEX|KEY|CONSTRAINT [IF EXISTS] name | DROP FOREIGN KEY [IF EXISTS] name | DROP CHECK [IF
   * EXISTS] name, after DROP.
   */
  private boolean dropSpec(Alter a) {
    int specStart = in.pos() - 1;
    Token t = in.peek();
    if (t.kind() == Kind.WORD) {
      switch (upper(t)) {
        case "PRIMARY" -> {
          in.advance();
          in.expect("KEY");
          a.specs.add(x -> x.primaryKey(List.of(), ex(specStart)));
          return false;
        }
        case "INDEX", "KEY", "CONSTRAINT" -> {
          in.advance();
          in.acceptIfExists();
          if (in.name().equalsIgnoreCase("PRIMARY")) {
            a.specs.add(x -> x.primaryKey(List.of(), ex(specStart)));
          }
          return false;
        }
        case "FOREIGN" -> {
          in.advance();
          in.expect("KEY");
          in.acceptIfExists();
          in.name();
          return false;
        }
        case "CHECK" -> {
          in.advance();
          in.acceptIfExists();
          in.name();
          return false;
        }
        case "PARTITION" -> {
          return true;
        }
        case "PERIOD" -> {
          skipSpec();
          return false;
        }
        case "SYSTEM" -> {
          a.unknownLayout = true;
          skipSpec();
          return false;
        }
        default -> {}
      }
    }
    in.accept("COLUMN");
    boolean ifExists = in.acceptIfExists();
    String column = in.name();
    in.accept("RESTRICT");
    in.accept("CASCADE");
    a.specs.add(x -> x.drop(column, ifExists, ex(specStart)));
    return false;
  }

  /** FIRST or AFTER column, after a column definition in ALTER TABLE. */
  private void position(DdlColumnDef d) {
    if (in.accept("FIRST")) {
      d.after = "";
    } else if (in.accept("AFTER")) {
      d.after = in.name();
    }
  }

  private void unsupported(Alter a, DdlColumnDef d) {
    if (d.unsupportedType != null) {
      a.unknownLayout = true;
    }
  }

  /** A table option in ALTER TABLE: name [=] value. */
  private void tableOption() {
    String w = upper(in.next());
    if (w.equals("DATA") || w.equals("INDEX")) {
      in.expect("DIRECTORY");
    }
    in.acceptSymbol('=');
    if (in.peek().isSymbol('(')) {
      in.skipBalanced();
    } else {
      in.skipOne();
    }
    if (w.equals("TABLESPACE") && in.accept("STORAGE")) {
      in.advance();
    }
  }

  /** Skips to the next ',' or the end outside parentheses. */
  private void skipSpec() {
    int depth = 0;
    while (true) {
      Token t = in.peek();
      if (t.kind() == Kind.END || (depth == 0 && t.isSymbol(','))) {
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

  /** A supplier of errors at a specification, for faults found when it is applied. */
  private Function<String, DdlException> ex(int at) {
    return message -> new DdlException(message + ": " + in.excerpt(at));
  }
}
