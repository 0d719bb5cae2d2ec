package io.canal4j.schema.internal.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Column;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.TableId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DdlParserTest {
  private static final TableId T = TableId.of("db", "t");

  private final DdlParser mysql = new DdlParser(Flavor.MYSQL, 80031);
  private final DdlParser mariadb = new DdlParser(Flavor.MARIADB, 101106);
  private final MapDdlTarget target = new MapDdlTarget(db -> "utf8mb4");

  private List<String> names(TableId id) {
    return target.tables.get(id).schema().columns().stream().map(Column::name).toList();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "  -- only a comment",
        "BEGIN",
        "COMMIT",
        "XA START 'x'",
        "INSERT INTO t VALUES (1)",
        "UPDATE t SET a = 1",
        "GRANT SELECT ON db.* TO u",
        "CREATE VIEW v AS SELECT 1",
        "CREATE OR REPLACE ALGORITHM=MERGE DEFINER=`u`@`%` SQL SECURITY DEFINER VIEW v AS SELECT 1",
        "DROP VIEW IF EXISTS v",
        "CREATE DEFINER=`root`@`localhost` TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET @x = 1",
        "CREATE PROCEDURE p() BEGIN SELECT 1; END",
        "DROP FUNCTION f",
        "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t",
        "CREATE USER u IDENTIFIED BY 'x'",
        "DROP ROLE r",
        "RENAME USER a TO b",
        "CREATE INDEX i ON t (a)",
        "CREATE UNIQUE INDEX i ON t (a)",
        "DROP INDEX i ON t",
        "TRUNCATE TABLE t",
        "ANALYZE TABLE t",
        "OPTIMIZE TABLE t",
        "FLUSH TABLES",
        "SET NAMES utf8mb4",
        "CREATE TEMPORARY TABLE tmp (a INT)",
        "DROP TEMPORARY TABLE IF EXISTS tmp",
        "CREATE TABLE IF NOT EXISTS t (x INT, y INT)",
        "/*!40000 ALTER TABLE t DISABLE KEYS */",
      })
  void statementsThatChangeNoLayout_returnEmpty_andChangeNothing(String statement) {
    target.put(new DdlTarget.Table(table(), "utf8mb4"));
    target.calls.clear();
    List<TableId> changed = mysql.apply("db", statement, target);
    assertEquals(statement.contains("DISABLE") ? List.of(T) : List.of(), changed, statement);
    assertEquals(
        statement.contains("DISABLE") ? List.of("put db.t") : List.of(), target.calls, statement);
  }

  private io.canal4j.schema.TableSchema table() {
    mysql.apply("db", "CREATE TABLE t (a INT PRIMARY KEY, b VARCHAR(3))", target);
    return target.tables.get(T).schema();
  }

  @Test
  void unparseableLayoutDdl_throwsNamingTheProblem_andLeavesTargetUnchanged() {
    mysql.apply("db", "CREATE TABLE t (a INT, b INT)", target);
    Map<TableId, DdlTarget.Table> before = new HashMap<>(target.tables);
    int calls = target.calls.size();

    DdlException e =
        assertThrows(
            DdlException.class,
            () -> mysql.apply("db", "ALTER TABLE t ADD c INT, FROBNICATE d", target));
    assertTrue(e.getMessage().contains("ALTER TABLE specification"), e.getMessage());
    assertTrue(e.getMessage().contains("'FROBNICATE'"), e.getMessage());
    assertTrue(e.getMessage().contains(">>>FROBNICATE d"), e.getMessage());
    assertEquals(before, target.tables);
    assertEquals(calls, target.calls.size());

    DdlException type =
        assertThrows(
            DdlException.class, () -> mysql.apply("db", "CREATE TABLE u (a WIDGET(3))", target));
    assertTrue(type.getMessage().contains("a data type for column a"), type.getMessage());
    assertNull(target.get(TableId.of("db", "u")));

    DdlException missing =
        assertThrows(
            DdlException.class, () -> mysql.apply("db", "ALTER TABLE t DROP COLUMN zz", target));
    assertTrue(missing.getMessage().contains("column zz is not known"), missing.getMessage());

    DdlException noDb =
        assertThrows(DdlException.class, () -> mysql.apply("", "DROP TABLE t", target));
    assertTrue(noDb.getMessage().contains("no default database"), noDb.getMessage());

    assertThrows(DdlException.class, () -> mysql.apply("db", "IMPORT TABLE FROM 'x.sdi'", target));
    assertEquals(before, target.tables);
  }

  @Test
  void renameSwap_isSequential_andEverythingOrNothing() {
    mysql.apply("db", "CREATE TABLE a (x INT)", target);
    mysql.apply("db", "CREATE TABLE b (y INT)", target);
    List<TableId> changed = mysql.apply("db", "RENAME TABLE a TO tmp, b TO a, tmp TO b", target);
    assertEquals(6, changed.size());
    assertEquals(List.of("y"), names(TableId.of("db", "a")));
    assertEquals(List.of("x"), names(TableId.of("db", "b")));
    assertNull(target.get(TableId.of("db", "tmp")));

    assertThrows(DdlException.class, () -> mysql.apply("db", "RENAME TABLE a TO c, b TO", target));
    assertEquals(List.of("y"), names(TableId.of("db", "a")));
  }

  @Test
  void executableComments_followTheServerVersion() {
    String sql =
        "CREATE TABLE t (a INT /*!50100 , b INT */ /*!80032 , c INT */ /*!80031 , d INT */"
            + " /*M!100500 , e INT */ /*M!999999 , f INT */ /*! , g INT */ /*!99999 , h INT */)";
    mysql.apply("db", sql, target);
    assertEquals(List.of("a", "b", "d", "g"), names(T));

    new DdlParser(Flavor.MYSQL, 50700).apply("db", sql, target);
    assertEquals(List.of("a", "b", "g"), names(T));

    // MariaDB runs /*!NNNNN*/ below 50700, never MySQL 5.7+ versions, and its own /*M!*/.
    mariadb.apply("db", sql, target);
    assertEquals(List.of("a", "b", "e", "g"), names(T));
  }

  @Test
  void createSelect_inStatementFormat_marksTheTableUnknown_butRowFormatExpansionIsRead() {
    assertEquals(List.of(T), mysql.apply("db", "CREATE TABLE t AS SELECT 1 AS a", target));
    assertEquals(List.of("unknown db.t"), target.calls);

    mysql.apply(
        "db",
        "CREATE TABLE `t` (\n  `z` int DEFAULT NULL,\n  `a` int NOT NULL\n) START TRANSACTION",
        target);
    assertEquals(List.of("z", "a"), names(T));
  }

  @Test
  void createLike_ofAnUnknownTable_marksItUnknown() {
    mysql.apply("db", "CREATE TABLE t2 LIKE other.nope", target);
    assertEquals(List.of("unknown db.t2"), target.calls);
  }

  @Test
  void columnTypes_areThoseEachServerPrints() {
    String sql = "CREATE TABLE t (a INT, b TINYINT(1), c YEAR, d JSON, e BOOL UNSIGNED)";
    mysql.apply("db", sql, target);
    List<String> my =
        target.tables.get(T).schema().columns().stream().map(Column::columnType).toList();
    assertEquals(List.of("int", "tinyint(1)", "year", "json", "tinyint unsigned"), my);
    mariadb.apply("db", sql, target);
    List<String> maria =
        target.tables.get(T).schema().columns().stream().map(Column::columnType).toList();
    assertEquals(
        List.of("int(11)", "tinyint(1)", "year(4)", "longtext", "tinyint(1) unsigned"), maria);
    // MySQL before 8.0.19 printed display widths, and utf8 before 8.0.30.
    new DdlParser(Flavor.MYSQL, 80018)
        .apply("db", "CREATE TABLE t (a INT, b VARCHAR(2) CHARSET utf8)", target);
    Column b = target.tables.get(T).schema().column("b");
    assertEquals("int(11)", target.tables.get(T).schema().column("a").columnType());
    assertEquals("utf8", b.charset());
  }

  @Test
  void alterOfUnknownTable_marksItUnknown_andRenameMovesTheUnknown() {
    assertEquals(
        List.of(TableId.of("db", "x"), TableId.of("db", "y")),
        mysql.apply("db", "ALTER TABLE x ADD c INT, RENAME TO y", target));
    assertEquals(List.of("remove db.x", "unknown db.y"), target.calls);
  }
}
