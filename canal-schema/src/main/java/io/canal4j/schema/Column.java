package io.canal4j.schema;

import java.util.List;
import java.util.Objects;

/**
 * One column of a {@link TableSchema}.
 *
 * @param name the column name as the server spells it
 * @param index the 0-based position in the table, which is its position in row events
 * @param type the type family that decides the canonical Java type
 * @param columnType the full SQL type as the server prints it, e.g. {@code decimal(10,2) unsigned}
 * @param unsigned whether a numeric column is UNSIGNED
 * @param nullable whether the column accepts NULL
 * @param charset the character set of a text, ENUM or SET column (e.g. {@code utf8mb4}); null for
 *     other columns
 * @param precision DECIMAL precision, character length of CHAR/VARCHAR, BIT width; 0 when not
 *     applicable
 * @param scale DECIMAL scale, or fractional-second digits of a temporal column; 0 otherwise
 * @param enumValues the labels of an ENUM or SET column, in definition order; empty otherwise
 */
public record Column(
    String name,
    int index,
    ColumnType type,
    String columnType,
    boolean unsigned,
    boolean nullable,
    String charset,
    int precision,
    int scale,
    List<String> enumValues) {
  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(columnType, "columnType");
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0: " + index);
    }
    enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
  }
}
