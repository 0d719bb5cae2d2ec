package io.canal4j.internal.stream;

import io.canal4j.Row;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.value.BinlogCursor;
import io.canal4j.schema.internal.value.RowImageReader;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Decodes the row images of one table version from a rows event's bytes into {@link Row}s, with the
 * schema module's {@link RowImageReader}, whose cell readers are chosen once per table version.
 */
final class RowDecoder {
  private final TableSchema schema;
  private final int[] types;
  private final int[] metadata;
  private final RowImageReader reader;

  RowDecoder(TableSchema schema, TableMap map, boolean zeroDatesAsText) {
    this.schema = schema;
    this.types = map.types();
    this.metadata = map.metadata();
    this.reader = new RowImageReader(schema, types, metadata, zeroDatesAsText);
  }

  /** Whether this decoder was made for the same table version and wire types. */
  boolean fits(TableSchema s, TableMap map) {
    return schema.equals(s)
        && Arrays.equals(types, map.types())
        && Arrays.equals(metadata, map.metadata());
  }

  TableSchema schema() {
    return schema;
  }

  /**
   * Reads one row image.
   *
   * @param included which columns the image holds (all, unless the row image is MINIMAL/NOBLOB)
   * @param includedCount {@code included.cardinality()}
   */
  Row read(BinlogCursor c, BitSet included, int includedCount) {
    Object[] values = reader.read(c, included, includedCount);
    return new Row(schema, values, includedCount == values.length ? null : included);
  }
}
