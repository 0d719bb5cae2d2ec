package io.canal4j.schema.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.ddl.DdlTarget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaHistoryCodecTest {

  @Test
  void encodeThenDecode_givesBackEveryFieldExactly_includingAwkwardNames() {
    TableId odd = TableId.of("d b\t1", "ta`ble\\n");
    TableSchema schema =
        new TableSchema(
            odd,
            List.of(
                new Column(
                    "id", 0, ColumnType.BIGINT, "bigint unsigned", true, false, null, 0, 0, null),
                new Column(
                    "na\tme\n",
                    1,
                    ColumnType.VARCHAR,
                    "varchar(20)",
                    false,
                    true,
                    "gbk",
                    20,
                    0,
                    null),
                new Column(
                    "e",
                    2,
                    ColumnType.ENUM,
                    "enum('','a\\\\b','x,y')",
                    false,
                    true,
                    "utf8mb4",
                    0,
                    0,
                    List.of("", "a\\b", "x,y", "\\N")),
                new Column(
                    "ts", 3, ColumnType.TIMESTAMP, "timestamp(6)", false, true, null, 0, 6, null)),
            List.of("na\tme\n", "id"));
    Map<TableId, DdlTarget.Table> tables = new LinkedHashMap<>();
    tables.put(odd, new DdlTarget.Table(schema, "latin1"));
    Map<String, SchemaHistoryCodec.Database> dbs = new LinkedHashMap<>();
    dbs.put("d b\t1", new SchemaHistoryCodec.Database("d b\t1", "latin1", true));
    dbs.put("other", new SchemaHistoryCodec.Database("other", "utf8mb4", false));

    String text = SchemaHistoryCodec.encode(dbs, tables, "v1;flavor=MYSQL;file=b.000001;offset=4");
    SchemaHistoryCodec.State state = SchemaHistoryCodec.decode(text);

    assertEquals(
        List.copyOf(dbs.values()),
        state.databases().stream()
            .sorted(java.util.Comparator.comparing(SchemaHistoryCodec.Database::name))
            .toList());
    assertEquals(List.of(new DdlTarget.Table(schema, "latin1")), state.tables());
    assertEquals("v1;flavor=MYSQL;file=b.000001;offset=4", state.horizon());
    assertEquals(
        text,
        SchemaHistoryCodec.encode(dbs, tables, "v1;flavor=MYSQL;file=b.000001;offset=4"),
        "the same state, the same text");
  }

  @Test
  void decode_rejectsTextItDidNotWrite_namingTheLine() {
    assertThrows(IllegalArgumentException.class, () -> SchemaHistoryCodec.decode("hello"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SchemaHistoryCodec.decode(
                    SchemaHistoryCodec.HEADER
                        + "\ntable\td\tt\tutf8mb4\ncol\tid\tNOPE\tint\t--\t\\N\t0\t0\n"));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
  }
}
