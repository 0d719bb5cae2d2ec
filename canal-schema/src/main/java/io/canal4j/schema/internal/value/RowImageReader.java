package io.canal4j.schema.internal.value;

import io.canal4j.schema.TableSchema;
import java.util.BitSet;

/**
 * Reads the row images of one table version from a rows event's bytes into canonical values. The
 * cell readers are chosen once, when the reader is made (once per table version); reading a row is
 * then one virtual call per non-null cell.
 */
public final class RowImageReader {
  private final BinlogCells.Cell[] cells;

  /**
   * @param schema the table version the TABLE_MAP was matched with
   * @param types the TABLE_MAP's column types
   * @param metadata the TABLE_MAP's column metadata
   * @param zeroDatesAsText deliver invalid dates as MySQL's text instead of null
   * @throws IllegalArgumentException when a column cannot be read (see {@link BinlogCells})
   */
  public RowImageReader(TableSchema schema, int[] types, int[] metadata, boolean zeroDatesAsText) {
    this.cells = new BinlogCells.Cell[schema.columnCount()];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = BinlogCells.forColumn(schema.column(i), types[i], metadata[i], zeroDatesAsText);
    }
  }

  /**
   * Reads one row image: the null bitmap over the included columns, then each included non-null
   * cell.
   *
   * @param included which columns the image holds (all, unless the row image is MINIMAL/NOBLOB)
   * @param includedCount {@code included.cardinality()}
   * @return the values by column index; null for SQL NULL and for columns not included
   */
  public Object[] read(BinlogCursor c, BitSet included, int includedCount) {
    int n = cells.length;
    Object[] values = new Object[n];
    int nulls = c.skipBitmap(includedCount);
    if (includedCount == n) {
      for (int i = 0; i < n; i++) {
        if (!c.bit(nulls, i)) {
          values[i] = cells[i].read(c);
        }
      }
      return values;
    }
    int j = 0;
    for (int i = included.nextSetBit(0); i >= 0 && i < n; i = included.nextSetBit(i + 1)) {
      if (!c.bit(nulls, j++)) {
        values[i] = cells[i].read(c);
      }
    }
    return values;
  }
}
