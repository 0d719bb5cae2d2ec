package io.canal4j.schema.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads what {@code information_schema.COLUMNS.COLUMN_TYPE} says beyond DATA_TYPE. */
final class ColumnTypeText {
  private ColumnTypeText() {}

  /**
   * Whether the type is UNSIGNED ({@code int unsigned}, {@code decimal(5,2) unsigned zerofill}).
   */
  static boolean isUnsigned(String columnType) {
    String t = columnType.toLowerCase(Locale.ROOT);
    return t.contains(" unsigned") || t.contains(" zerofill");
  }

  /**
   * The labels of {@code enum('a','b')} or {@code set(...)} in definition order. MySQL and MariaDB
   * print each label quoted, with {@code '} doubled and {@code \} escaped as {@code \\} (also
   * {@code \0}, {@code \n}, {@code \r}, {@code \Z}); labels may hold commas and parentheses.
   *
   * @throws IllegalArgumentException when the text is not an ENUM/SET type as the servers print it
   */
  static List<String> labels(String columnType) {
    int open = columnType.indexOf('(');
    if (open < 0) {
      throw new IllegalArgumentException("no labels in column type " + columnType);
    }
    List<String> labels = new ArrayList<>();
    int i = open + 1;
    int n = columnType.length();
    while (i < n) {
      char c = columnType.charAt(i);
      if (c == ')') {
        return labels;
      }
      if (c == ',' || c == ' ') {
        i++;
        continue;
      }
      if (c != '\'') {
        throw new IllegalArgumentException("bad label list in column type " + columnType);
      }
      StringBuilder label = new StringBuilder();
      i++;
      while (true) {
        if (i >= n) {
          throw new IllegalArgumentException("unterminated label in column type " + columnType);
        }
        char ch = columnType.charAt(i);
        if (ch == '\'') {
          if (i + 1 < n && columnType.charAt(i + 1) == '\'') {
            label.append('\'');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (ch == '\\' && i + 1 < n) {
          char e = columnType.charAt(i + 1);
          label.append(
              switch (e) {
                case '0' -> '\0';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'b' -> '\b';
                case 'Z' -> (char) 26;
                default -> e;
              });
          i += 2;
          continue;
        }
        label.append(ch);
        i++;
      }
      labels.add(label.toString());
    }
    throw new IllegalArgumentException("unterminated label list in column type " + columnType);
  }
}
