package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.Flavor;
import java.util.ArrayList;
import java.util.List;

/**
 * One statement being parsed: its default database, its tokens, the changes it stages and the
 * server it is read for. Handed to each statement parser.
 */
final class DdlStatement {
  /** The statement's default database; empty when it has none. */
  final String database;

  final DdlStaging staging;
  final TokenCursor in;
  final Flavor flavor;
  final int serverVersion;
  final DdlCharsets charsets;

  /** The columns of CREATE TABLE's PERIOD FOR clauses, which become NOT NULL. */
  final List<String> periodColumns = new ArrayList<>();

  DdlStatement(
      String database,
      String sql,
      DdlStaging staging,
      Flavor flavor,
      int serverVersion,
      DdlCharsets charsets) {
    this.database = database;
    this.staging = staging;
    this.flavor = flavor;
    this.serverVersion = serverVersion;
    this.charsets = charsets;
    this.in =
        new TokenCursor(sql, DdlLexer.tokenize(sql, flavor, serverVersion), database, charsets);
  }

  /** The default charset of database {@code db}, as known to this statement. */
  String databaseCharset(String db) {
    if (db == null || db.isEmpty()) {
      throw in.error("a database (no default database)");
    }
    String cs = staging.databaseCharset(db);
    if (cs == null) {
      throw new DdlException(
          "the default character set of database " + db + " is not known: " + in.excerpt(in.pos()));
    }
    String known = charsets.charset(cs);
    return known == null ? cs : known;
  }
}
