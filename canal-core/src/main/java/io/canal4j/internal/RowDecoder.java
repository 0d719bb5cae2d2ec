package io.canal4j.internal;

import io.canal4j.Row;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.BinlogValueConverters;
import io.canal4j.schema.internal.ValueConverter;
import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Turns the connector's raw cells of one table version into a {@link Row} of canonical values. The
 * converters are chosen once per table version, so decoding a cell is one virtual call.
 */
final class RowDecoder {
  private final TableSchema schema;
  private final int[] types;
  private final int[] metadata;
  private final ValueConverter[] converters;

  RowDecoder(TableSchema schema, TableMap map) {
    this.schema = schema;
    this.types = map.types();
    this.metadata = map.metadata();
    this.converters = new ValueConverter[schema.columnCount()];
    for (int i = 0; i < converters.length; i++) {
      converters[i] = BinlogValueConverters.forColumn(schema.column(i), types[i], metadata[i]);
    }
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
   * @param raw the connector's cells, one per included column
   * @param included which columns the image holds (all, unless the row image is MINIMAL/NOBLOB)
   */
  Row decode(Serializable[] raw, BitSet included) {
    int n = converters.length;
    Object[] values = new Object[n];
    if (raw.length == n) {
      for (int i = 0; i < n; i++) {
        Serializable v = raw[i];
        values[i] = v == null ? null : converters[i].convert(v);
      }
      return new Row(schema, values, null);
    }
    int j = 0;
    for (int i = included.nextSetBit(0); i >= 0 && i < n; i = included.nextSetBit(i + 1)) {
      Serializable v = raw[j++];
      values[i] = v == null ? null : converters[i].convert(v);
    }
    return new Row(schema, values, included);
  }
}
