package io.canal4j.schema.internal.ddl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.SchemaException;
import io.canal4j.schema.Column;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import io.canal4j.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs each DDL statement on a real server and through {@link DdlParser}, and checks after every
 * statement that each table the parser knows equals what information_schema reports, charset
 * included, and that no table exists on one side only.
 */
class DdlParserOracleTest {
  private static final String SERVERS = "io.canal4j.testkit.SandboxServers#all";

  @ParameterizedTest
  @MethodSource(SERVERS)
  void everyStatement_leavesTheTablesThatInformationSchemaReports(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      String db2 = db.name() + "_2";
      try (Connection c = db.connect()) {
        Oracle oracle = new Oracle(server, c, db.name(), db2);
        for (String statement : statements(server.flavor(), db2)) {
          oracle.check(statement);
        }
        assertTrue(
            oracle.failures.isEmpty(),
            oracle.failures.size() + " failures:\n\n" + String.join("\n\n", oracle.failures));
      } finally {
        server.execute("DROP DATABASE IF EXISTS " + db2);
      }
    }
  }

  private static List<String> statements(ServerFlavor flavor, String db2) {
    List<String> s = new ArrayList<>();
    s.add("ALTER DATABASE CHARACTER SET latin1");
    s.add(
        "CREATE TABLE t1 (id INT PRIMARY KEY, name VARCHAR(20),"
            + " price DECIMAL(10,2) UNSIGNED NOT NULL DEFAULT 0.00)");
    s.add(
        "CREATE TABLE ints (a TINYINT, b TINYINT(1), c TINYINT(1) UNSIGNED, d SMALLINT UNSIGNED,"
            + " e MEDIUMINT ZEROFILL, f INT(5) ZEROFILL, g BIGINT(3) UNSIGNED ZEROFILL, h INT1,"
            + " i INT2, j INT3, k INT4, l INT8, m MIDDLEINT, n INTEGER(7), o BOOL,"
            + " p BOOLEAN NOT NULL, q SERIAL, r INT SIGNED, s BIT, t BIT(17), u DECIMAL,"
            + " v DEC(5), w NUMERIC(6,2), x FIXED(7,3) UNSIGNED, y FLOAT, z FLOAT(10),"
            + " a2 FLOAT(30), b2 FLOAT(7,3) ZEROFILL, c2 DOUBLE, d2 DOUBLE PRECISION, e2 REAL,"
            + " f2 DOUBLE(10,2) UNSIGNED, g2 YEAR, h2 YEAR(4), i2 TINYINT(1) ZEROFILL,"
            + " j2 INT(11) UNSIGNED, k2 REAL(5,2) UNSIGNED, l2 BIGINT(20), m2 FLOAT(24) UNSIGNED,"
            + " n2 FLOAT4, o2 FLOAT8, p2 FLOAT4(7,3) UNSIGNED)");
    s.add("CREATE TABLE serial_dv (a INT SERIAL DEFAULT VALUE, b INT)");
    s.add(
        "CREATE TABLE texts (a DATE, b DATETIME, c DATETIME(3), d TIMESTAMP(6) NULL DEFAULT NULL,"
            + " e TIME(2), f CHAR, g CHAR(10) CHARACTER SET utf8mb4, h NCHAR(5),"
            + " i NATIONAL CHAR(3), j VARCHAR(20) COLLATE utf8mb4_bin, k NVARCHAR(4),"
            + " l CHARACTER VARYING(7), m BINARY, n BINARY(4), o VARBINARY(9), p TINYBLOB,"
            + " q BLOB, r MEDIUMBLOB, s LONGBLOB, t TINYTEXT, u TEXT, v MEDIUMTEXT, w LONGTEXT,"
            + " x BLOB(100), y BLOB(300), z TEXT(255), a2 TEXT(64) CHARSET utf8mb4,"
            + " b2 TEXT(70000), c2 LONG, d2 LONG VARCHAR, e2 LONG VARBINARY,"
            + " f2 ENUM('a ', 'b  c  ', 'it''s', 'back\\\\slash', \"dq\"),"
            + " g2 SET('x','y ') CHARACTER SET gbk, h2 CHAR(5) CHARACTER SET binary,"
            + " i2 VARCHAR(5) CHARSET binary, j2 TEXT CHARSET binary, k2 CHAR(3) BINARY,"
            + " l2 VARCHAR(3) ASCII, m2 VARCHAR(3) UNICODE, n2 NATIONAL VARCHAR(3),"
            + " o2 NCHAR VARCHAR(2), p2 CHAR BYTE, q2 JSON, r2 GEOMETRY, s2 POINT,"
            + " t2 LINESTRING, u2 POLYGON, v2 MULTIPOINT, w2 MULTILINESTRING, x2 MULTIPOLYGON,"
            + " y2 GEOMETRYCOLLECTION, z2 VARCHAR(10) CHARACTER SET utf8, a3 TINYTEXT CHARSET gbk,"
            + " b3 MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci) DEFAULT CHARSET=latin1");
    s.add(
        "CREATE TABLE attrs (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'the id',"
            + " created TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"
            + " ON UPDATE CURRENT_TIMESTAMP(3), d DATETIME DEFAULT NOW(), v INT DEFAULT (1 + 2),"
            + " w VARCHAR(10) NOT NULL DEFAULT 'x,y)' COLLATE latin1_bin,"
            + " x INT AS (v * 2) VIRTUAL, y INT GENERATED ALWAYS AS (v + 1) STORED,"
            + " u INT UNIQUE KEY, k INT CHECK (k > 0), r INT, b BIT(3) DEFAULT b'101',"
            + " neg INT DEFAULT -1, f FLOAT DEFAULT +1.5, s VARCHAR(5) DEFAULT _utf8mb4'abc',"
            + " inv INT INVISIBLE,"
            + " PRIMARY KEY USING BTREE (id), UNIQUE KEY uk (w(5)), INDEX ix (v DESC),"
            + " FULLTEXT KEY ft (w), CONSTRAINT chk CHECK (v < 100),"
            + " CONSTRAINT fk FOREIGN KEY (r) REFERENCES t1 (id) ON DELETE CASCADE"
            + " ON UPDATE SET NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
            + " COLLATE=utf8mb4_unicode_ci COMMENT='tbl' ROW_FORMAT=DYNAMIC");
    s.add(
        "ALTER TABLE t1 ADD COLUMN qty INT NOT NULL DEFAULT 0 AFTER id, ADD note TEXT FIRST,"
            + " MODIFY name VARCHAR(40) NOT NULL, CHANGE price cost DECIMAL(12,3)");
    s.add("ALTER TABLE t1 DROP COLUMN note, ADD (c1 INT, c2 VARCHAR(3) CHARACTER SET gbk)");
    s.add("ALTER TABLE t1 RENAME COLUMN c1 TO c1_renamed, ALTER COLUMN qty SET DEFAULT 5");
    s.add("ALTER TABLE t1 ALTER qty DROP DEFAULT");
    s.add("ALTER TABLE t1 DROP PRIMARY KEY, ADD PRIMARY KEY (id, qty)");
    s.add("ALTER TABLE t1 CHANGE id ident INT NOT NULL FIRST");
    s.add("ALTER TABLE t1 MODIFY qty BIGINT");
    s.add(
        "ALTER TABLE t1 ADD INDEX ix_name (name), ADD UNIQUE KEY (c2), ENGINE=InnoDB,"
            + " ALGORITHM=DEFAULT, LOCK=DEFAULT");
    s.add("ALTER TABLE t1 DEFAULT CHARSET=utf8mb4, MODIFY c2 VARCHAR(3), ADD c3 CHAR(2)");
    s.add("ALTER TABLE t1 CHARACTER SET = gbk");
    s.add("ALTER TABLE t1 ADD c4 TINYTEXT, ADD c5 ENUM('p','q') AFTER ident");
    s.add("ALTER TABLE texts CONVERT TO CHARACTER SET utf8mb4");
    s.add("ALTER TABLE t1 CONVERT TO CHARACTER SET latin1 COLLATE latin1_general_ci");
    s.add("ALTER TABLE t1 COMMENT 'x' ENGINE = InnoDB AUTO_INCREMENT = 10, FORCE");
    s.add("ALTER TABLE t1 ADD CONSTRAINT c_chk CHECK (qty >= 0)");
    s.add("ALTER TABLE t1 DROP CONSTRAINT c_chk");
    s.add("ALTER TABLE t1 RENAME TO t1_new");
    s.add("ALTER TABLE t1_new RENAME INDEX ix_name TO ix_name2, RENAME AS t1");
    s.add("RENAME TABLE t1 TO tmp, attrs TO t1, tmp TO attrs");
    s.add("RENAME TABLE t1 TO t1_b, attrs TO t1");
    s.add("CREATE DATABASE " + db2 + " CHARACTER SET gbk");
    s.add("CREATE TABLE " + db2 + ".g (a VARCHAR(3), b TEXT(100))");
    s.add("ALTER DATABASE " + db2 + " COLLATE utf8mb4_bin");
    s.add("CREATE TABLE `" + db2 + "`.h (a CHAR(1))");
    s.add("RENAME TABLE t1_b TO " + db2 + ".moved");
    s.add("CREATE TABLE like_t LIKE t1");
    s.add("CREATE TABLE IF NOT EXISTS like_t (x INT)");
    s.add("DROP TABLE IF EXISTS like_t, nonexistent");
    s.add(
        "CREATE TABLE pk2 (a INT NOT NULL, b VARCHAR(10) NOT NULL, c INT,"
            + " CONSTRAINT pk PRIMARY KEY (b(5), a DESC))");
    s.add("ALTER TABLE pk2 DROP COLUMN a, DROP COLUMN b");
    s.add("CREATE TABLE pk3 (a INT, b INT, c INT, PRIMARY KEY (a, b))");
    s.add("ALTER TABLE pk3 ADD d INT FIRST, MODIFY b INT AFTER c, MODIFY c BIGINT FIRST");
    s.add("CREATE TABLE `we``ird tbl` (`col with space` INT PRIMARY KEY, `UPPER` INT)");
    s.add("ALTER TABLE `we``ird tbl` CHANGE `upper` `lower` BIGINT, MODIFY `COL WITH SPACE` INT");
    s.add("SET @saved_mode = @@sql_mode");
    s.add("SET sql_mode = 'ANSI_QUOTES'");
    s.add("CREATE TABLE \"dq tbl\" (\"dq col\" INT, \"x\"\"y\" VARCHAR(3))");
    s.add("ALTER TABLE \"dq tbl\" ADD \"z\" INT");
    s.add("SET sql_mode = @saved_mode");
    s.add(
        "CREATE TABLE ec (a INT /*!50100 , b INT */ /*!99999 , c INT */ /*!80000 , d INT */"
            + " /*M!100100 , e INT */ /*! , f INT */) /*!40101 DEFAULT CHARSET=utf8mb4 */");
    s.add(
        "CREATE TABLE comments (a INT -- a comment, x INT\n, b INT # hash, y INT\n,"
            + " /* c INT, */ d INT)");
    s.add("CREATE TABLE cs (a VARCHAR(3)) COLLATE latin1_bin");
    s.add("CREATE TABLE cs2 (a VARCHAR(3), b CHAR(2) COLLATE gbk_bin) DEFAULT CHARACTER SET gbk");
    s.add("ALTER TABLE cs2 ADD c VARCHAR(1), DEFAULT COLLATE utf8mb4_general_ci");
    s.add(
        "CREATE TABLE part (a INT NOT NULL, b INT, PRIMARY KEY (a)) PARTITION BY RANGE (a)"
            + " (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE)");
    s.add("ALTER TABLE part ADD c INT, ALGORITHM=COPY");
    s.add("ALTER TABLE part TRUNCATE PARTITION p0, p1");
    s.add("ALTER TABLE part ORDER BY b, a");
    s.add("CREATE INDEX ix_b ON part (b)");
    s.add("DROP INDEX ix_b ON part");
    s.add("TRUNCATE TABLE part");
    s.add("CREATE VIEW v AS SELECT a FROM part");
    s.add("DROP VIEW v");
    s.add("INSERT INTO part (a, b) VALUES (1, 2)");
    s.add("CREATE TEMPORARY TABLE tmp1 (a INT)");
    s.add("DROP TEMPORARY TABLE tmp1");
    s.add("DROP TABLE part, cs");
    s.add("DROP TABLE IF EXISTS nothing_here");
    if (flavor == ServerFlavor.MYSQL) {
      s.add("CREATE TABLE geo (p POINT NOT NULL SRID 4326, g GEOMCOLLECTION)");
      s.add("CREATE TABLE pk4 (a INT, b INT, c INT, PRIMARY KEY (a, b))");
      s.add("ALTER TABLE pk4 DROP COLUMN a");
      s.add("ALTER TABLE pk4 ADD INDEX ixc (c), ALTER COLUMN c SET INVISIBLE");
      s.add("ALTER TABLE pk4 ALTER INDEX ixc INVISIBLE");
      s.add("ALTER TABLE pk4 DROP INDEX `PRIMARY`");
      s.add("ALTER TABLE pk4 ADD CONSTRAINT c2 CHECK (c > 0) NOT ENFORCED");
      s.add("ALTER TABLE pk4 DROP CHECK c2");
      s.add("ALTER TABLE pk4 ADD cf INT COLUMN_FORMAT FIXED STORAGE MEMORY");
    } else {
      s.add("CREATE OR REPLACE TABLE t9 (a INT, b INT AS (a + 1) PERSISTENT, c INET6)");
      s.add("CREATE OR REPLACE TABLE t9 (a INT, b INT AS (a + 1) PERSISTENT)");
      s.add("ALTER TABLE t9 ADD COLUMN IF NOT EXISTS a INT, ADD COLUMN IF NOT EXISTS c INT");
      s.add("ALTER TABLE t9 DROP COLUMN IF EXISTS zz, MODIFY COLUMN IF EXISTS zz INT");
      s.add("ALTER TABLE t9 CHANGE COLUMN IF EXISTS c cc VARCHAR(2)");
      s.add("ALTER TABLE IF EXISTS t9 WAIT 5 ADD d JSON");
      s.add("SET STATEMENT max_statement_time = 100 FOR ALTER TABLE t9 ADD e INT");
      s.add("CREATE TABLE per (s DATE, e DATE, PERIOD FOR app (s, e))");
      s.add("CREATE TABLE per2 (s DATE, e DATE, x INT)");
      s.add("ALTER TABLE per2 ADD PERIOD FOR p2 (s, e)");
      s.add("CREATE TABLE mpk (a INT NULL, b INT, PRIMARY KEY (a))");
      s.add("ALTER TABLE mpk MODIFY a INT NULL");
    }
    s.add("DROP DATABASE " + db2);
    return s;
  }

  /** Runs statements on the server and the parser side by side and compares after each. */
  private static final class Oracle {
    final List<String> failures = new ArrayList<>();
    private final Connection connection;
    private final String db;
    private final String db2;
    private final DdlParser parser;
    private final MapDdlTarget target;
    private final InformationSchemaCache cache;

    Oracle(SandboxServer server, Connection connection, String db, String db2) {
      this.connection = connection;
      this.db = db;
      this.db2 = db2;
      Flavor flavor = server.flavor() == ServerFlavor.MARIADB ? Flavor.MARIADB : Flavor.MYSQL;
      this.parser = new DdlParser(flavor, versionNumber(server.version()));
      this.cache = new InformationSchemaCache(server::connect);
      this.target = new MapDdlTarget(this::schemaCharset);
    }

    void check(String statement) throws SQLException {
      try (Statement s = connection.createStatement()) {
        s.execute(statement);
      } catch (SQLException e) {
        throw new SQLException("the server refused: " + statement, e);
      }
      int callsBefore = target.calls.size();
      try {
        parser.apply(db, statement, target);
      } catch (DdlException e) {
        failures.add(statement + "\n  parser failed: " + e.getMessage());
      }
      for (String call : target.calls.subList(callsBefore, target.calls.size())) {
        if (call.startsWith("unknown ") && !statement.contains("INET6")) {
          failures.add(statement + "\n  parser gave up: " + call);
        }
      }
      compare(statement);
    }

    private void compare(String statement) throws SQLException {
      Map<TableId, String> server = serverTables();
      for (Map.Entry<TableId, String> e : server.entrySet()) {
        TableId id = e.getKey();
        DdlTarget.Table actual = target.tables.get(id);
        TableSchema expected;
        try {
          expected = cache.load(id);
        } catch (SchemaException unsupported) {
          // A type canal4j does not support: the parser must not claim to know the table.
          if (actual != null) {
            failures.add(statement + "\n  parser knows " + id + ": " + unsupported.getMessage());
            target.tables.remove(id);
          }
          continue;
        }
        String diff = diff(expected, e.getValue(), actual);
        if (diff != null) {
          failures.add(statement + "\n  " + id + ": " + diff);
        }
        if (diff != null) {
          target.tables.put(id, new DdlTarget.Table(expected, e.getValue()));
        }
      }
      for (TableId id : List.copyOf(target.tables.keySet())) {
        if (!server.containsKey(id)) {
          failures.add(statement + "\n  parser still has " + id + ", the server does not");
          target.tables.remove(id);
        }
      }
    }

    private static String diff(TableSchema expected, String charset, DdlTarget.Table actual) {
      if (actual == null) {
        return "the parser does not know the table; the server has " + expected;
      }
      List<String> d = new ArrayList<>();
      if (!expected.id().equals(actual.schema().id())) {
        d.add("id: server " + expected.id() + ", parser " + actual.schema().id());
      }
      if (!charset.equals(actual.charset())) {
        d.add("charset: server " + charset + ", parser " + actual.charset());
      }
      List<Column> e = expected.columns();
      List<Column> a = actual.schema().columns();
      for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
        Column ec = i < e.size() ? e.get(i) : null;
        Column ac = i < a.size() ? a.get(i) : null;
        if (ec == null || !ec.equals(ac)) {
          d.add("column " + i + ":\n      server " + ec + "\n      parser " + ac);
        }
      }
      if (!expected.primaryKey().equals(actual.schema().primaryKey())) {
        d.add(
            "primary key: server "
                + expected.primaryKey()
                + ", parser "
                + actual.schema().primaryKey());
      }
      return d.isEmpty() ? null : String.join("\n    ", d);
    }

    /** The base tables of both test databases with their charset. */
    private Map<TableId, String> serverTables() throws SQLException {
      Map<TableId, String> tables = new LinkedHashMap<>();
      try (PreparedStatement ps =
          connection.prepareStatement(
              "SELECT T.TABLE_SCHEMA, T.TABLE_NAME, C.CHARACTER_SET_NAME"
                  + " FROM information_schema.TABLES T JOIN information_schema.COLLATIONS C"
                  + " ON C.COLLATION_NAME = T.TABLE_COLLATION"
                  + " WHERE T.TABLE_SCHEMA IN (?, ?) AND T.TABLE_TYPE = 'BASE TABLE'"
                  + " ORDER BY 1, 2")) {
        ps.setString(1, db);
        ps.setString(2, db2);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tables.put(TableId.of(rs.getString(1), rs.getString(2)), rs.getString(3));
          }
        }
      }
      return tables;
    }

    private String schemaCharset(String database) {
      try (PreparedStatement ps =
          connection.prepareStatement(
              "SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA"
                  + " WHERE SCHEMA_NAME = ?")) {
        ps.setString(1, database);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** {@code 8.0.31} is 80031, {@code 10.11.6-MariaDB} is 101106. */
  static int versionNumber(String version) {
    String[] parts = version.split("[^0-9]+");
    return Integer.parseInt(parts[0]) * 10_000
        + Integer.parseInt(parts[1]) * 100
        + Integer.parseInt(parts[2]);
  }
}
