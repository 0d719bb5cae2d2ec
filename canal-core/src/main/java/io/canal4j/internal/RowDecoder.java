package io.canal4j.internal;

import io.canal4j.Row;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Decodes the row images of one table version from a rows event's bytes into {@link Row}s. The cell
 * readers are chosen once per table version, so decoding a cell is one virtual call and one
 * allocation at most.
 */
final class RowDecoder {
  private final TableSchema schema;
  private final int[] types;
  private final int[] metadata;
  private final CellReaders.Cell[] cells;

  RowDecoder(TableSchema schema, TableMap map) {
    this.schema = schema;
    this.types = map.types();
    this.metadata = map.metadata();
    this.cells = new CellReaders.Cell[schema.columnCount()];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = CellReaders.forColumn(schema.column(i), types[i], metadata[i]);
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
   * Reads one row image: the null bitmap over the included columns, then each included non-null
   * cell.
   *
   * @param included which columns the image holds (all, unless the row image is MINIMAL/NOBLOB)
   * @param includedCount {@code included.cardinality()}
   */
  Row read(Cursor c, BitSet included, int includedCount) {
    int n = cells.length;
    Object[] values = new Object[n];
    int nulls = c.skipBitmap(includedCount);
    if (includedCount == n) {
      for (int i = 0; i < n; i++) {
        if (!c.bit(nulls, i)) {
          values[i] = cells[i].read(c);
        }
      }
      return new Row(schema, values, null);
    }
    int j = 0;
    for (int i = included.nextSetBit(0); i >= 0 && i < n; i = included.nextSetBit(i + 1)) {
      if (!c.bit(nulls, j++)) {
        values[i] = cells[i].read(c);
      }
    }
    return new Row(schema, values, included);
  }
}
