package io.canal4j.elasticsearch.internal;

import java.util.regex.Pattern;

/** The DDL statements that empty a table: TRUNCATE, DROP TABLE, DROP DATABASE. */
public final class TruncateStatements {
  /**
   * Matches such a statement's start, after comments; group 2 is set for DROP DATABASE (group 3:
   * the database, unquoted).
   */
  public static final Pattern PATTERN =
      Pattern.compile(
          "\\s*(?:/\\*.*?\\*/\\s*)*(TRUNCATE\\b|DROP\\s+(?:TEMPORARY\\s+)?TABLE\\b|DROP\\s+"
              + "(DATABASE|SCHEMA)\\s+(?:IF\\s+EXISTS\\s+)?`?([^`\\s;]+)`?)",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private TruncateStatements() {}
}
