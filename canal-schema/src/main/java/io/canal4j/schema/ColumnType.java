package io.canal4j.schema;

import java.util.Locale;

/**
 * A column's SQL type as {@code information_schema.COLUMNS.DATA_TYPE} names it, folded to the
 * families that decide its canonical Java type (see the README's type table).
 */
public enum ColumnType {
  TINYINT,
  SMALLINT,
  MEDIUMINT,
  INT,
  BIGINT,
  DECIMAL,
  FLOAT,
  DOUBLE,
  BIT,
  DATE,
  DATETIME,
  TIMESTAMP,
  TIME,
  YEAR,
  CHAR,
  VARCHAR,
  TEXT,
  BINARY,
  VARBINARY,
  BLOB,
  ENUM,
  SET,
  JSON,
  GEOMETRY;

  /** Whether values are character data decoded with the column's charset. */
  public boolean isText() {
    return this == CHAR || this == VARCHAR || this == TEXT;
  }

  /** Maps an {@code information_schema.COLUMNS.DATA_TYPE} value; throws for an unknown one. */
  public static ColumnType fromDataType(String dataType) {
    String t = dataType.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "tinyint" -> TINYINT;
      case "smallint" -> SMALLINT;
      case "mediumint" -> MEDIUMINT;
      case "int", "integer" -> INT;
      case "bigint" -> BIGINT;
      case "decimal", "numeric" -> DECIMAL;
      case "float" -> FLOAT;
      case "double", "real", "double precision" -> DOUBLE;
      case "bit" -> BIT;
      case "date" -> DATE;
      case "datetime" -> DATETIME;
      case "timestamp" -> TIMESTAMP;
      case "time" -> TIME;
      case "year" -> YEAR;
      case "char" -> CHAR;
      case "varchar" -> VARCHAR;
      case "tinytext", "text", "mediumtext", "longtext" -> TEXT;
      case "binary" -> BINARY;
      case "varbinary" -> VARBINARY;
      case "tinyblob", "blob", "mediumblob", "longblob" -> BLOB;
      case "enum" -> ENUM;
      case "set" -> SET;
      case "json" -> JSON;
      case "geometry",
          "point",
          "linestring",
          "polygon",
          "multipoint",
          "multilinestring",
          "multipolygon",
          "geometrycollection",
          "geomcollection" ->
          GEOMETRY;
      default -> throw new IllegalArgumentException("unknown column data type: " + dataType);
    };
  }
}
