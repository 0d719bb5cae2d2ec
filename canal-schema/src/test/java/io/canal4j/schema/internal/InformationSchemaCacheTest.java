package io.canal4j.schema.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.SchemaException;
import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InformationSchemaCacheTest {
  private static final String SERVERS = "io.canal4j.testkit.SandboxServers#all";

  private static InformationSchemaCache cache(SandboxServer server) {
    return new InformationSchemaCache(server::connect);
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void load_readsColumnTypesSignednessCharsetsAndLabels(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE t ("
              + " id INT UNSIGNED NOT NULL,"
              + " small TINYINT,"
              + " price DECIMAL(12,3) UNSIGNED,"
              + " at DATETIME(4),"
              + " name VARCHAR(20) CHARACTER SET latin1 NOT NULL,"
              + " code CHAR(3) CHARACTER SET ascii,"
              + " raw VARBINARY(16),"
              + " flags BIT(10),"
              + " kind ENUM('a''b', 'c,d', 'e\\\\f', '(x)') CHARACTER SET utf8mb4,"
              + " tags SET('p', 'q''r'),"
              + " body LONGTEXT,"
              + " PRIMARY KEY (id))");
      TableSchema t = cache(server).load(TableId.of(db.name(), "t"));
      assertEquals(List.of("id"), t.primaryKey());
      assertEquals(11, t.columnCount());

      Column id = t.column("id");
      assertEquals(ColumnType.INT, id.type());
      assertTrue(id.unsigned());
      assertFalse(id.nullable());
      assertEquals(0, id.index());
      assertFalse(t.column("small").unsigned());
      assertTrue(t.column("small").nullable());

      Column price = t.column("price");
      assertEquals(ColumnType.DECIMAL, price.type());
      assertTrue(price.unsigned());
      assertEquals(12, price.precision());
      assertEquals(3, price.scale());
      assertEquals("decimal(12,3) unsigned", price.columnType());

      assertEquals(4, t.column("at").scale());
      assertEquals(ColumnType.DATETIME, t.column("at").type());

      Column name = t.column("name");
      assertEquals(ColumnType.VARCHAR, name.type());
      assertEquals("latin1", name.charset());
      assertEquals(20, name.precision());
      assertEquals("ascii", t.column("code").charset());
      assertEquals(ColumnType.CHAR, t.column("code").type());
      assertEquals(ColumnType.VARBINARY, t.column("raw").type());
      assertNull(t.column("raw").charset());
      assertEquals(16, t.column("raw").precision());
      assertEquals(10, t.column("flags").precision());

      assertEquals(List.of("a'b", "c,d", "e\\f", "(x)"), t.column("kind").enumValues());
      assertEquals(List.of("p", "q'r"), t.column("tags").enumValues());
      assertEquals(ColumnType.SET, t.column("tags").type());
      assertEquals(ColumnType.TEXT, t.column("body").type());
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void load_compositePrimaryKey_inKeyOrder_andNoKey_isEmpty(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE k (a INT NOT NULL, b INT NOT NULL, c INT, PRIMARY KEY (b, a))",
          "CREATE TABLE n (a INT NOT NULL, UNIQUE KEY (a))");
      InformationSchemaCache cache = cache(server);
      assertEquals(List.of("b", "a"), cache.load(TableId.of(db.name(), "k")).primaryKey());
      assertEquals(List.of(), cache.load(TableId.of(db.name(), "n")).primaryKey());
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void load_missingTable_throwsNamingIt(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      TableId id = TableId.of(db.name(), "nope");
      SchemaException e = assertThrows(SchemaException.class, () -> cache(server).load(id));
      assertEquals(id, e.table());
      assertTrue(e.getMessage().contains(id.toString()), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void schemaAt_realTableMap_fits_andIsCached(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10), d DECIMAL(7,2))");
      Position from = BinlogCapture.currentPosition(server);
      db.execute("INSERT INTO t VALUES (1, 'x', 1.5)");
      TableId id = TableId.of(db.name(), "t");
      BinlogCapture.Row row =
          BinlogCapture.insertedRows(server, from, id, 1, Duration.ofSeconds(30)).get(0);
      InformationSchemaCache cache = cache(server);
      TableSchema first = cache.schemaAt(row.tableMap(), row.tableMapPosition());
      assertEquals(List.of("id"), first.primaryKey());
      assertEquals("d", first.column(2).name());
      // Dropping the table does not matter while the cached answer fits.
      db.execute("DROP TABLE t");
      assertSame(first, cache.schemaAt(row.tableMap(), row.tableMapPosition()));
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void schemaAt_afterAlterWithoutDdlEvent_reloadsOnce(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (a INT, b INT)");
      TableId id = TableId.of(db.name(), "t");
      Position p = BinlogCapture.currentPosition(server);
      InformationSchemaCache cache = cache(server);
      assertEquals(2, cache.schemaAt(map(id, 3, 3), p).columnCount());

      db.execute("ALTER TABLE t ADD COLUMN c VARCHAR(10)");
      TableSchema after = cache.schemaAt(map(id, 3, 3, 15), p);
      assertEquals(List.of("a", "b", "c"), after.columns().stream().map(Column::name).toList());
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void schemaAt_mapOlderThanTheTable_throwsNamingTableDifferenceAndFix(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (a INT, b INT, c DECIMAL(10,2))");
      TableId id = TableId.of(db.name(), "t");
      Position p = BinlogCapture.currentPosition(server);
      InformationSchemaCache cache = cache(server);

      SchemaException count =
          assertThrows(SchemaException.class, () -> cache.schemaAt(map(id, 3, 3), p));
      assertEquals(id, count.table());
      assertEquals(p, count.position());
      String m = count.getMessage();
      assertTrue(m.contains(id.toString()), m);
      assertTrue(m.contains(p.toString()), m);
      assertTrue(m.contains("binlog row has 2 columns, information_schema has 3"), m);
      assertTrue(m.contains("enable binlog_row_metadata=FULL"), m);
      assertTrue(m.contains("start from a position after the ALTER"), m);

      TableMap widerDecimal =
          TableMap.minimal(1, id, new int[] {3, 3, 246}, new int[] {0, 0, (4 << 8) | 12});
      SchemaException type =
          assertThrows(SchemaException.class, () -> cache.schemaAt(widerDecimal, p));
      assertTrue(
          type.getMessage()
              .contains(
                  "column 3 (c) is NEWDECIMAL(12,4) in the binlog but decimal(10,2) in"
                      + " information_schema"),
          type.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void schemaAt_droppedTable_withoutFullMetadata_throws(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      TableId id = TableId.of(db.name(), "gone");
      Position p = BinlogCapture.currentPosition(server);
      SchemaException e =
          assertThrows(SchemaException.class, () -> cache(server).schemaAt(map(id, 3), p));
      assertTrue(e.getMessage().contains(id.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("binlog_row_metadata=FULL"), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void applyDdl_forgetsTheTable_soARenamedColumnIsSeen(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (a INT, b INT)", "CREATE TABLE u (a INT)");
      TableId t = TableId.of(db.name(), "t");
      TableId u = TableId.of(db.name(), "u");
      Position p = BinlogCapture.currentPosition(server);
      InformationSchemaCache cache = cache(server);
      assertEquals("b", cache.schemaAt(map(t, 3, 3), p).column(1).name());
      TableSchema uBefore = cache.schemaAt(map(u, 3), p);

      String alter = "ALTER TABLE `t` CHANGE b renamed INT";
      db.execute(alter);
      // Same wire types: without the DDL the cache cannot tell.
      assertEquals("b", cache.schemaAt(map(t, 3, 3), p).column(1).name());
      cache.applyDdl(db.name(), alter, p);
      assertEquals("renamed", cache.schemaAt(map(t, 3, 3), p).column(1).name());
      assertSame(uBefore, cache.schemaAt(map(u, 3), p), "other tables stay cached");

      db.execute("ALTER TABLE u CHANGE a z INT");
      cache.applyDdl(db.name(), "SOMETHING UNPARSEABLE", p);
      assertEquals("z", cache.schemaAt(map(u, 3), p).column(0).name());
    }
  }

  private static TableMap map(TableId id, int... types) {
    return TableMap.minimal(1, id, types, new int[types.length]);
  }
}
