package io.canal4j.schema.internal.ddl;

import static io.canal4j.schema.internal.ddl.TokenCursor.upper;

import io.canal4j.schema.Flavor;
import io.canal4j.schema.TableId;
import io.canal4j.schema.internal.InformationSchemaLoader;
import io.canal4j.schema.internal.ddl.DdlLexer.Kind;
import io.canal4j.schema.internal.ddl.DdlLexer.Token;
import io.canal4j.schema.internal.ddl.DdlTarget.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A recursive-descent parser for the MySQL and MariaDB DDL found in a binlog, which applies each
 * statement to the table definitions of a {@link DdlTarget}.
 *
 * <p><b>Design.</b> Only what decides a table's layout is modelled: the columns (name, type as the
 * server reports it, signedness, nullability, charset, ENUM/SET labels) and the primary key.
 * Everything else a statement may say (indexes, defaults, comments, engines, partitions) is
 * recognised and skipped. A statement is parsed to its end before anything is written: changes go
 * to a staging overlay, which later reads of the same statement see ({@code RENAME TABLE a TO tmp,
 * b TO a, tmp TO b}), and which is committed to the target only when the whole statement was
 * understood. ALTER TABLE specifications are collected first and applied in order afterwards,
 * because the server gives a column without a charset the table's default as it is after the whole
 * statement ({@code ALTER TABLE t DEFAULT CHARSET latin1, MODIFY c VARCHAR(5)}).
 *
 * <p>Columns are built exactly as {@link InformationSchemaLoader} reads them back, so that a table
 * derived here equals the one information_schema reports after the statement ran.
 *
 * <p>Stateless and thread-safe.
 */
public final class DdlParser {
  private final Flavor flavor;
  private final int serverVersion;
  private final DdlCharsets charsets;

  /**
   * @param flavor the server that wrote the statements
   * @param serverVersion its version as MySQL writes it in executable comments: 8.0.31 is {@code
   *     80031}, MariaDB 10.11.6 is {@code 101106}
   */
  public DdlParser(Flavor flavor, int serverVersion) {
    this.flavor = Objects.requireNonNull(flavor, "flavor");
    if (serverVersion <= 0) {
      throw new IllegalArgumentException("serverVersion must be > 0: " + serverVersion);
    }
    this.serverVersion = serverVersion;
    this.charsets = new DdlCharsets(flavor, serverVersion);
  }

  /**
   * Applies one statement to {@code target}.
   *
   * @param database the statement's default database; may be empty, and then a statement that names
   *     a table without its database cannot be understood
   * @return the tables the statement created, altered, renamed (old and new name) or dropped, in
   *     statement order; empty for statements that change no table's layout
   * @throws DdlException when a statement that may change a table's layout cannot be understood;
   *     {@code target} is then unchanged
   */
  public List<TableId> apply(String database, String statement, DdlTarget target) {
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(target, "target");
    Run run = new Run(database == null ? "" : database, statement, new DdlStaging(target));
    List<TableId> changed = run.statement();
    run.staging.commit();
    return List.copyOf(changed);
  }

  /** The parse of one statement. */
  private final class Run {
    private final DdlStatement st;
    private final String database;
    private final DdlStaging staging;
    private final TokenCursor in;
    private final ColumnDefinitionParser columnParser;
    private final CreateTableParser createParser;

    Run(String database, String sql, DdlStaging staging) {
      this.st = new DdlStatement(database, sql, staging, flavor, serverVersion, charsets);
      this.database = st.database;
      this.staging = st.staging;
      this.in = st.in;
      this.columnParser = new ColumnDefinitionParser(st);
      this.createParser = new CreateTableParser(st);
    }

    List<TableId> statement() {
      Token first = in.peek();
      if (first.kind() == Kind.END || first.isSymbol('(') || first.isSymbol(';')) {
        return List.of();
      }
      if (first.kind() != Kind.WORD) {
        throw in.error("a statement");
      }
      String w = upper(in.next());
      switch (w) {
        case "CREATE":
          return create();
        case "ALTER":
          return alter();
        case "DROP":
          return drop();
        case "RENAME":
          return rename();
        case "SET":
          // MariaDB: SET STATEMENT var=value [, ...] FOR statement
          if (in.accept("STATEMENT")) {
            while (!in.at("FOR")) {
              if (in.peek().kind() == Kind.END) {
                throw in.error("FOR");
              }
              in.skipOne();
            }
            in.advance();
            return statement();
          }
          return List.of();
        default:
          if (DdlKeywords.HARMLESS.contains(w)) {
            return List.of();
          }
          in.back();
          throw in.error("a known statement");
      }
    }

    // --- CREATE

    private List<TableId> create() {
      boolean orReplace = false;
      if (in.accept("OR")) {
        in.expect("REPLACE");
        orReplace = true;
      }
      if (in.accept("TEMPORARY")) {
        return List.of(); // never logged in row format, and its rows never are
      }
      if (in.accept("TABLE")) {
        return createParser.createTable(orReplace);
      }
      if (in.accept("DATABASE") || in.accept("SCHEMA")) {
        in.acceptIfNotExists();
        String db = in.name();
        databaseOptions(db);
        return List.of();
      }
      if (in.accept("SEQUENCE")) {
        in.acceptIfNotExists();
        TableId id = in.tableName();
        staging.unknown(id);
        return List.of(id);
      }
      return List.of(); // views, triggers, routines, events, users, roles, indexes, servers...
    }

    // --- ALTER

    private List<TableId> alter() {
      while (in.accept("ONLINE") || in.accept("OFFLINE") || in.accept("IGNORE")) {
        // no layout effect
      }
      if (in.accept("TABLE")) {
        return alterTable();
      }
      if (in.accept("DATABASE") || in.accept("SCHEMA")) {
        String db = database;
        Token t = in.peek();
        if (t.kind() == Kind.BACKTICK
            || t.kind() == Kind.DOUBLE_QUOTED
            || (t.kind() == Kind.WORD
                && !Set.of(
                        "DEFAULT",
                        "CHARACTER",
                        "CHAR",
                        "CHARSET",
                        "COLLATE",
                        "ENCRYPTION",
                        "READ",
                        "COMMENT",
                        "UPGRADE")
                    .contains(upper(t)))) {
          db = in.name();
        }
        databaseOptions(db);
        return List.of();
      }
      if (in.accept("SEQUENCE")) {
        in.acceptIfExists();
        TableId id = in.tableName();
        staging.unknown(id);
        return List.of(id);
      }
      return List.of(); // views, events, routines, users, servers, tablespaces, instance...
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

    private List<TableId> alterTable() {
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
      Table existing = staging.get(named);
      TableId id = existing == null ? named : existing.schema().id();
      if (existing == null || a.unknownLayout) {
        if (a.renameTo != null) {
          staging.remove(id);
          staging.unknown(a.renameTo);
          return List.of(id, a.renameTo);
        }
        staging.unknown(id);
        return List.of(id);
      }
      DdlWorkingTable w = new DdlWorkingTable(existing, flavor, serverVersion);
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
        staging.remove(id);
        staging.put(result);
        return List.of(id, a.renameTo);
      }
      staging.put(result);
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

    // --- DROP, RENAME, databases

    private List<TableId> drop() {
      if (in.accept("TEMPORARY")) {
        return List.of();
      }
      if (in.accept("TABLE") || in.accept("TABLES") || in.accept("SEQUENCE")) {
        in.acceptIfExists();
        List<TableId> names = new ArrayList<>();
        do {
          names.add(in.tableName());
        } while (in.acceptSymbol(','));
        if (in.accept("WAIT")) {
          in.number();
        } else {
          in.accept("NOWAIT");
        }
        if (!in.accept("RESTRICT")) {
          in.accept("CASCADE");
        }
        in.expectEnd();
        List<TableId> dropped = new ArrayList<>();
        for (TableId n : names) {
          Table known = staging.get(n);
          TableId id = known == null ? n : known.schema().id();
          staging.remove(id);
          dropped.add(id);
        }
        return dropped;
      }
      if (in.accept("DATABASE") || in.accept("SCHEMA")) {
        in.acceptIfExists();
        String db = in.name();
        in.expectEnd();
        staging.dropDatabase(db);
        return List.of();
      }
      return List.of(); // indexes, views, triggers, routines, users...
    }

    private List<TableId> rename() {
      if (!in.accept("TABLE") && !in.accept("TABLES")) {
        return List.of(); // RENAME USER
      }
      in.acceptIfExists();
      List<TableId[]> pairs = new ArrayList<>();
      do {
        TableId from = in.tableName();
        in.expect("TO");
        TableId to = in.tableName();
        pairs.add(new TableId[] {from, to});
        if (in.accept("WAIT")) {
          in.number();
        } else {
          in.accept("NOWAIT");
        }
      } while (in.acceptSymbol(','));
      in.expectEnd();
      List<TableId> changed = new ArrayList<>();
      for (TableId[] p : pairs) {
        Table known = staging.get(p[0]);
        TableId from = known == null ? p[0] : known.schema().id();
        staging.remove(from);
        if (known == null) {
          staging.unknown(p[1]);
        } else {
          staging.put(new Table(DdlColumnDef.renamed(known.schema(), p[1]), known.charset()));
        }
        changed.add(from);
        changed.add(p[1]);
      }
      return changed;
    }

    /** The options of CREATE/ALTER DATABASE: only the default charset matters. */
    private void databaseOptions(String db) {
      String charset = null;
      String collationCharset = null;
      while (in.peek().kind() != Kind.END) {
        if (in.accept("CHARACTER") || in.accept("CHAR")) {
          in.expect("SET");
          in.acceptSymbol('=');
          charset = in.charsetName();
        } else if (in.accept("CHARSET")) {
          in.acceptSymbol('=');
          charset = in.charsetName();
        } else if (in.accept("COLLATE")) {
          in.acceptSymbol('=');
          String cs = in.collation();
          if (cs != null) {
            collationCharset = cs;
          }
        } else {
          in.skipOne();
        }
      }
      String cs = charset != null ? charset : collationCharset;
      if (cs != null) {
        if (db.isEmpty()) {
          throw in.error("a database name (no default database)");
        }
        staging.databaseCharset(db, cs);
      }
    }

    /** A supplier of errors at a specification, for faults found when it is applied. */
    private java.util.function.Function<String, DdlException> ex(int at) {
      return message -> new DdlException(message + ": " + in.excerpt(at));
    }
  }
}
