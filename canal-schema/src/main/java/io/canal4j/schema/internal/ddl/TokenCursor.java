package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.TableId;
import io.canal4j.schema.internal.ddl.DdlLexer.Kind;
import io.canal4j.schema.internal.ddl.DdlLexer.Token;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The position in one statement's tokens, shared by the statement parsers: it looks ahead, accepts
 * or expects keywords and symbols, skips what does not matter, reads the names, table names,
 * character sets, collations and whole numbers a statement is made of, and builds the errors that
 * quote the statement where it could not be understood.
 *
 * <p>The position may run past the {@link Kind#END} token (some parsers step over a token without
 * looking at it); {@link #peek} then keeps returning the END token.
 */
final class TokenCursor {
  private final String sql;
  private final List<Token> tokens;
  private final String database;
  private final DdlCharsets charsets;
  private int pos;

  /**
   * @param database the statement's default database, for table names without one; may be empty
   * @param charsets null for a cursor that reads no character set or collation ({@link DdlScope})
   */
  TokenCursor(String sql, List<Token> tokens, String database, DdlCharsets charsets) {
    this.sql = sql;
    this.tokens = tokens;
    this.database = database;
    this.charsets = charsets;
  }

  // --- the position

  /** The index of the current token. */
  int pos() {
    return pos;
  }

  /** Goes back to a position returned by {@link #pos}. */
  void reset(int to) {
    pos = to;
  }

  /** Steps over the current token, whatever it is (the END token too). */
  void advance() {
    pos++;
  }

  void advance(int count) {
    pos += count;
  }

  /** Steps back one token. */
  void back() {
    pos--;
  }

  // --- names and charsets

  TableId tableName() {
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

  String name() {
    Token t = peek();
    if (!t.isName()) {
      throw error("a name");
    }
    pos++;
    return t.text();
  }

  String charsetName() {
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
  String collation() {
    Token t = peek();
    if (!t.isName() && t.kind() != Kind.STRING) {
      throw error("a collation name");
    }
    pos++;
    return charsets.charsetOfCollation(t.text());
  }

  long number() {
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

  Token peek() {
    return tokens.get(Math.min(pos, tokens.size() - 1));
  }

  Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  Token next() {
    Token t = peek();
    if (t.kind() != Kind.END) {
      pos++;
    }
    return t;
  }

  boolean at(String keyword) {
    return peek().isWord(keyword);
  }

  boolean accept(String keyword) {
    if (at(keyword)) {
      pos++;
      return true;
    }
    return false;
  }

  void expect(String keyword) {
    if (!accept(keyword)) {
      throw error(keyword);
    }
  }

  boolean acceptSymbol(char c) {
    if (peek().isSymbol(c)) {
      pos++;
      return true;
    }
    return false;
  }

  void expectSymbol(char c) {
    if (!acceptSymbol(c)) {
      throw error("'" + c + "'");
    }
  }

  void expectEnd() {
    acceptSymbol(';');
    if (peek().kind() != Kind.END) {
      throw error("the end of the statement");
    }
  }

  boolean acceptIfExists() {
    if (at("IF") && peek(1).isWord("EXISTS")) {
      pos += 2;
      return true;
    }
    return false;
  }

  boolean acceptIfNotExists() {
    if (at("IF") && peek(1).isWord("NOT") && peek(2).isWord("EXISTS")) {
      pos += 3;
      return true;
    }
    return false;
  }

  /** Skips to the end of the statement (balanced parentheses only). */
  void skipRest() {
    while (peek().kind() != Kind.END) {
      skipOne();
    }
  }

  /** Skips one token, or a whole parenthesised group. */
  void skipOne() {
    if (peek().isSymbol('(')) {
      skipBalanced();
    } else {
      next();
    }
  }

  /** Skips from '(' to its matching ')'. */
  void skipBalanced() {
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

  static String upper(Token t) {
    return t.text().toUpperCase(Locale.ROOT);
  }

  // --- the lenient reading of DdlScope, which must not fail where the parsers would

  boolean atEnd() {
    return peek().kind() == Kind.END;
  }

  /**
   * The current token upper-cased, stepping over it, if it is an unquoted word; null, without
   * moving, otherwise.
   */
  String word() {
    Token t = peek();
    if (t.kind() != Kind.WORD) {
      return null;
    }
    pos++;
    return upper(t);
  }

  /** Like {@link #name}, but a number is taken as a name too. */
  String lenientName() {
    if (peek().kind() == Kind.NUMBER) {
      return next().text();
    }
    return name();
  }

  /**
   * {@code [db.]name}, like {@link #tableName} but with {@link #lenientName}s, and without a
   * default database a name without one is in database {@code ""}.
   */
  TableId lenientTableName() {
    String first = lenientName();
    if (acceptSymbol('.')) {
      return TableId.of(first, lenientName());
    }
    return TableId.of(database, first);
  }

  /** Skips any run of these keywords, in any order. */
  void skipWords(String... keywords) {
    while (Arrays.stream(keywords).anyMatch(this::at)) {
      pos++;
    }
  }

  /**
   * {@code [IF EXISTS]}: unlike {@link #acceptIfExists}, an {@code IF} without {@code EXISTS} is an
   * error rather than a name.
   */
  void skipIfExists() {
    if (accept("IF")) {
      expect("EXISTS");
    }
  }

  /** {@code [IF NOT EXISTS]}, where an {@code IF} must be followed by the rest. */
  void skipIfNotExists() {
    if (accept("IF")) {
      expect("NOT");
      expect("EXISTS");
    }
  }

  // --- errors

  /** The statement quoted around the token at {@code tokenIndex}. */
  String excerpt(int tokenIndex) {
    return DdlLexer.excerpt(sql, tokens.get(Math.min(tokenIndex, tokens.size() - 1)).start());
  }

  /** An error that expected something else than the current token. */
  DdlException error(String expected) {
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
