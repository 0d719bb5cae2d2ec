package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.Flavor;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one SQL statement into tokens as the server that wrote it would: comments are dropped, the
 * content of executable comments ({@code /*!NNNNN ... *}{@code /}, MariaDB's {@code /*M!NNNNNN ...
 * *}{@code /}) is read as SQL when the server's version is at least NNNNN, and quoted text keeps
 * its kind, so that the parser can tell a keyword from a quoted name.
 *
 * <p>{@link #tokenizeLenient} is the mode for deciding which tables a statement touches without
 * parsing it ({@link DdlScope}): it never throws, and so differs from the strict mode in five ways,
 * on purpose: it enters every executable comment whatever the version (a statement may name a table
 * only there), ends an unterminated quote at the end of the statement, gives no token for string
 * literals (they never name a table) and no backslash escapes in double quotes, takes {@code --} as
 * a comment only before a space, and does not merge {@code 1.5} into one number.
 */
final class DdlLexer {
  /** What a token is. */
  enum Kind {
    /** An unquoted word: a keyword or a name. */
    WORD,
    /** A name in back quotes. */
    BACKTICK,
    /** Text in double quotes: a name under ANSI_QUOTES, a string otherwise. */
    DOUBLE_QUOTED,
    /** Text in single quotes. */
    STRING,
    /** An unsigned number literal. */
    NUMBER,
    /** One character of punctuation or an operator. */
    SYMBOL,
    /** The end of the statement. */
    END
  }

  /**
   * One token.
   *
   * @param text a word or number as written, a quoted name without its quotes, a string's value
   *     with escapes resolved, or the symbol character
   * @param start where the token starts in the statement, for error messages
   */
  record Token(Kind kind, String text, int start) {
    boolean isWord(String keyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(char c) {
      return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == c;
    }

    /** A name: unquoted word, back-quoted or double-quoted text. */
    boolean isName() {
      return kind == Kind.WORD || kind == Kind.BACKTICK || kind == Kind.DOUBLE_QUOTED;
    }

    /** Text usable as a string: single- or double-quoted. */
    boolean isString() {
      return kind == Kind.STRING || kind == Kind.DOUBLE_QUOTED;
    }
  }

  private final String sql;
  private final Flavor flavor;
  private final int serverVersion;
  private final boolean lenient;
  private final List<Token> tokens = new ArrayList<>();
  private int executableDepth;

  private DdlLexer(String sql, Flavor flavor, int serverVersion, boolean lenient) {
    this.sql = sql;
    this.flavor = flavor;
    this.serverVersion = serverVersion;
    this.lenient = lenient;
  }

  /** The tokens of {@code sql}, ending with one {@link Kind#END} token. */
  static List<Token> tokenize(String sql, Flavor flavor, int serverVersion) {
    DdlLexer lexer = new DdlLexer(sql, flavor, serverVersion, false);
    lexer.run();
    return lexer.tokens;
  }

  /**
   * The tokens of {@code sql} in the lenient mode (see the class doc), ending with one {@link
   * Kind#END} token; never throws.
   */
  static List<Token> tokenizeLenient(String sql) {
    DdlLexer lexer = new DdlLexer(sql, Flavor.MYSQL, Integer.MAX_VALUE, true);
    lexer.run();
    return lexer.tokens;
  }

  private void run() {
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        i = comment(i);
      } else if (c == '*'
          && (executableDepth > 0 || lenient)
          && i + 1 < n
          && sql.charAt(i + 1) == '/') {
        executableDepth = Math.max(0, executableDepth - 1);
        i += 2;
      } else if (c == '#' || (c == '-' && isDashComment(i))) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == '`') {
        i = quoted(i, '`', Kind.BACKTICK);
      } else if (c == '"') {
        i = quoted(i, '"', Kind.DOUBLE_QUOTED);
      } else if (c == '\'') {
        i = quoted(i, '\'', Kind.STRING);
      } else if (isWordChar(c)) {
        i = word(i);
      } else {
        tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
        i++;
      }
    }
    tokens.add(new Token(Kind.END, "", n));
  }

  private boolean isDashComment(int i) {
    if (lenient) {
      return sql.startsWith("-- ", i);
    }
    int n = sql.length();
    if (i + 1 >= n || sql.charAt(i + 1) != '-') {
      return false;
    }
    return i + 2 >= n || sql.charAt(i + 2) <= ' ';
  }

  /**
   * A comment at {@code i}: skipped, or entered when it is an executable comment whose content this
   * server runs.
   */
  private int comment(int i) {
    int n = sql.length();
    int j = i + 2;
    boolean mariaOnly = sql.startsWith("M!", j);
    if (lenient && j < n && (sql.charAt(j) == '!' || mariaOnly)) {
      j += mariaOnly ? 2 : 1;
      while (j < n && Character.isDigit(sql.charAt(j))) {
        j++; // any version: read the content
      }
      executableDepth++;
      return j;
    }
    if (j < n && (sql.charAt(j) == '!' || mariaOnly)) {
      j += mariaOnly ? 2 : 1;
      int digits = 0;
      while (j + digits < n && digits < 6 && Character.isDigit(sql.charAt(j + digits))) {
        digits++;
      }
      // MySQL reads exactly five digits as the version; MariaDB five or six.
      int versionDigits =
          digits >= 5 ? (digits == 6 && (mariaOnly || flavor == Flavor.MARIADB) ? 6 : 5) : 0;
      int version = versionDigits == 0 ? 0 : Integer.parseInt(sql.substring(j, j + versionDigits));
      boolean run =
          flavor == Flavor.MARIADB
              // MariaDB runs no MySQL 5.7+ comment: /*!50700 ... /*!99999 are comments to it.
              ? versionDigits == 0
                  || (version <= serverVersion && (mariaOnly || version < 50700 || version > 99999))
              : !mariaOnly && (versionDigits == 0 || version <= serverVersion);
      if (run) {
        executableDepth++;
        return j + versionDigits;
      }
    }
    int end = sql.indexOf("*/", j);
    return end < 0 ? n : end + 2;
  }

  private int quoted(int i, char quote, Kind kind) {
    int n = sql.length();
    StringBuilder sb = new StringBuilder();
    int j = i + 1;
    boolean backslashEscapes = lenient ? quote == '\'' : quote != '`';
    while (true) {
      if (j >= n && lenient) {
        break; // an unterminated quote ends with the statement
      }
      if (j >= n) {
        throw new DdlException(
            "unterminated " + quote + " quote at position " + i + ": " + excerpt(sql, i));
      }
      char d = sql.charAt(j);
      if (d == quote) {
        if (j + 1 < n && sql.charAt(j + 1) == quote) {
          sb.append(quote);
          j += 2;
          continue;
        }
        break;
      }
      if (d == '\\' && backslashEscapes && j + 1 < n) {
        char e = sql.charAt(j + 1);
        switch (e) {
          case '0' -> sb.append('\0');
          case 'b' -> sb.append('\b');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'Z' -> sb.append((char) 26);
          case '%', '_' -> sb.append('\\').append(e);
          default -> sb.append(e);
        }
        j += 2;
        continue;
      }
      sb.append(d);
      j++;
    }
    // A double-quoted name has no backslash escapes; keep the raw text for that use.
    String text = sb.toString();
    if (!lenient
        && kind == Kind.DOUBLE_QUOTED
        && sql.indexOf('\\', i) >= 0
        && sql.indexOf('\\', i) < j) {
      text = sql.substring(i + 1, j).replace("\"\"", "\"");
    }
    if (!(lenient && kind == Kind.STRING)) {
      tokens.add(new Token(kind, text, i));
    }
    return j + 1;
  }

  private int word(int i) {
    int n = sql.length();
    int j = i;
    while (j < n && isWordChar(sql.charAt(j))) {
      j++;
    }
    String text = sql.substring(i, j);
    boolean number = text.chars().allMatch(Character::isDigit);
    if (number
        && !lenient
        && j + 1 < n
        && sql.charAt(j) == '.'
        && Character.isDigit(sql.charAt(j + 1))) {
      j++;
      while (j < n && Character.isDigit(sql.charAt(j))) {
        j++;
      }
      text = sql.substring(i, j);
    }
    tokens.add(new Token(number ? Kind.NUMBER : Kind.WORD, text, i));
    return j;
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '$'
        || c > 0x7F;
  }

  /** The statement around {@code at}, on one line, with {@code >>>} marking the spot. */
  static String excerpt(String sql, int at) {
    int from = Math.max(0, at - 40);
    int to = Math.min(sql.length(), at + 40);
    String before = sql.substring(from, Math.min(at, sql.length()));
    String after = sql.substring(Math.min(at, sql.length()), to);
    return ((from > 0 ? "..." : "") + before + " >>>" + after + (to < sql.length() ? "..." : ""))
        .replaceAll("\\s+", " ");
  }
}
