package io.canal4j.schema.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableMapFitTest {
  private static final TableId T = TableId.of("d", "t");

  private static Column c(
      int i, String name, ColumnType type, String text, int precision, int scale) {
    return new Column(
        name, i, type, text, false, true, type.isText() ? "utf8mb4" : null, precision, scale, null);
  }

  private static final TableSchema SCHEMA =
      new TableSchema(
          T,
          List.of(
              c(0, "id", ColumnType.INT, "int", 0, 0),
              c(1, "price", ColumnType.DECIMAL, "decimal(10,2)", 10, 2),
              c(2, "at", ColumnType.DATETIME, "datetime(3)", 0, 3),
              c(3, "name", ColumnType.VARCHAR, "varchar(20)", 20, 0),
              c(4, "body", ColumnType.TEXT, "text", 0, 0)),
          List.of("id"));

  private static final int[] TYPES = {3, 246, 18, 15, 252};
  private static final int[] META = {0, (2 << 8) | 10, 3, 80, 2};

  @Test
  void fittingMap_hasNoMisfit() {
    assertNull(TableMapFit.misfit(TableMap.minimal(1, T, TYPES, META), SCHEMA));
  }

  @Test
  void columnCount_isReported() {
    TableMap map = TableMap.minimal(1, T, new int[] {3, 246, 18, 15}, new int[] {0, 522, 3, 80});
    assertEquals(
        "binlog row has 4 columns, information_schema has 5", TableMapFit.misfit(map, SCHEMA));
  }

  @Test
  void typeAndDetailChanges_areReported() {
    int[] types = TYPES.clone();
    types[0] = 8;
    assertEquals(
        "column 1 (id) is LONGLONG in the binlog but int in information_schema",
        TableMapFit.misfit(TableMap.minimal(1, T, types, META), SCHEMA));
    int[] meta = META.clone();
    meta[1] = (4 << 8) | 12;
    assertEquals(
        "column 2 (price) is NEWDECIMAL(12,4) in the binlog but decimal(10,2) in information_schema",
        TableMapFit.misfit(TableMap.minimal(1, T, TYPES, meta), SCHEMA));
    meta = META.clone();
    meta[2] = 6;
    assertTrue(
        TableMapFit.misfit(TableMap.minimal(1, T, TYPES, meta), SCHEMA).contains("DATETIME2(6)"));
  }

  @Test
  void enumAndSet_hideTheirTypeInMetadata() {
    Column e =
        new Column(
            "e", 0, ColumnType.ENUM, "enum('a')", false, true, "utf8mb4", 0, 0, List.of("a"));
    Column s =
        new Column("s", 1, ColumnType.SET, "set('a')", false, true, "utf8mb4", 0, 0, List.of("a"));
    Column ch =
        new Column("c", 2, ColumnType.CHAR, "char(255)", false, true, "utf8mb4", 255, 0, null);
    TableSchema schema = new TableSchema(T, List.of(e, s, ch), List.of());
    // char(255) utf8mb4 is 1020 bytes: the length borrows bits of the high metadata byte.
    TableMap map =
        TableMap.minimal(1, T, new int[] {254, 254, 254}, new int[] {0xF701, 0xF801, 0xCEFC});
    assertNull(TableMapFit.misfit(map, schema));
    TableMap swapped =
        TableMap.minimal(1, T, new int[] {254, 254, 254}, new int[] {0xF801, 0xF701, 0xCEFC});
    assertTrue(TableMapFit.misfit(swapped, schema).startsWith("column 1 (e) is SET"));
  }

  @Test
  void fullMetadata_mergedNamesWin_andSynthesizedSchemaFits() {
    BitSet nullable = new BitSet();
    nullable.set(1, 5);
    TableMap full =
        new TableMap(
            1,
            T,
            TYPES,
            META,
            nullable,
            List.of("ID", "cost", "when", "label", "notes"),
            new BitSet(),
            List.of(0),
            Map.of(3, 45, 4, 45),
            null);
    TableSchema merged = TableMapFit.merge(full, SCHEMA, id -> "utf8mb4");
    assertEquals(List.of("ID"), merged.primaryKey());
    assertEquals("cost", merged.column(1).name());
    assertEquals("decimal(10,2)", merged.column(1).columnType());

    TableSchema own = TableMapFit.fromTableMap(full, id -> "utf8mb4");
    assertNull(TableMapFit.misfit(full, own));
    assertEquals(ColumnType.TEXT, own.column(4).type());
    assertEquals("utf8mb4", own.column(4).charset());
    assertEquals("decimal(10,2)", own.column(1).columnType());
    assertEquals(3, own.column(2).scale());
  }

  @Test
  void fullMetadata_tellsTextFromBlob() {
    TableMap full =
        new TableMap(
            1,
            T,
            TYPES,
            META,
            new BitSet(),
            List.of("a", "b", "c", "d", "e"),
            null,
            null,
            Map.of(3, 45),
            null);
    String misfit = TableMapFit.misfit(full, SCHEMA);
    assertTrue(misfit != null && misfit.startsWith("column 5 (body)"), misfit);
    assertEquals(ColumnType.BLOB, TableMapFit.fromTableMap(full, id -> "utf8mb4").column(4).type());
  }
}
