package io.canal4j;

/**
 * What a canal delivers for a DATE, DATETIME or TIMESTAMP value that is no calendar date: a zero
 * date ({@code 0000-00-00}, {@code 0000-00-00 00:00:00}), a partly-zero one ({@code 2024-00-15}), a
 * day past its month's end ({@code 2024-02-30}, stored under {@code ALLOW_INVALID_DATES}) or the
 * zero TIMESTAMP. A server stores such values only under a permissive {@code sql_mode} (without
 * {@code NO_ZERO_DATE}, {@code NO_ZERO_IN_DATE} or strict mode). Applies to every row the canal
 * delivers, whether read from the binlog or from a table.
 */
public enum ZeroDates {
  /**
   * {@code null}, logged once per column (the default): the value is indistinguishable from NULL.
   */
  AS_NULL,

  /**
   * The {@code String} {@code CAST(col AS CHAR)} prints, with the column's fractional digits:
   * {@code 0000-00-00}, {@code 0000-00-00 00:00:00.000}, {@code 2024-02-30}. The column's other
   * values keep their Java types ({@code LocalDate}, {@code LocalDateTime}, {@code Instant}), so
   * such a column holds two classes.
   */
  AS_TEXT
}
