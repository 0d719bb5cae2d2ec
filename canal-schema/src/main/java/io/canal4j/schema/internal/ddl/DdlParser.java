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
 * <p>This class reads the first words and dispatches; it parses DROP, RENAME and the database
 * options itself. {@link CreateTableParser}, {@link AlterTableParser} and {@link
 * ColumnDefinitionParser} parse their statement families over one {@link DdlStatement}, whose
 * {@link TokenCursor} they share.
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
    DdlStatement st =
        new DdlStatement(
            database == null ? "" : database,
            statement,
            new DdlStaging(target),
            flavor,
            serverVersion,
            charsets);
    List<TableId> changed = statement(st);
    st.staging.commit();
    return List.copyOf(changed);
  }

  /**
   * CREATE ... | ALTER ... | DROP ... | RENAME ... | SET STATEMENT var=value [, ...] FOR statement;
   * an empty or harmless statement changes nothing.
   */
  private static List<TableId> statement(DdlStatement st) {
    TokenCursor in = st.in;
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
        return create(st);
      case "ALTER":
        return alter(st);
      case "DROP":
        return drop(st);
      case "RENAME":
        return rename(st);
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
          return statement(st);
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

  /**
   * CREATE [OR REPLACE] {TABLE ... | DATABASE|SCHEMA [IF NOT EXISTS] db [options] | SEQUENCE [IF
   * NOT EXISTS] name ...}, after CREATE; TEMPORARY and other objects change nothing.
   */
  private static List<TableId> create(DdlStatement st) {
    TokenCursor in = st.in;
    boolean orReplace = false;
    if (in.accept("OR")) {
      in.expect("REPLACE");
      orReplace = true;
    }
    if (in.accept("TEMPORARY")) {
      return List.of(); // never logged in row format, and its rows never are
    }
    if (in.accept("TABLE")) {
      return new CreateTableParser(st).createTable(orReplace);
    }
    if (in.accept("DATABASE") || in.accept("SCHEMA")) {
      in.acceptIfNotExists();
      String db = in.name();
      databaseOptions(st, db);
      return List.of();
    }
    if (in.accept("SEQUENCE")) {
      in.acceptIfNotExists();
      TableId id = in.tableName();
      st.staging.unknown(id);
      return List.of(id);
    }
    return List.of(); // views, triggers, routines, events, users, roles, indexes, servers...
  }

  // --- ALTER

  /**
   * ALTER [ONLINE|OFFLINE|IGNORE]... {TABLE ... | DATABASE|SCHEMA [db] options | SEQUENCE [IF
   * EXISTS] name ...}, after ALTER; other objects change nothing.
   */
  private static List<TableId> alter(DdlStatement st) {
    TokenCursor in = st.in;
    while (in.accept("ONLINE") || in.accept("OFFLINE") || in.accept("IGNORE")) {
      // no layout effect
    }
    if (in.accept("TABLE")) {
      return new AlterTableParser(st).alterTable();
    }
    if (in.accept("DATABASE") || in.accept("SCHEMA")) {
      String db = st.database;
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
      databaseOptions(st, db);
      return List.of();
    }
    if (in.accept("SEQUENCE")) {
      in.acceptIfExists();
      TableId id = in.tableName();
      st.staging.unknown(id);
      return List.of(id);
    }
    return List.of(); // views, events, routines, users, servers, tablespaces, instance...
  }

  // --- DROP, RENAME, databases

  /**
   * DROP {TABLE|TABLES|SEQUENCE} [IF EXISTS] name [, name]... [WAIT n|NOWAIT] [RESTRICT|CASCADE] |
   * DROP DATABASE|SCHEMA [IF EXISTS] db, after DROP; TEMPORARY and other objects change nothing.
   */
  private static List<TableId> drop(DdlStatement st) {
    TokenCursor in = st.in;
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
        Table known = st.staging.get(n);
        TableId id = known == null ? n : known.schema().id();
        st.staging.remove(id);
        dropped.add(id);
      }
      return dropped;
    }
    if (in.accept("DATABASE") || in.accept("SCHEMA")) {
      in.acceptIfExists();
      String db = in.name();
      in.expectEnd();
      st.staging.dropDatabase(db);
      return List.of();
    }
    return List.of(); // indexes, views, triggers, routines, users...
  }

  /**
   * RENAME TABLE|TABLES [IF EXISTS] old TO new [WAIT n|NOWAIT] [, old TO new [WAIT n|NOWAIT]]...,
   * after RENAME; RENAME USER changes nothing.
   */
  private static List<TableId> rename(DdlStatement st) {
    TokenCursor in = st.in;
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
      Table known = st.staging.get(p[0]);
      TableId from = known == null ? p[0] : known.schema().id();
      st.staging.remove(from);
      if (known == null) {
        st.staging.unknown(p[1]);
      } else {
        st.staging.put(new Table(DdlColumnDef.renamed(known.schema(), p[1]), known.charset()));
      }
      changed.add(from);
      changed.add(p[1]);
    }
    return changed;
  }

  /** The options of CREATE/ALTER DATABASE: only the default charset matters. */
  private static void databaseOptions(DdlStatement st, String db) {
    TokenCursor in = st.in;
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
      st.staging.databaseCharset(db, cs);
    }
  }
}
