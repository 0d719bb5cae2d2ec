package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.TableId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which tables a DDL statement may have changed, read from the statement's first tokens: ALTER,
 * CREATE, DROP, RENAME and TRUNCATE of tables (and MariaDB sequences), CREATE/DROP INDEX, DROP
 * DATABASE. Statements that cannot change a table's columns (transaction control, DML, grants,
 * views, routines, triggers, users) touch nothing; anything else touches the whole default database
 * (or, without one, everything). Not a SQL parser: a schema history built on one comes later.
 */
public final class DdlScope {
  /**
   * What a statement may change: named tables, whole databases, or (when it cannot tell)
   * everything; {@code removes} when it is known to take a table away from its name ({@code DROP
   * TABLE}, {@code DROP DATABASE}, {@code RENAME TABLE}, {@code ALTER TABLE ... RENAME TO}).
   */
  public record Touched(
      Set<TableId> tables, Set<String> databases, boolean everything, boolean removes) {
    public Touched(Set<TableId> tables, Set<String> databases, boolean everything) {
      this(tables, databases, everything, false);
    }

    static final Touched NOTHING = new Touched(Set.of(), Set.of(), false);
    static final Touched EVERYTHING = new Touched(Set.of(), Set.of(), true);

    /** Whether the statement changes no table (GRANT, CREATE USER, a view, a procedure, ...). */
    public boolean isNothing() {
      return tables.isEmpty() && databases.isEmpty() && !everything;
    }
  }

  private static final Set<String> HARMLESS =
      Set.of(
          "BEGIN",
          "COMMIT",
          "ROLLBACK",
          "SAVEPOINT",
          "RELEASE",
          "XA",
          "START",
          "SET",
          "USE",
          "INSERT",
          "UPDATE",
          "DELETE",
          "REPLACE",
          "SELECT",
          "CALL",
          "DO",
          "LOAD",
          "GRANT",
          "REVOKE",
          "FLUSH",
          "ANALYZE",
          "OPTIMIZE",
          "REPAIR",
          "CHECK",
          "CHECKSUM",
          "INSTALL",
          "UNINSTALL",
          "SHOW",
          "LOCK",
          "UNLOCK",
          "PURGE",
          "RESET",
          "KILL",
          "HANDLER");

  /** Objects of CREATE/ALTER/DROP whose changes can touch a table's columns. */
  private static final Set<String> OBJECTS =
      Set.of("TABLE", "TABLES", "SEQUENCE", "INDEX", "DATABASE", "SCHEMA");

  /** Objects of CREATE/ALTER/DROP that are not tables and never change a table's columns. */
  private static final Set<String> OTHER_OBJECTS =
      Set.of(
          "VIEW",
          "TRIGGER",
          "PROCEDURE",
          "FUNCTION",
          "EVENT",
          "USER",
          "ROLE",
          "SERVER",
          "LOGFILE",
          "TABLESPACE",
          "RESOURCE",
          "PACKAGE",
          "INSTANCE");

  private final List<String> tokens;
  private final List<Boolean> quoted;
  private final String database;
  private int pos;

  private DdlScope(String statement, String database) {
    this.tokens = new ArrayList<>();
    this.quoted = new ArrayList<>();
    this.database = database == null ? "" : database;
    tokenize(statement);
  }

  /**
   * The tables {@code statement} may have changed.
   *
   * @param database the statement's default database; may be empty
   */
  /**
   * The tables a DDL statement names, sorted, with {@code database} as the default database: {@code
   * RENAME TABLE a TO b} names both; a statement that names none (e.g. {@code DROP DATABASE}) gives
   * an empty list.
   */
  public static java.util.List<TableId> namedTables(String database, String statement) {
    return touched(database, statement).tables().stream().sorted().toList();
  }

  private static final java.util.regex.Pattern SCHEMA_CHANGE =
      java.util.regex.Pattern.compile(
          "^\\s*(?:/\\*(?!M?!).*?\\*/\\s*|(?:#|-- )[^\\n]*\\n\\s*|/\\*M?!\\d*\\s*"
              + "|SET\\s+STATEMENT\\s.*?\\sFOR\\s+)*(CREATE|ALTER|DROP|RENAME|TRUNCATE)\\b",
          java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL);

  /**
   * Whether a statement logged on its own is a schema change the handler hears of as a DDL event:
   * CREATE, ALTER, DROP, RENAME or TRUNCATE, after comments, executable-comment openers and
   * MariaDB's {@code SET STATEMENT ... FOR}. (The stream's test, moved here so that all statement
   * recognition lives in this package.)
   */
  public static boolean isSchemaChange(String sql) {
    return SCHEMA_CHANGE.matcher(sql).find();
  }

  /** What {@code statement}, run with default database {@code database}, may change. */
  public static Touched touched(String database, String statement) {
    return new DdlScope(statement, database).parse();
  }

  private Touched parse() {
    if (tokens.isEmpty()) {
      return Touched.NOTHING;
    }
    String first = word();
    if (first == null) {
      return unknown();
    }
    if (HARMLESS.contains(first)) {
      return Touched.NOTHING;
    }
    try {
      return switch (first) {
        case "ALTER" -> alter();
        case "CREATE" -> create();
        case "DROP" -> drop();
        case "RENAME" -> rename();
        case "TRUNCATE" -> {
          skipAny("TABLE");
          yield tables(List.of(name()));
        }
        default -> unknown();
      };
    } catch (IllegalStateException e) {
      return unknown();
    }
  }

  private Touched alter() {
    String what = objectKeyword();
    if (what == null) {
      return unknown();
    }
    if (!what.equals("TABLE") && !what.equals("SEQUENCE")) {
      return Touched.NOTHING;
    }
    skipIfExists();
    List<TableId> names = new ArrayList<>();
    names.add(name());
    // ALTER TABLE a ..., RENAME [TO|AS] b: both names. RENAME COLUMN/INDEX/KEY renames no table.
    while (pos < tokens.size()) {
      if (isWord("RENAME")) {
        pos++;
        if (isWord("COLUMN") || isWord("INDEX") || isWord("KEY")) {
          continue;
        }
        skipAny("TO", "AS");
        names.add(name());
      } else {
        pos++;
      }
    }
    return names.size() > 1 ? removing(names) : tables(names);
  }

  private Touched create() {
    String what = objectKeyword();
    if (what == null) {
      return unknown();
    }
    return switch (what) {
      case "TABLE", "SEQUENCE" -> {
        skipIfNotExists();
        yield tables(List.of(name()));
      }
      case "INDEX" -> indexTable();
      default -> Touched.NOTHING;
    };
  }

  private Touched drop() {
    String what = objectKeyword();
    if (what == null) {
      return unknown();
    }
    switch (what) {
      case "DATABASE", "SCHEMA" -> {
        skipIfExists();
        return new Touched(Set.of(), Set.of(identifier()), false, true);
      }
      case "INDEX" -> {
        return indexTable();
      }
      case "TABLE", "TABLES", "SEQUENCE" -> {
        skipIfExists();
        List<TableId> names = new ArrayList<>();
        names.add(name());
        while (isSymbol(",")) {
          pos++;
          names.add(name());
        }
        return removing(names);
      }
      default -> {
        return Touched.NOTHING;
      }
    }
  }

  /**
   * Moves past the kind of object a CREATE, ALTER or DROP is about ({@code TABLE}, {@code VIEW}, …)
   * and returns it, skipping what may stand before it ({@code OR REPLACE}, {@code TEMPORARY},
   * {@code ONLINE}, {@code IGNORE}, {@code UNIQUE}, {@code ALGORITHM=x}, {@code DEFINER=u@h},
   * {@code SQL SECURITY x}); null when none comes within the first tokens.
   */
  private String objectKeyword() {
    for (int i = pos; i < tokens.size() && i < pos + 16; i++) {
      if (!quoted.get(i)) {
        String w = tokens.get(i).toUpperCase(Locale.ROOT);
        if (OBJECTS.contains(w) || OTHER_OBJECTS.contains(w)) {
          pos = i + 1;
          return w;
        }
      }
    }
    return null;
  }

  private Touched rename() {
    String what = word();
    if (!"TABLE".equals(what) && !"TABLES".equals(what)) {
      return "USER".equals(what) ? Touched.NOTHING : unknown();
    }
    skipIfExists();
    List<TableId> names = new ArrayList<>();
    do {
      if (isSymbol(",")) {
        pos++;
      }
      names.add(name());
      expect("TO");
      names.add(name());
    } while (isSymbol(","));
    return removing(names);
  }

  /** {@code INDEX name [USING x] ON table}: the table after ON. */
  private Touched indexTable() {
    skipIfExists();
    while (pos < tokens.size() && !isWord("ON")) {
      pos++;
    }
    expect("ON");
    return tables(List.of(name()));
  }

  private Touched tables(List<TableId> names) {
    return new Touched(new LinkedHashSet<>(names), Set.of(), false);
  }

  private Touched removing(List<TableId> names) {
    return new Touched(new LinkedHashSet<>(names), Set.of(), false, true);
  }

  private Touched unknown() {
    return database.isEmpty() ? Touched.EVERYTHING : new Touched(Set.of(), Set.of(database), false);
  }

  // --- token helpers

  /** An identifier, optionally qualified: {@code t}, {@code db.t}, {@code `db`.`t`}. */
  private TableId name() {
    String first = identifier();
    if (isSymbol(".")) {
      pos++;
      return TableId.of(first, identifier());
    }
    return TableId.of(database, first);
  }

  private String identifier() {
    if (pos >= tokens.size()) {
      throw new IllegalStateException("statement ends before a name");
    }
    String t = tokens.get(pos);
    if (!quoted.get(pos) && (t.length() == 1 && !isIdentifierChar(t.charAt(0)))) {
      throw new IllegalStateException("no name at '" + t + "'");
    }
    pos++;
    return t;
  }

  private String word() {
    if (pos >= tokens.size() || quoted.get(pos)) {
      return null;
    }
    return tokens.get(pos++).toUpperCase(Locale.ROOT);
  }

  private boolean isWord(String w) {
    return pos < tokens.size() && !quoted.get(pos) && tokens.get(pos).equalsIgnoreCase(w);
  }

  private boolean isSymbol(String s) {
    return pos < tokens.size() && !quoted.get(pos) && tokens.get(pos).equals(s);
  }

  private void skipAny(String... words) {
    boolean again = true;
    while (again) {
      again = false;
      for (String w : words) {
        if (isWord(w)) {
          pos++;
          again = true;
        }
      }
    }
  }

  private void expect(String w) {
    if (!isWord(w)) {
      throw new IllegalStateException("expected " + w);
    }
    pos++;
  }

  private void skipIfExists() {
    if (isWord("IF")) {
      pos++;
      expect("EXISTS");
    }
  }

  private void skipIfNotExists() {
    if (isWord("IF")) {
      pos++;
      expect("NOT");
      expect("EXISTS");
    }
  }

  private static boolean isIdentifierChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7F;
  }

  /**
   * The statement's tokens in {@link DdlLexer#tokenizeLenient}'s mode: words, quoted identifiers
   * (back quotes or ANSI double quotes; both marked quoted) and one-character symbols; no string
   * literals, no comments, the content of every executable comment.
   */
  private void tokenize(String sql) {
    for (DdlLexer.Token t : DdlLexer.tokenizeLenient(sql)) {
      if (t.kind() == DdlLexer.Kind.END) {
        break;
      }
      tokens.add(t.text());
      quoted.add(t.kind() == DdlLexer.Kind.BACKTICK || t.kind() == DdlLexer.Kind.DOUBLE_QUOTED);
    }
  }
}
