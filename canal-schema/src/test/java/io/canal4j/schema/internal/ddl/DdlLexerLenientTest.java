package io.canal4j.schema.internal.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link DdlLexer#tokenizeLenient} against the tokenizer {@link DdlScope} had of its own (as
 * DdlTables), kept here as the reference: the same tokens for every string in the DDL test corpora
 * (each statement, and each fragment of one) and for the cases where the two modes of the lexer
 * differ on purpose.
 */
class DdlLexerLenientTest {
  private static final List<String> CORPORA =
      List.of("DdlScopeTest.java", "DdlParserTest.java", "DdlParserOracleTest.java");

  private static final List<String> EDGES =
      List.of(
          "ALTER TABLE /*!50100 t */ ADD x INT",
          "ALTER TABLE /*!99999 t */ ADD x INT",
          "ALTER TABLE /*M!100500 t */ ADD x INT",
          "ALTER TABLE /*!5 t */ x",
          "CREATE TABLE t (a INT) COMMENT 'unterminated",
          "CREATE TABLE `unterminated",
          "CREATE TABLE \"a\\\"b\" (x INT)",
          "CREATE TABLE t (a VARCHAR(5) DEFAULT 'it''s', b INT DEFAULT '\\'')",
          "DROP TABLE t -- comment\n, u",
          "DROP TABLE t --x\n",
          "DROP TABLE t --\tnot a comment",
          "ALTER TABLE t ADD d DECIMAL(5,2) DEFAULT 1.5",
          "RENAME TABLE `a``b` TO \"c\"\"d\"",
          "ALTER TABLE t */ ADD x INT",
          "/* lead */ # hash\n ALTER TABLE t ADD é INT",
          "",
          "   ");

  @Test
  void lenientTokens_equalTheOldTokenizers_overTheCorpora() throws IOException {
    Set<String> statements = new LinkedHashSet<>(EDGES);
    for (String file : CORPORA) {
      statements.addAll(stringLiterals(Files.readString(source(file))));
    }
    assertTrue(statements.size() > 300, "the corpora: " + statements.size() + " strings");
    for (String sql : statements) {
      assertEquals(reference(sql), lenient(sql), sql);
    }
  }

  private static List<String> lenient(String sql) {
    List<String> out = new ArrayList<>();
    for (DdlLexer.Token t : DdlLexer.tokenizeLenient(sql)) {
      if (t.kind() == DdlLexer.Kind.END) {
        break;
      }
      boolean quoted =
          t.kind() == DdlLexer.Kind.BACKTICK || t.kind() == DdlLexer.Kind.DOUBLE_QUOTED;
      out.add((quoted ? "Q:" : "W:") + t.text());
    }
    return out;
  }

  private static Path source(String file) {
    return Path.of("src/test/java/io/canal4j/schema/internal/ddl", file);
  }

  /** The Java string literals of a source file, their escapes resolved. */
  private static List<String> stringLiterals(String java) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"").matcher(java);
    while (m.find()) {
      out.add(
          m.group(1)
              .replace("\\\\", "\u0000")
              .replace("\\n", "\n")
              .replace("\\t", "\t")
              .replace("\\\"", "\"")
              .replace("\\'", "'")
              .replace("\u0000", "\\"));
    }
    return out;
  }

  // --- the reference: DdlTables' own tokenizer as it was, with its output marked Q: or W:

  /**
   * Splits SQL into words, quoted identifiers (back quotes or ANSI double quotes; both marked
   * quoted), string literals (dropped) and one-character symbols, skipping comments. The content of
   * executable comments ({@code /*!50100 ... *}{@code /}, {@code /*M!...}) is read as SQL.
   */
  private static List<String> reference(String sql) {
    List<String> tokens = new ArrayList<>();
    List<Boolean> quoted = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int j = i + 2;
        boolean executable = j < n && (sql.charAt(j) == '!' || sql.startsWith("M!", j));
        if (executable) {
          j += sql.charAt(j) == '!' ? 1 : 2;
          while (j < n && Character.isDigit(sql.charAt(j))) {
            j++;
          }
          i = j; // read the content; the closing */ is skipped below
        } else {
          int end = sql.indexOf("*/", j);
          i = end < 0 ? n : end + 2;
        }
      } else if (c == '*' && i + 1 < n && sql.charAt(i + 1) == '/') {
        i += 2;
      } else if (c == '#' || (c == '-' && sql.startsWith("-- ", i))) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == '`' || c == '"') {
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        while (j < n) {
          char d = sql.charAt(j);
          if (d == c) {
            if (j + 1 < n && sql.charAt(j + 1) == c) {
              sb.append(c);
              j += 2;
              continue;
            }
            break;
          }
          sb.append(d);
          j++;
        }
        tokens.add(sb.toString());
        quoted.add(true);
        i = j + 1;
      } else if (c == '\'') {
        int j = i + 1;
        while (j < n) {
          char d = sql.charAt(j);
          if (d == '\\') {
            j += 2;
          } else if (d == '\'') {
            if (j + 1 < n && sql.charAt(j + 1) == '\'') {
              j += 2;
            } else {
              break;
            }
          } else {
            j++;
          }
        }
        i = j + 1; // string literals never name a table
      } else if (isIdentifierChar(c)) {
        int j = i;
        while (j < n && isIdentifierChar(sql.charAt(j))) {
          j++;
        }
        tokens.add(sql.substring(i, j));
        quoted.add(false);
        i = j;
      } else {
        tokens.add(String.valueOf(c));
        quoted.add(false);
        i++;
      }
    }
    List<String> out = new ArrayList<>();
    for (int k = 0; k < tokens.size(); k++) {
      out.add((quoted.get(k) ? "Q:" : "W:") + tokens.get(k));
    }
    return out;
  }

  private static boolean isIdentifierChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7F;
  }
}
