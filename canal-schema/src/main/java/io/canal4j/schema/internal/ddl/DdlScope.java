package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.TableId;
import io.canal4j.schema.internal.ddl.DdlLexer.Kind;
import io.canal4j.schema.internal.ddl.DdlLexer.Token;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a DDL statement may have changed: the tables it names, whole databases, or (when it cannot
 * be told) everything; {@code removes} when it is known to take a table away from its name ({@code
 * DROP TABLE}, {@code DROP DATABASE}, {@code RENAME TABLE}, {@code ALTER TABLE ... RENAME TO}).
 *
 * <p>{@link #of} tells it from the statement's words without parsing it, so that it can answer for
 * statements {@link DdlParser} does not understand: ALTER, CREATE, DROP, RENAME and TRUNCATE of
 * tables (and MariaDB sequences), CREATE/DROP INDEX and DROP DATABASE name what they change.
 * Statements that cannot change a table's columns (transaction control, DML, grants, views,
 * routines, triggers, users, CREATE/ALTER DATABASE) change nothing; anything else, or a statement
 * whose names cannot be read, changes the whole default database (or, without one, everything). The
 * tokens are {@link DdlLexer#tokenizeLenient}'s, which enter every executable comment whatever the
 * version (a statement may name its table only there).
 */
public record DdlScope(
    Set<TableId> tables, Set<String> databases, boolean everything, boolean removes) {
  /** Any table may have changed. */
  public static final DdlScope EVERYTHING = new DdlScope(Set.of(), Set.of(), true, false);

  static final DdlScope NOTHING = new DdlScope(Set.of(), Set.of(), false, false);

  private static final Pattern SCHEMA_CHANGE =
      Pattern.compile(
          "^\\s*(?:/\\*(?!M?!).*?\\*/\\s*|(?:#|-- )[^\\n]*\\n\\s*|/\\*M?!\\d*\\s*"
              + "|SET\\s+STATEMENT\\s.*?\\sFOR\\s+)*(CREATE|ALTER|DROP|RENAME|TRUNCATE)\\b",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /**
   * What {@code statement}, run with default database {@code database}, may change.
   *
   * @param database the statement's default database; may be empty or null
   */
  public static DdlScope of(String database, String statement) {
    return new Reader(statement, database == null ? "" : database).scope();
  }

  /**
   * The tables a DDL statement names, sorted, with {@code database} as the default database: {@code
   * RENAME TABLE a TO b} names both; a statement that names none (e.g. {@code DROP DATABASE}) gives
   * an empty list.
   */
  public static List<TableId> namedTables(String database, String statement) {
    return of(database, statement).tables().stream().sorted().toList();
  }

  /**
   * Whether a statement logged on its own is a schema change the handler hears of as a DDL event:
   * CREATE, ALTER, DROP, RENAME or TRUNCATE, after comments, executable-comment openers and
   * MariaDB's {@code SET STATEMENT ... FOR}.
   */
  public static boolean isSchemaChange(String sql) {
    return SCHEMA_CHANGE.matcher(sql).find();
  }

  /** Whether the statement changes no table (GRANT, CREATE USER, a view, a procedure, ...). */
  public boolean isNothing() {
    return tables.isEmpty() && databases.isEmpty() && !everything;
  }

  /** One statement's reading. */
  private static final class Reader {
    private final TokenCursor in;
    private final String database;

    Reader(String statement, String database) {
      this.in = new TokenCursor(statement, DdlLexer.tokenizeLenient(statement), database, null);
      this.database = database;
    }

    DdlScope scope() {
      if (in.atEnd()) {
        return NOTHING;
      }
      String first = in.word();
      if (first == null) {
        return unknown();
      }
      if (first.equals("SET") && in.accept("STATEMENT")) {
        // MariaDB: SET STATEMENT var=value [, var=value]... FOR statement
        try {
          while (!in.atEnd() && !in.at("FOR")) {
            in.skipOne();
          }
        } catch (DdlException e) { // an unbalanced '(': not understood
          return unknown();
        }
        return in.accept("FOR") ? scope() : unknown();
      }
      if (DdlKeywords.SCOPE_HARMLESS.contains(first)) {
        return NOTHING;
      }
      try {
        return switch (first) {
          case "ALTER" -> alter();
          case "CREATE" -> create();
          case "DROP" -> drop();
          case "RENAME" -> rename();
          case "TRUNCATE" -> { // TRUNCATE [TABLE] name
            in.skipWords("TABLE");
            yield tables(List.of(in.lenientTableName()));
          }
          default -> unknown();
        };
      } catch (DdlException e) { // a name or keyword missing: the statement is not understood
        return unknown();
      }
    }

    /** ALTER ... TABLE|SEQUENCE [IF EXISTS] name spec..., after ALTER; other objects: nothing. */
    private DdlScope alter() {
      String what = objectKeyword();
      if (what == null) {
        return unknown();
      }
      if (!what.equals("TABLE") && !what.equals("SEQUENCE")) {
        return NOTHING;
      }
      in.skipIfExists();
      List<TableId> names = new ArrayList<>();
      names.add(in.lenientTableName());
      // ALTER TABLE a ..., RENAME [TO|AS] b: both names. RENAME COLUMN/INDEX/KEY renames no table.
      while (!in.atEnd()) {
        if (in.accept("RENAME")) {
          if (in.at("COLUMN") || in.at("INDEX") || in.at("KEY")) {
            continue;
          }
          in.skipWords("TO", "AS");
          names.add(in.lenientTableName());
        } else {
          in.advance();
        }
      }
      return names.size() > 1 ? removing(names) : tables(names);
    }

    /** CREATE ... TABLE|SEQUENCE [IF NOT EXISTS] name ... | CREATE ... INDEX name ... ON name. */
    private DdlScope create() {
      String what = objectKeyword();
      if (what == null) {
        return unknown();
      }
      return switch (what) {
        case "TABLE", "SEQUENCE" -> {
          in.skipIfNotExists();
          yield tables(List.of(in.lenientTableName()));
        }
        case "INDEX" -> indexTable();
        default -> NOTHING;
      };
    }

    /**
     * DROP DATABASE|SCHEMA [IF EXISTS] db | DROP INDEX name ON name | DROP ...
     * TABLE|TABLES|SEQUENCE [IF EXISTS] name [, name]...
     */
    private DdlScope drop() {
      String what = objectKeyword();
      if (what == null) {
        return unknown();
      }
      switch (what) {
        case "DATABASE", "SCHEMA" -> {
          in.skipIfExists();
          return new DdlScope(Set.of(), Set.of(in.lenientName()), false, true);
        }
        case "INDEX" -> {
          return indexTable();
        }
        case "TABLE", "TABLES", "SEQUENCE" -> {
          in.skipIfExists();
          List<TableId> names = new ArrayList<>();
          names.add(in.lenientTableName());
          while (in.acceptSymbol(',')) {
            names.add(in.lenientTableName());
          }
          return removing(names);
        }
        default -> {
          return NOTHING;
        }
      }
    }

    /**
     * Moves past the kind of object a CREATE, ALTER or DROP is about ({@code TABLE}, {@code VIEW},
     * …) and returns it, skipping what may stand before it ({@code OR REPLACE}, {@code TEMPORARY},
     * {@code ONLINE}, {@code IGNORE}, {@code UNIQUE}, {@code ALGORITHM=x}, {@code DEFINER=u@h},
     * {@code SQL SECURITY x}); null when none comes within the first tokens.
     */
    private String objectKeyword() {
      for (int ahead = 0; ahead < 16 && in.peek(ahead).kind() != Kind.END; ahead++) {
        Token t = in.peek(ahead);
        String w = TokenCursor.upper(t);
        if (t.kind() == Kind.WORD
            && (DdlKeywords.OBJECTS.contains(w) || DdlKeywords.OTHER_OBJECTS.contains(w))) {
          in.advance(ahead + 1);
          return w;
        }
      }
      return null;
    }

    /** RENAME TABLE|TABLES [IF EXISTS] name TO name [, name TO name]... | RENAME USER ... */
    private DdlScope rename() {
      String what = in.word();
      if (!"TABLE".equals(what) && !"TABLES".equals(what)) {
        return "USER".equals(what) ? NOTHING : unknown();
      }
      in.skipIfExists();
      List<TableId> names = new ArrayList<>();
      do {
        in.acceptSymbol(',');
        names.add(in.lenientTableName());
        in.expect("TO");
        names.add(in.lenientTableName());
      } while (in.peek().isSymbol(','));
      return removing(names);
    }

    /** {@code INDEX [IF EXISTS] name [USING x] ON table}: the table after ON. */
    private DdlScope indexTable() {
      in.skipIfExists();
      while (!in.atEnd() && !in.at("ON")) {
        in.advance();
      }
      in.expect("ON");
      return tables(List.of(in.lenientTableName()));
    }

    private static DdlScope tables(List<TableId> names) {
      return new DdlScope(new LinkedHashSet<>(names), Set.of(), false, false);
    }

    private static DdlScope removing(List<TableId> names) {
      return new DdlScope(new LinkedHashSet<>(names), Set.of(), false, true);
    }

    private DdlScope unknown() {
      return database.isEmpty()
          ? EVERYTHING
          : new DdlScope(Set.of(), Set.of(database), false, false);
    }
  }
}
