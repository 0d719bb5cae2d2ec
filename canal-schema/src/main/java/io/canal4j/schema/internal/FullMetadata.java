package io.canal4j.schema.internal;

import io.canal4j.error.SchemaException;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import java.util.Map;

/**
 * Schemas from a TABLE_MAP's {@code binlog_row_metadata=FULL} metadata, with charsets resolved
 * through the server's collation ids (read once, when first needed). Thread-safe.
 */
final class FullMetadata {
  private final InformationSchemaLoader loader;
  private volatile Map<Integer, String> collations;

  FullMetadata(InformationSchemaLoader loader) {
    this.loader = loader;
  }

  /** The TABLE_MAP's names, keys, labels and charsets over {@code current}'s full types. */
  TableSchema merge(TableMap tableMap, TableSchema current, Position position) {
    try {
      return TableMapFit.merge(tableMap, current, this::charsetOfCollation);
    } catch (IllegalArgumentException e) {
      throw new SchemaException(
          "Table " + tableMap.table() + " at " + position + ": " + e.getMessage(),
          tableMap.table(),
          position,
          e);
    }
  }

  /**
   * The schema the TABLE_MAP's metadata alone describes.
   *
   * @param other what the table was compared with, for the error message
   */
  TableSchema fromTableMap(TableMap tableMap, Position position, String other) {
    try {
      return TableMapFit.fromTableMap(tableMap, this::charsetOfCollation);
    } catch (IllegalArgumentException e) {
      throw new SchemaException(
          "Table "
              + tableMap.table()
              + " at "
              + position
              + " differs from "
              + other
              + ", and its TABLE_MAP metadata cannot describe it: "
              + e.getMessage(),
          tableMap.table(),
          position,
          e);
    }
  }

  private String charsetOfCollation(int collationId) {
    Map<Integer, String> c = collations;
    if (c == null) {
      c = loader.collations();
      collations = c;
    }
    String charset = c.get(collationId);
    if (charset == null) {
      throw new IllegalArgumentException("the server has no collation with id " + collationId);
    }
    return charset;
  }
}
