package io.canal4j.internal.watermark;

import io.canal4j.Row;
import io.canal4j.schema.TableSchema;
import java.util.Arrays;
import java.util.List;

/**
 * A primary-key value with value equality for every canonical type (byte[] too): how the key log
 * tells that the stream changed a row a chunk read.
 */
final class PrimaryKeyValue {
  private final Object[] values;
  private final int hash;

  private PrimaryKeyValue(Object[] values) {
    this.values = values;
    this.hash = Arrays.deepHashCode(values);
  }

  /** The positions of {@code schema}'s primary-key columns, in key order. */
  static int[] columns(TableSchema schema) {
    List<String> pk = schema.primaryKey();
    int[] idx = new int[pk.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = schema.indexOf(pk.get(i));
    }
    return idx;
  }

  static PrimaryKeyValue of(Row row, int[] columns) {
    Object[] v = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      v[i] = row.get(columns[i]);
    }
    return new PrimaryKeyValue(v);
  }

  static PrimaryKeyValue of(Object[] values, int[] columns) {
    Object[] v = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      v[i] = values[columns[i]];
    }
    return new PrimaryKeyValue(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrimaryKeyValue k && hash == k.hash && Arrays.deepEquals(values, k.values);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
