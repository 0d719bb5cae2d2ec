package io.canal4j.schema.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.SchemaException;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeding, restoring and unparseable statements; replay across DDL is tested through a canal. */
class SchemaHistoryCacheTest {
  private static final String SERVERS = "io.canal4j.testkit.SandboxServers#all";
  private static final Position AT = Position.of(Flavor.MYSQL, "binlog.000001", 4);

  @ParameterizedTest
  @MethodSource(SERVERS)
  void seed_keepsEveryTableOfTheStreamedDatabases_andRestoresFromItsText(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        TestDatabase other = server.createDatabase()) {
      db.execute(
          "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10) CHARACTER SET latin1)",
          "CREATE TABLE _t_new (id INT PRIMARY KEY, b INT)",
          "CREATE VIEW v AS SELECT id FROM t");
      other.execute("CREATE TABLE u (id INT PRIMARY KEY)");
      Predicate<TableId> onlyT = id -> id.equals(TableId.of(db.name(), "t"));

      SchemaHistoryCache cache = new SchemaHistoryCache(server::connect, false);
      cache.start(AT, null, onlyT);
      InformationSchemaCache today = new InformationSchemaCache(server::connect);
      assertEquals(
          today.load(TableId.of(db.name(), "t")), cache.get(TableId.of(db.name(), "t")).schema());
      assertEquals(
          today.load(TableId.of(db.name(), "_t_new")),
          cache.get(TableId.of(db.name(), "_t_new")).schema(),
          "a table of the same database is kept, for copy-and-rename migrations");
      assertEquals(null, cache.get(TableId.of(db.name(), "v")), "views are not tables");
      assertEquals(null, cache.get(TableId.of(other.name(), "u")), "other databases are not kept");

      String text = cache.history();
      assertSame(text, cache.history(), "unchanged: the same text");
      SchemaHistoryCache restored = new SchemaHistoryCache(server::connect, false);
      db.execute("ALTER TABLE t ADD COLUMN later INT"); // restoring must not read today's tables
      restored.start(AT, text, onlyT);
      assertEquals(cache.get(TableId.of(db.name(), "t")), restored.get(TableId.of(db.name(), "t")));
      assertSame(text, restored.history());
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void unparseableDdl_aboutAKeptTable_stopsNamingTheStatement_orIsSkippedWhenAllowed(
      SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      TableId t = TableId.of(db.name(), "t");
      String statement = "ALTER TABLE t FROBNICATE COLUMN id";
      Position later = later(server);

      SchemaHistoryCache strict = new SchemaHistoryCache(server::connect, false);
      strict.start(AT, null, id -> id.equals(t));
      strict.applyDdl(db.name(), "ANALYZE TABLE t", later); // past the seed's horizon
      String before = strict.history();
      SchemaException e =
          assertThrows(SchemaException.class, () -> strict.applyDdl(db.name(), statement, later));
      assertTrue(e.getMessage().contains(statement), e.getMessage());
      assertTrue(e.getMessage().contains("skipUnparseableDdl()"), e.getMessage());
      assertTrue(e.getMessage().contains(later.toString()), e.getMessage());
      assertEquals(t, e.table());
      assertSame(before, strict.history(), "nothing changed");

      // Statements about tables the history does not keep do not matter.
      strict.applyDdl("elsewhere", "ALTER TABLE x FROBNICATE", later);
      assertSame(before, strict.history());

      SchemaHistoryCache lenient = new SchemaHistoryCache(server::connect, true);
      lenient.start(AT, null, id -> id.equals(t));
      lenient.applyDdl(db.name(), statement, later);
      assertEquals(null, lenient.get(t), "forgotten: read from information_schema when needed");
      assertNotSame(before, lenient.history());
      assertFalse(lenient.history().contains("\tt\t"), lenient.history());
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void ddl_advancesTheHistory(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, a INT)");
      TableId t = TableId.of(db.name(), "t");
      SchemaHistoryCache cache = new SchemaHistoryCache(server::connect, false);
      cache.start(AT, null, id -> id.database().equals(db.name()));
      String before = cache.history();
      String ddl = "ALTER TABLE t ADD COLUMN b VARCHAR(5) FIRST, RENAME COLUMN a TO c";
      cache.applyDdl(db.name(), ddl, later(server));
      db.execute(ddl);
      assertEquals(new InformationSchemaCache(server::connect).load(t), cache.get(t).schema());
      assertEquals(
          List.of("b", "id", "c"),
          cache.get(t).schema().columns().stream().map(c -> c.name()).toList());
      assertNotSame(before, cache.history());
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void ddlBeforeTheSeedsHorizon_isNotAppliedTwice_butForgotten(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      // The canal's start position is read, then this ALTER runs, then the seed is read: the seed
      // already has column b, and the ALTER, met again in the stream, must not add it twice.
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      Position start = later(server).withOffset(later(server).file(), 4);
      db.execute("ALTER TABLE t ADD COLUMN b INT");
      TableId t = TableId.of(db.name(), "t");
      SchemaHistoryCache cache = new SchemaHistoryCache(server::connect, false);
      cache.start(start, null, id -> id.equals(t));
      assertEquals(2, cache.get(t).schema().columnCount());
      String seeded = cache.history();
      assertTrue(seeded.contains("horizon"), "the horizon is saved with the history");
      cache.applyDdl(
          db.name(), "ALTER TABLE t ADD COLUMN b INT", start.withOffset(start.file(), 5));
      assertEquals(null, cache.get(t), "forgotten, read again when next needed");
      cache.applyDdl(db.name(), "ALTER TABLE t2 ADD COLUMN c INT", later(server));
      assertFalse(cache.history().contains("horizon"), "passed, so no longer saved");
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void ddlBeforeTheSeedsHorizon_byGtidSet_isForgotten_andOneAfterItIsApplied(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      // As above, with GTIDs, which decide the order (after a fail-over the offsets are another
      // server's): the horizon must carry the server's GTID set where the seed was read, not the
      // start's, or the ALTER before it counts as after it and is applied twice.
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE u (id INT PRIMARY KEY)");
      Position start = now(server);
      db.execute("ALTER TABLE t ADD COLUMN b INT");
      Position alter = now(server);
      TableId t = TableId.of(db.name(), "t");
      SchemaHistoryCache cache = new SchemaHistoryCache(server::connect, false);
      cache.start(start, null, id -> id.database().equals(db.name()));
      assertEquals(2, cache.get(t).schema().columnCount());
      cache.applyDdl(db.name(), "ALTER TABLE t ADD COLUMN b INT", alter);
      assertEquals(null, cache.get(t), "forgotten, read again when next needed");
      assertTrue(cache.history().contains("horizon"), "not passed yet");

      db.execute("ALTER TABLE u ADD COLUMN c INT");
      cache.applyDdl(db.name(), "ALTER TABLE u ADD COLUMN c INT", now(server));
      assertFalse(cache.history().contains("horizon"), "passed");
      assertEquals(
          List.of("id", "c"),
          cache.get(TableId.of(db.name(), "u")).schema().columns().stream()
              .map(c -> c.name())
              .toList(),
          "a DDL after the horizon is applied");
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void createIfNotExists_ofAForgottenTable_keepsItUnknown(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, a INT)");
      TableId t = TableId.of(db.name(), "t");
      SchemaHistoryCache cache = new SchemaHistoryCache(server::connect, true);
      cache.start(AT, null, id -> id.equals(t));
      Position later = later(server);
      cache.applyDdl(db.name(), "ALTER TABLE t FROBNICATE", later); // skipped: t is forgotten
      // The table still exists with its two columns; this statement creates nothing.
      cache.applyDdl(db.name(), "CREATE TABLE IF NOT EXISTS t (x VARCHAR(5))", later);
      assertEquals(null, cache.get(t), "not the statement's definition: still unknown");
      // A CREATE without IF NOT EXISTS did create what it says.
      cache.applyDdl(db.name(), "DROP TABLE t", later);
      cache.applyDdl(db.name(), "CREATE TABLE t (x VARCHAR(5))", later);
      assertEquals(1, cache.get(t).schema().columnCount());
    }
  }

  /** The server's position now, with its GTID set (GTIDs are on in every sandbox). */
  private static Position now(SandboxServer server) throws Exception {
    boolean mysql = server.flavor() == io.canal4j.testkit.ServerFlavor.MYSQL;
    Flavor flavor = mysql ? Flavor.MYSQL : Flavor.MARIADB;
    try (java.sql.Connection c = server.connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      rs.next();
      String file = rs.getString(1);
      long offset = rs.getLong(2);
      String gtids = mysql ? rs.getString(5) : null;
      if (!mysql) {
        try (java.sql.ResultSet g = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
          g.next();
          gtids = g.getString(1);
        }
      }
      return Position.of(flavor, file, offset)
          .withGtids(io.canal4j.schema.GtidSet.parse(flavor, gtids));
    }
  }

  /** A position after everything the server has written so far. */
  private static Position later(SandboxServer server) throws Exception {
    try (java.sql.Connection c = server.connect();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      rs.next();
      return Position.of(
          server.flavor() == io.canal4j.testkit.ServerFlavor.MYSQL ? Flavor.MYSQL : Flavor.MARIADB,
          rs.getString(1),
          rs.getLong(2) + 1_000_000_000L);
    }
  }
}
