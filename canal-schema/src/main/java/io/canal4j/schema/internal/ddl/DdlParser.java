package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaLoader;
import io.canal4j.schema.internal.ddl.DdlLexer.Kind;
import io.canal4j.schema.internal.ddl.DdlLexer.Token;
import io.canal4j.schema.internal.ddl.DdlTarget.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
  /** First words of statements that never change a table's layout. */
  private static final Set<String> HARMLESS =
      Set.of(
          "ANALYZE",
          "BACKUP",
          "BEGIN",
          "BINLOG",
          "CACHE",
          "CALL",
          "CHANGE",
          "CHECK",
          "CHECKSUM",
          "CLONE",
          "COMMIT",
          "DEALLOCATE",
          "DELETE",
          "DESC",
          "DESCRIBE",
          "DO",
          "EXECUTE",
          "EXPLAIN",
          "FLUSH",
          "GET",
          "GRANT",
          "HANDLER",
          "HELP",
          "INSERT",
          "INSTALL",
          "KILL",
          "LOAD",
          "LOCK",
          "OPTIMIZE",
          "PREPARE",
          "PURGE",
          "RELEASE",
          "REPAIR",
          "REPLACE",
          "RESET",
          "RESIGNAL",
          "RESTART",
          "REVOKE",
          "ROLLBACK",
          "SAVEPOINT",
          "SELECT",
          "SHOW",
          "SHUTDOWN",
          "SIGNAL",
          "START",
          "STOP",
          "TABLE",
          "TRUNCATE",
          "UNINSTALL",
          "UNLOCK",
          "UPDATE",
          "USE",
          "VALUES",
          "WITH",
          "XA");

  /** ALTER TABLE options that name a value and change no column. */
  private static final Set<String> TABLE_OPTIONS =
      Set.of(
          "AUTOEXTEND_SIZE",
          "AUTO_INCREMENT",
          "AVG_ROW_LENGTH",
          "CHECKSUM",
          "COMMENT",
          "COMPRESSION",
          "CONNECTION",
          "DATA",
          "DELAY_KEY_WRITE",
          "ENCRYPTED",
          "ENCRYPTION",
          "ENCRYPTION_KEY_ID",
          "ENGINE",
          "ENGINE_ATTRIBUTE",
          "IETF_QUOTES",
          "INDEX",
          "INSERT_METHOD",
          "KEY_BLOCK_SIZE",
          "MAX_ROWS",
          "MIN_ROWS",
          "PACK_KEYS",
          "PAGE_CHECKSUM",
          "PAGE_COMPRESSED",
          "PAGE_COMPRESSION_LEVEL",
          "PASSWORD",
          "ROW_FORMAT",
          "SECONDARY_ENGINE",
          "SECONDARY_ENGINE_ATTRIBUTE",
          "SEQUENCE",
          "STATS_AUTO_RECALC",
          "STATS_PERSISTENT",
          "STATS_SAMPLE_PAGES",
          "TABLESPACE",
          "TABLE_CHECKSUM",
          "TRANSACTIONAL",
          "UNION",
          "ALGORITHM",
          "LOCK");

  /** ALTER TABLE specifications about partitions: they end the statement's column changes. */
  private static final Set<String> PARTITION_SPECS =
      Set.of(
          "PARTITION",
          "COALESCE",
          "REORGANIZE",
          "EXCHANGE",
          "ANALYZE",
          "CHECK",
          "OPTIMIZE",
          "REBUILD",
          "REPAIR",
          "REMOVE",
          "TRUNCATE",
          "UPGRADE");

  /** Words that start an ALTER TABLE specification (to tell them from ORDER BY columns). */
  private static final Set<String> SPEC_WORDS =
      Set.of(
          "ADD",
          "DROP",
          "MODIFY",
          "CHANGE",
          "RENAME",
          "ALTER",
          "CONVERT",
          "DEFAULT",
          "CHARACTER",
          "CHARSET",
          "COLLATE",
          "FORCE",
          "ORDER",
          "ENABLE",
          "DISABLE",
          "DISCARD",
          "IMPORT",
          "WITH",
          "WITHOUT");

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
    private final String database;
    private final String sql;
    private final DdlStaging staging;
    private final List<Token> tokens;
    private final List<String> periodColumns = new ArrayList<>();
    private int pos;

    Run(String database, String sql, DdlStaging staging) {
      this.database = database;
      this.sql = sql;
      this.staging = staging;
      this.tokens = DdlLexer.tokenize(sql, flavor, serverVersion);
    }

    List<TableId> statement() {
      Token first = peek();
      if (first.kind() == Kind.END || first.isSymbol('(') || first.isSymbol(';')) {
        return List.of();
      }
      if (first.kind() != Kind.WORD) {
        throw error("a statement");
      }
      String w = upper(next());
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
          if (accept("STATEMENT")) {
            while (!at("FOR")) {
              if (peek().kind() == Kind.END) {
                throw error("FOR");
              }
              skipOne();
            }
            pos++;
            return statement();
          }
          return List.of();
        default:
          if (HARMLESS.contains(w)) {
            return List.of();
          }
          pos--;
          throw error("a known statement");
      }
    }

    // --- CREATE

    private List<TableId> create() {
      boolean orReplace = false;
      if (accept("OR")) {
        expect("REPLACE");
        orReplace = true;
      }
      if (accept("TEMPORARY")) {
        return List.of(); // never logged in row format, and its rows never are
      }
      if (accept("TABLE")) {
        return createTable(orReplace);
      }
      if (accept("DATABASE") || accept("SCHEMA")) {
        acceptIfNotExists();
        String db = name();
        databaseOptions(db);
        return List.of();
      }
      if (accept("SEQUENCE")) {
        acceptIfNotExists();
        TableId id = tableName();
        staging.unknown(id);
        return List.of(id);
      }
      return List.of(); // views, triggers, routines, events, users, roles, indexes, servers...
    }

    private List<TableId> createTable(boolean orReplace) {
      boolean ifNotExists = acceptIfNotExists();
      TableId id = tableName();
      Table existing = staging.get(id);
      if (ifNotExists && !orReplace && existing != null) {
        return List.of();
      }
      if (ifNotExists && !orReplace && staging.mayExist(id)) {
        skipRest(); // may or may not exist on the server: whatever it is, it is read when needed
        staging.unknown(id);
        return List.of(id);
      }
      if (at("LIKE") || (peek().isSymbol('(') && peek(1).isWord("LIKE"))) {
        boolean parens = acceptSymbol('(');
        expect("LIKE");
        TableId source = tableName();
        if (parens) {
          expectSymbol(')');
        }
        expectEnd();
        Table from = staging.get(source);
        if (from == null) {
          staging.unknown(id);
        } else {
          staging.put(new Table(renamed(from.schema(), id), from.charset()));
        }
        return List.of(id);
      }
      List<DdlColumnDef> defs = new ArrayList<>();
      List<String> primaryKey = new ArrayList<>();
      boolean query = false;
      if (peek().isSymbol('(') && (peek(1).isWord("SELECT") || peek(1).isWord("WITH"))) {
        query = true;
      } else if (acceptSymbol('(')) {
        do {
          createElement(defs, primaryKey);
        } while (acceptSymbol(','));
        expectSymbol(')');
      }
      TableOptions options = query ? new TableOptions() : tableOptions();
      query |= options.query;
      if (query || options.versioning || defs.isEmpty()) {
        // CREATE ... SELECT in statement format, or system versioning: not derivable here.
        staging.unknown(id);
        return List.of(id);
      }
      String charset = options.charset(id.database());
      for (DdlColumnDef d : defs) {
        if (periodColumns.stream().anyMatch(d.name::equalsIgnoreCase)) {
          d.notNull = true;
        }
        if (d.unsupportedType != null) {
          staging.unknown(id);
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
                .orElseThrow(() -> error("primary key column " + k + " to be a column of " + id));
        key.add(d.name);
      }
      for (DdlColumnDef d : defs) {
        boolean inKey = key.stream().anyMatch(d.name::equalsIgnoreCase);
        columns.add(d.toColumn(columns.size(), charset, inKey, flavor, serverVersion));
      }
      staging.put(new Table(new TableSchema(id, columns, key), charset));
      return List.of(id);
    }

    /** One element of CREATE TABLE's parentheses: a column or a constraint. */
    private void createElement(List<DdlColumnDef> defs, List<String> primaryKey) {
      Token t = peek();
      if (t.kind() == Kind.WORD) {
        switch (upper(t)) {
          case "CONSTRAINT" -> {
            pos++;
            if (!at("PRIMARY") && !at("UNIQUE") && !at("FOREIGN") && !at("CHECK")) {
              name();
            }
            if (at("PRIMARY")) {
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
            if (peek(1).isWord("FOR")) {
              periodColumns.addAll(period());
              return;
            }
          }
          default -> {}
        }
      }
      defs.add(columnDefinition());
    }

    /** MariaDB's PERIOD FOR name (start, end): its two columns, which become NOT NULL. */
    private List<String> period() {
      expect("PERIOD");
      expect("FOR");
      name();
      expectSymbol('(');
      String start = name();
      expectSymbol(',');
      String end = name();
      expectSymbol(')');
      return List.of(start, end);
    }

    /** PRIMARY KEY [name] [USING type] (key parts) [index options]: the key's column names. */
    private List<String> primaryKeyConstraint() {
      expect("PRIMARY");
      expect("KEY");
      while (!peek().isSymbol('(')) {
        if (peek().kind() == Kind.END) {
          throw error("the primary key's columns");
        }
        pos++;
      }
      List<String> columns = keyParts();
      skipElement();
      return columns;
    }

    private List<String> keyParts() {
      expectSymbol('(');
      List<String> columns = new ArrayList<>();
      do {
        columns.add(name());
        if (acceptSymbol('(')) {
          number();
          expectSymbol(')');
        }
        if (!accept("ASC")) {
          accept("DESC");
        }
      } while (acceptSymbol(','));
      expectSymbol(')');
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
        return databaseCharset(db);
      }
    }

    /**
     * The table options and partition clauses after CREATE TABLE's parentheses, up to the end or a
     * query; only the default charset and collation matter.
     */
    private TableOptions tableOptions() {
      TableOptions o = new TableOptions();
      while (true) {
        Token t = peek();
        if (t.kind() == Kind.END) {
          return o;
        }
        if (t.isSymbol('(')) {
          if (peek(1).isWord("SELECT") || peek(1).isWord("WITH")) {
            o.query = true;
            return o;
          }
          skipBalanced();
          continue;
        }
        if (t.kind() != Kind.WORD) {
          pos++;
          continue;
        }
        switch (upper(t)) {
          case "CHARACTER", "CHAR" -> {
            pos++;
            if (accept("SET")) {
              acceptSymbol('=');
              o.charset = charsetName();
            }
          }
          case "CHARSET" -> {
            pos++;
            acceptSymbol('=');
            o.charset = charsetName();
          }
          case "COLLATE" -> {
            pos++;
            acceptSymbol('=');
            o.collated = true;
            o.collationCharset = collation();
          }
          case "SELECT", "AS", "IGNORE", "REPLACE", "VALUES", "TABLE" -> {
            o.query = true;
            return o;
          }
          case "WITH" -> {
            if (peek(1).isWord("SYSTEM")) {
              o.versioning = true;
              pos += 2;
            } else {
              o.query = true;
              return o;
            }
          }
          default -> pos++;
        }
      }
    }

    // --- column definitions

    private DdlColumnDef columnDefinition() {
      DdlColumnDef d = new DdlColumnDef();
      d.name = name();
      dataType(d);
      columnAttributes(d);
      return d;
    }

    private void dataType(DdlColumnDef d) {
      Token t = peek();
      if (t.kind() != Kind.WORD) {
        throw error("a data type for column " + d.name);
      }
      pos++;
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
            accept("PRECISION");
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
          d.type = accept("VARYING") ? "varchar" : "char";
          optionalLength(d);
        }
        case "NCHAR" -> {
          d.charset = charsets.charset("utf8");
          d.type =
              accept("VARCHAR") || accept("VARCHARACTER") || accept("VARYING") ? "varchar" : "char";
          optionalLength(d);
        }
        case "NATIONAL" -> {
          d.charset = charsets.charset("utf8");
          if (accept("CHAR") || accept("CHARACTER")) {
            d.type = accept("VARYING") ? "varchar" : "char";
          } else if (accept("VARCHAR") || accept("VARCHARACTER")) {
            d.type = "varchar";
          } else {
            throw error("CHAR or VARCHAR after NATIONAL");
          }
          optionalLength(d);
        }
        case "NVARCHAR" -> {
          d.charset = charsets.charset("utf8");
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
          if (accept("VARBINARY")) {
            d.type = "mediumblob";
          } else {
            if (!accept("VARCHAR")) {
              accept("VARCHARACTER");
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
          if (peek().isSymbol('(')) {
            skipBalanced();
          }
        }
        default -> {
          pos--;
          throw error("a data type for column " + d.name);
        }
      }
    }

    private void integer(DdlColumnDef d, String type) {
      d.type = type;
      optionalLength(d);
    }

    private void optionalLength(DdlColumnDef d) {
      if (acceptSymbol('(')) {
        d.length = number();
        expectSymbol(')');
      }
    }

    private void optionalPrecision(DdlColumnDef d) {
      if (acceptSymbol('(')) {
        d.length = number();
        if (acceptSymbol(',')) {
          d.decimals = (int) number();
        }
        expectSymbol(')');
      }
    }

    private void labels(DdlColumnDef d) {
      expectSymbol('(');
      do {
        if (peek().kind() == Kind.WORD
            && peek().text().startsWith("_")
            && peek(1).kind() == Kind.STRING) {
          pos++; // a charset introducer
        }
        Token t = peek();
        if (!t.isString()) {
          throw error("a quoted label of " + d.type.toUpperCase(Locale.ROOT) + " " + d.name);
        }
        pos++;
        d.labels.add(t.text());
      } while (acceptSymbol(','));
      expectSymbol(')');
    }

    /** Everything after a column's type, up to the next ',' or ')' or a FIRST/AFTER clause. */
    private void columnAttributes(DdlColumnDef d) {
      while (true) {
        Token t = peek();
        if (t.kind() == Kind.END || t.isSymbol(',') || t.isSymbol(')')) {
          return;
        }
        if (t.kind() != Kind.WORD) {
          skipOne();
          continue;
        }
        switch (upper(t)) {
          case "FIRST", "AFTER" -> {
            return;
          }
          case "NOT" -> {
            pos++;
            if (accept("NULL")) {
              d.notNull = true;
            }
          }
          case "NULL" -> pos++;
          case "DEFAULT" -> {
            pos++;
            expression();
          }
          case "ON" -> {
            pos++;
            expect("UPDATE");
            expression();
          }
          case "AUTO_INCREMENT" -> {
            pos++;
            d.notNull = true;
          }
          case "UNIQUE" -> {
            pos++;
            accept("KEY");
          }
          case "PRIMARY" -> {
            pos++;
            expect("KEY");
            d.primaryKey = true;
          }
          case "KEY" -> {
            pos++;
            d.primaryKey = true;
          }
          case "COMMENT" -> {
            pos++;
            acceptSymbol('=');
            pos++;
          }
          case "COLLATE" -> {
            pos++;
            d.collationCharset = collation();
          }
          case "CHARACTER", "CHAR" -> {
            pos++;
            expect("SET");
            d.charset = charsetName();
          }
          case "CHARSET" -> {
            pos++;
            d.charset = charsetName();
          }
          case "ASCII" -> {
            pos++;
            d.charset = "latin1";
          }
          case "UNICODE" -> {
            pos++;
            d.charset = "ucs2";
          }
          case "BYTE" -> {
            pos++;
            d.charset = "binary";
          }
          case "UNSIGNED" -> {
            pos++;
            d.unsigned = true;
          }
          case "ZEROFILL" -> {
            pos++;
            d.zerofill = true;
          }
          case "GENERATED" -> {
            pos++;
            expect("ALWAYS");
          }
          case "AS" -> {
            pos++;
            if (!peek().isSymbol('(')) {
              throw error("the parenthesised expression of generated column " + d.name);
            }
            skipBalanced();
          }
          case "SRID" -> {
            pos++;
            number();
          }
          case "CONSTRAINT" -> {
            pos++;
            if (!at("CHECK")) {
              name();
            }
          }
          case "CHECK" -> {
            pos++;
            skipBalanced();
          }
          case "REFERENCES" -> references();
          case "SERIAL" -> {
            pos++;
            expect("DEFAULT");
            expect("VALUE");
            d.notNull = true;
          }
          case "COLUMN_FORMAT", "STORAGE" -> pos += 2;
          default -> skipOne(); // BINARY, SIGNED, VISIBLE, STORED, COMPRESSED, ...
        }
      }
    }

    /** A DEFAULT or ON UPDATE value: a literal, a name, a function call or ( expression ). */
    private void expression() {
      if (peek().isSymbol('(')) {
        skipBalanced();
        return;
      }
      while (peek().isSymbol('-') || peek().isSymbol('+') || peek().isSymbol('.')) {
        pos++;
      }
      Token v = peek();
      if (v.kind() == Kind.END || v.isSymbol(',') || v.isSymbol(')')) {
        throw error("a value");
      }
      pos++;
      if (v.kind() == Kind.WORD && peek().kind() == Kind.STRING) {
        pos++; // _utf8mb4'x', N'x', X'0F', b'1', DATE '2020-01-01'
      }
      if (peek().isSymbol('(')) {
        skipBalanced();
      }
    }

    private void references() {
      expect("REFERENCES");
      tableName();
      if (peek().isSymbol('(')) {
        skipBalanced();
      }
      while (true) {
        if (accept("MATCH")) {
          pos++;
        } else if (at("ON") && (peek(1).isWord("DELETE") || peek(1).isWord("UPDATE"))) {
          pos += 2;
          if (accept("SET") || accept("NO")) {
            pos++;
          } else {
            pos++; // RESTRICT, CASCADE
          }
        } else {
          return;
        }
      }
    }

    // --- ALTER

    private List<TableId> alter() {
      while (accept("ONLINE") || accept("OFFLINE") || accept("IGNORE")) {
        // no layout effect
      }
      if (accept("TABLE")) {
        return alterTable();
      }
      if (accept("DATABASE") || accept("SCHEMA")) {
        String db = database;
        Token t = peek();
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
          db = name();
        }
        databaseOptions(db);
        return List.of();
      }
      if (accept("SEQUENCE")) {
        acceptIfExists();
        TableId id = tableName();
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
      acceptIfExists();
      TableId named = tableName();
      if (accept("WAIT")) {
        number();
      } else {
        accept("NOWAIT");
      }
      Alter a = new Alter(named);
      while (peek().kind() != Kind.END) {
        if (alterSpec(a)) {
          break;
        }
        acceptSymbol(',');
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
            "ALTER TABLE " + id + " cannot be applied: " + e.getMessage() + ": " + excerpt(0));
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
      Token t = peek();
      if (t.kind() != Kind.WORD) {
        throw error("an ALTER TABLE specification");
      }
      int specStart = pos;
      String w = upper(next());
      switch (w) {
        case "ADD" -> {
          return addSpec(a);
        }
        case "DROP" -> {
          return dropSpec(a);
        }
        case "MODIFY" -> {
          accept("COLUMN");
          boolean ifExists = acceptIfExists();
          DdlColumnDef d = columnDefinition();
          position(d);
          unsupported(a, d);
          a.specs.add(x -> x.change(d.name, d, ifExists, ex(specStart)));
        }
        case "CHANGE" -> {
          accept("COLUMN");
          boolean ifExists = acceptIfExists();
          String old = name();
          DdlColumnDef d = columnDefinition();
          position(d);
          unsupported(a, d);
          a.specs.add(x -> x.change(old, d, ifExists, ex(specStart)));
        }
        case "RENAME" -> {
          if (accept("COLUMN")) {
            String from = name();
            expect("TO");
            String to = name();
            a.specs.add(x -> x.renameColumn(from, to, ex(specStart)));
          } else if (accept("INDEX") || accept("KEY")) {
            name();
            expect("TO");
            name();
          } else {
            if (!accept("TO")) {
              accept("AS");
            }
            a.renameTo = tableName();
          }
        }
        case "ALTER" -> {
          if (accept("INDEX") || accept("KEY") || accept("CHECK") || accept("CONSTRAINT")) {
            name();
          } else {
            accept("COLUMN");
            acceptIfExists(); // MariaDB
            String column = name();
            if (accept("SET")) {
              if (accept("DEFAULT")) {
                expression();
              } else {
                pos++; // VISIBLE, INVISIBLE
              }
            } else if (accept("DROP")) {
              expect("DEFAULT");
            } else {
              throw error("SET or DROP after ALTER COLUMN " + column);
            }
            return false;
          }
          skipSpec();
        }
        case "CONVERT" -> {
          expect("TO");
          if (accept("CHARACTER") || accept("CHAR")) {
            expect("SET");
          } else {
            expect("CHARSET");
          }
          String cs = accept("DEFAULT") ? databaseCharset(a.table.database()) : charsetName();
          if (accept("COLLATE")) {
            collation();
          }
          if (cs.equals("binary")) {
            a.unknownLayout = true;
          }
          a.convertTo = cs;
          a.charset = cs;
        }
        case "DEFAULT" -> {
          if (at("CHARACTER") || at("CHARSET") || at("CHAR") || at("COLLATE")) {
            return alterSpec(a);
          }
          tableOption(); // DEFAULT ENCRYPTION ...
        }
        case "CHARACTER", "CHAR" -> {
          expect("SET");
          acceptSymbol('=');
          a.charset = charsetName();
        }
        case "CHARSET" -> {
          acceptSymbol('=');
          a.charset = charsetName();
        }
        case "COLLATE" -> {
          acceptSymbol('=');
          a.collated = true;
          String cs = collation();
          if (cs != null) {
            a.collationCharset = cs;
          }
        }
        case "FORCE" -> {}
        case "ENABLE", "DISABLE" -> expect("KEYS");
        case "DISCARD", "IMPORT" -> {
          if (accept("PARTITION")) {
            return true;
          }
          expect("TABLESPACE");
        }
        case "WITH", "WITHOUT" -> {
          if (accept("SYSTEM")) {
            expect("VERSIONING");
            a.unknownLayout = true;
          } else {
            expect("VALIDATION");
          }
        }
        case "ORDER" -> {
          expect("BY");
          do {
            name();
            if (!accept("ASC")) {
              accept("DESC");
            }
          } while (peek().isSymbol(',')
              && peek(1).kind() != Kind.END
              && !(peek(1).kind() == Kind.WORD && SPEC_WORDS.contains(upper(peek(1))))
              && acceptSymbol(','));
        }
        default -> {
          if (PARTITION_SPECS.contains(w)) {
            return true;
          }
          if (TABLE_OPTIONS.contains(w)) {
            pos--;
            tableOption();
            return false;
          }
          pos = specStart;
          throw error("an ALTER TABLE specification");
        }
      }
      return false;
    }

    private boolean addSpec(Alter a) {
      int specStart = pos - 1;
      Token t = peek();
      if (t.kind() == Kind.WORD) {
        switch (upper(t)) {
          case "INDEX", "KEY", "UNIQUE", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK" -> {
            skipSpec();
            return false;
          }
          case "PERIOD" -> {
            acceptIfNotExists();
            List<String> columns = period();
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
            pos++;
            acceptIfNotExists();
            if (!at("PRIMARY") && !at("UNIQUE") && !at("FOREIGN") && !at("CHECK")) {
              name();
            }
            if (at("PRIMARY")) {
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
      accept("COLUMN");
      boolean ifNotExists = acceptIfNotExists();
      if (acceptSymbol('(')) {
        List<DdlColumnDef> defs = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        do {
          int before = defs.size();
          createElement(defs, keys);
          if (defs.size() == before) {
            throw error("a column definition");
          }
        } while (acceptSymbol(','));
        expectSymbol(')');
        for (DdlColumnDef d : defs) {
          unsupported(a, d);
          a.specs.add(x -> x.add(d, ifNotExists, ex(specStart)));
        }
        return false;
      }
      DdlColumnDef d = columnDefinition();
      position(d);
      unsupported(a, d);
      a.specs.add(x -> x.add(d, ifNotExists, ex(specStart)));
      return false;
    }

    private void addPrimaryKey(Alter a, int specStart) {
      expect("PRIMARY");
      expect("KEY");
      acceptIfNotExists();
      while (!peek().isSymbol('(')) {
        if (peek().kind() == Kind.END) {
          throw error("the primary key's columns");
        }
        pos++;
      }
      List<String> columns = keyParts();
      skipSpec();
      a.specs.add(x -> x.primaryKey(columns, ex(specStart)));
    }

    private boolean dropSpec(Alter a) {
      int specStart = pos - 1;
      Token t = peek();
      if (t.kind() == Kind.WORD) {
        switch (upper(t)) {
          case "PRIMARY" -> {
            pos++;
            expect("KEY");
            a.specs.add(x -> x.primaryKey(List.of(), ex(specStart)));
            return false;
          }
          case "INDEX", "KEY", "CONSTRAINT" -> {
            pos++;
            acceptIfExists();
            if (name().equalsIgnoreCase("PRIMARY")) {
              a.specs.add(x -> x.primaryKey(List.of(), ex(specStart)));
            }
            return false;
          }
          case "FOREIGN" -> {
            pos++;
            expect("KEY");
            acceptIfExists();
            name();
            return false;
          }
          case "CHECK" -> {
            pos++;
            acceptIfExists();
            name();
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
      accept("COLUMN");
      boolean ifExists = acceptIfExists();
      String column = name();
      accept("RESTRICT");
      accept("CASCADE");
      a.specs.add(x -> x.drop(column, ifExists, ex(specStart)));
      return false;
    }

    /** FIRST or AFTER column, after a column definition in ALTER TABLE. */
    private void position(DdlColumnDef d) {
      if (accept("FIRST")) {
        d.after = "";
      } else if (accept("AFTER")) {
        d.after = name();
      }
    }

    private void unsupported(Alter a, DdlColumnDef d) {
      if (d.unsupportedType != null) {
        a.unknownLayout = true;
      }
    }

    /** A table option in ALTER TABLE: name [=] value. */
    private void tableOption() {
      String w = upper(next());
      if (w.equals("DATA") || w.equals("INDEX")) {
        expect("DIRECTORY");
      }
      acceptSymbol('=');
      if (peek().isSymbol('(')) {
        skipBalanced();
      } else {
        skipOne();
      }
      if (w.equals("TABLESPACE") && accept("STORAGE")) {
        pos++;
      }
    }

    /** Skips to the next ',' or the end outside parentheses. */
    private void skipSpec() {
      int depth = 0;
      while (true) {
        Token t = peek();
        if (t.kind() == Kind.END || (depth == 0 && t.isSymbol(','))) {
          return;
        }
        if (t.isSymbol('(')) {
          depth++;
        } else if (t.isSymbol(')')) {
          depth--;
        }
        pos++;
      }
    }

    /** Skips to the next ',' or ')' outside parentheses (one element of CREATE TABLE's list). */
    private void skipElement() {
      int depth = 0;
      while (true) {
        Token t = peek();
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
        pos++;
      }
    }

    // --- DROP, RENAME, databases

    private List<TableId> drop() {
      if (accept("TEMPORARY")) {
        return List.of();
      }
      if (accept("TABLE") || accept("TABLES") || accept("SEQUENCE")) {
        acceptIfExists();
        List<TableId> names = new ArrayList<>();
        do {
          names.add(tableName());
        } while (acceptSymbol(','));
        if (accept("WAIT")) {
          number();
        } else {
          accept("NOWAIT");
        }
        if (!accept("RESTRICT")) {
          accept("CASCADE");
        }
        expectEnd();
        List<TableId> dropped = new ArrayList<>();
        for (TableId n : names) {
          Table known = staging.get(n);
          TableId id = known == null ? n : known.schema().id();
          staging.remove(id);
          dropped.add(id);
        }
        return dropped;
      }
      if (accept("DATABASE") || accept("SCHEMA")) {
        acceptIfExists();
        String db = name();
        expectEnd();
        staging.dropDatabase(db);
        return List.of();
      }
      return List.of(); // indexes, views, triggers, routines, users...
    }

    private List<TableId> rename() {
      if (!accept("TABLE") && !accept("TABLES")) {
        return List.of(); // RENAME USER
      }
      acceptIfExists();
      List<TableId[]> pairs = new ArrayList<>();
      do {
        TableId from = tableName();
        expect("TO");
        TableId to = tableName();
        pairs.add(new TableId[] {from, to});
        if (accept("WAIT")) {
          number();
        } else {
          accept("NOWAIT");
        }
      } while (acceptSymbol(','));
      expectEnd();
      List<TableId> changed = new ArrayList<>();
      for (TableId[] p : pairs) {
        Table known = staging.get(p[0]);
        TableId from = known == null ? p[0] : known.schema().id();
        staging.remove(from);
        if (known == null) {
          staging.unknown(p[1]);
        } else {
          staging.put(new Table(renamed(known.schema(), p[1]), known.charset()));
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
      while (peek().kind() != Kind.END) {
        if (accept("CHARACTER") || accept("CHAR")) {
          expect("SET");
          acceptSymbol('=');
          charset = charsetName();
        } else if (accept("CHARSET")) {
          acceptSymbol('=');
          charset = charsetName();
        } else if (accept("COLLATE")) {
          acceptSymbol('=');
          String cs = collation();
          if (cs != null) {
            collationCharset = cs;
          }
        } else {
          skipOne();
        }
      }
      String cs = charset != null ? charset : collationCharset;
      if (cs != null) {
        if (db.isEmpty()) {
          throw error("a database name (no default database)");
        }
        staging.databaseCharset(db, cs);
      }
    }

    private String databaseCharset(String db) {
      if (db == null || db.isEmpty()) {
        throw error("a database (no default database)");
      }
      String cs = staging.databaseCharset(db);
      if (cs == null) {
        throw new DdlException(
            "the default character set of database " + db + " is not known: " + excerpt(pos));
      }
      String known = charsets.charset(cs);
      return known == null ? cs : known;
    }

    // --- names and charsets

    private TableId tableName() {
      String first = name();
      if (acceptSymbol('.')) {
        return TableId.of(first, name());
      }
      if (database.isEmpty()) {
        pos--;
        throw error("a database-qualified name (no default database) for table " + first);
      }
      return TableId.of(database, first);
    }

    private String name() {
      Token t = peek();
      if (!t.isName()) {
        throw error("a name");
      }
      pos++;
      return t.text();
    }

    private String charsetName() {
      Token t = peek();
      if (!t.isName() && t.kind() != Kind.STRING) {
        throw error("a character set name");
      }
      String cs = charsets.charset(t.text());
      if (cs == null) {
        throw error("a known character set");
      }
      pos++;
      return cs;
    }

    /** A collation name; returns its charset, or null for a MariaDB charset-independent one. */
    private String collation() {
      Token t = peek();
      if (!t.isName() && t.kind() != Kind.STRING) {
        throw error("a collation name");
      }
      pos++;
      return charsets.charsetOfCollation(t.text());
    }

    private long number() {
      Token t = peek();
      if (t.kind() != Kind.NUMBER || t.text().contains(".")) {
        throw error("a whole number");
      }
      pos++;
      try {
        return Long.parseLong(t.text());
      } catch (NumberFormatException e) {
        pos--;
        throw error("a smaller number");
      }
    }

    // --- token helpers

    private Token peek() {
      return tokens.get(Math.min(pos, tokens.size() - 1));
    }

    private Token peek(int ahead) {
      return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private Token next() {
      Token t = peek();
      if (t.kind() != Kind.END) {
        pos++;
      }
      return t;
    }

    private boolean at(String keyword) {
      return peek().isWord(keyword);
    }

    private boolean accept(String keyword) {
      if (at(keyword)) {
        pos++;
        return true;
      }
      return false;
    }

    private void expect(String keyword) {
      if (!accept(keyword)) {
        throw error(keyword);
      }
    }

    private boolean acceptSymbol(char c) {
      if (peek().isSymbol(c)) {
        pos++;
        return true;
      }
      return false;
    }

    private void expectSymbol(char c) {
      if (!acceptSymbol(c)) {
        throw error("'" + c + "'");
      }
    }

    private void expectEnd() {
      acceptSymbol(';');
      if (peek().kind() != Kind.END) {
        throw error("the end of the statement");
      }
    }

    private boolean acceptIfExists() {
      if (at("IF") && peek(1).isWord("EXISTS")) {
        pos += 2;
        return true;
      }
      return false;
    }

    private boolean acceptIfNotExists() {
      if (at("IF") && peek(1).isWord("NOT") && peek(2).isWord("EXISTS")) {
        pos += 3;
        return true;
      }
      return false;
    }

    /** Skips to the end of the statement (balanced parentheses only). */
    private void skipRest() {
      while (peek().kind() != Kind.END) {
        skipOne();
      }
    }

    /** Skips one token, or a whole parenthesised group. */
    private void skipOne() {
      if (peek().isSymbol('(')) {
        skipBalanced();
      } else {
        next();
      }
    }

    /** Skips from '(' to its matching ')'. */
    private void skipBalanced() {
      expectSymbol('(');
      int depth = 1;
      while (depth > 0) {
        Token t = next();
        if (t.kind() == Kind.END) {
          throw error("')'");
        }
        if (t.isSymbol('(')) {
          depth++;
        } else if (t.isSymbol(')')) {
          depth--;
        }
      }
    }

    private String upper(Token t) {
      return t.text().toUpperCase(Locale.ROOT);
    }

    /** A supplier of errors at a specification, for faults found when it is applied. */
    private java.util.function.Function<String, DdlException> ex(int at) {
      return message -> new DdlException(message + ": " + excerpt(at));
    }

    private String excerpt(int tokenIndex) {
      return DdlLexer.excerpt(sql, tokens.get(Math.min(tokenIndex, tokens.size() - 1)).start());
    }

    private DdlException error(String expected) {
      Token t = peek();
      String found = t.kind() == Kind.END ? "the end of the statement" : "'" + t.text() + "'";
      return new DdlException(
          "expected "
              + expected
              + " but found "
              + found
              + " at position "
              + t.start()
              + ": "
              + excerpt(pos));
    }
  }

  static TableSchema renamed(TableSchema schema, TableId id) {
    return new TableSchema(id, schema.columns(), schema.primaryKey());
  }

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

  static boolean isTextual(Column c) {
    return c.charset() != null && c.type() != ColumnType.JSON;
  }
}
