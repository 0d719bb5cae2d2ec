package io.canal4j.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Column;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.value.JdbcValues;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.io.IOException;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plans and reads tables of every key kind inside one consistent snapshot, and checks that the
 * chunks together hold the table exactly once, in key order, in chunks of {@code chunkRows} rows.
 * The oracle is a plain SELECT of the whole table in the same transaction.
 */
class TableReaderTest {
  private static final String BOTH = "io.canal4j.testkit.SandboxServers#all";

  @ParameterizedTest
  @MethodSource(BOTH)
  void singleIntKey_chunksHoldTheTableOnce(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(20), n BIGINT)");
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < 1003; i++) {
        rows.add("(" + (i * 7 - 3000) + ", 'row " + i + "', " + (i % 5 == 0 ? "NULL" : i) + ")");
      }
      insert(db, "t", rows);

      List<Chunk> chunks = assertChunksHoldTable(db, "t", 100, 1003);
      assertEquals(11, chunks.size());
      assertEquals(List.of(-3000 + 99 * 7), chunks.get(0).upper());
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void compositeKey_caseInsensitiveCollation_followsTheCollation(SandboxServer server)
      throws Exception {
    String[] words = {"alpha", "Bravo", "CHARLIE", "delta", "Écho", "foxtrot", "Golf", "hôtel"};
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE u (a INT, b VARCHAR(30) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci,"
              + " v INT, PRIMARY KEY (a, b))",
          "CREATE TABLE l (a INT, b VARCHAR(30) CHARACTER SET latin1 COLLATE latin1_swedish_ci,"
              + " v INT, PRIMARY KEY (a, b))");
      List<String> rows = new ArrayList<>();
      for (int a = 0; a < 12; a++) {
        for (int j = 0; j < 40; j++) {
          String w = words[j % words.length] + "-" + j;
          // alternate the case, so binary order and the collation's order disagree
          w = j % 3 == 0 ? w.toUpperCase(java.util.Locale.ROOT) : w;
          rows.add("(" + a + ", '" + w + "', " + (a * 100 + j) + ")");
        }
      }
      insert(db, "u", rows);
      insert(db, "l", rows);

      assertChunksHoldTable(db, "u", 37, 480);
      assertChunksHoldTable(db, "l", 37, 480);
      assertChunksHoldTable(db, "u", 1, 480);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void bigintUnsignedKey_upTo2pow64minus1_isExact(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id BIGINT UNSIGNED PRIMARY KEY, note VARCHAR(30))");
      BigInteger max = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);
      TreeSet<BigInteger> keys = new TreeSet<>();
      for (long i = 0; i < 10; i++) {
        keys.add(BigInteger.valueOf(i));
        keys.add(max.subtract(BigInteger.valueOf(i))); // neighbours a DOUBLE cannot tell apart
        keys.add(BigInteger.TWO.pow(63).add(BigInteger.valueOf(i - 5)));
      }
      Random random = new Random(7);
      for (int i = 0; i < 30; i++) {
        keys.add(new BigInteger(64, random));
      }
      List<String> rows = new ArrayList<>();
      for (BigInteger k : keys) {
        rows.add("(" + k + ", '" + k + "')");
      }
      insert(db, "t", rows);

      List<Chunk> chunks = assertChunksHoldTable(db, "t", 3, keys.size());
      assertTrue(chunks.get(chunks.size() - 2).upper().get(0) instanceof BigInteger);
      assertChunksHoldTable(db, "t", 1, keys.size());
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void negativeSignedKeys_areOrderedBySign(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE t (id BIGINT PRIMARY KEY, note VARCHAR(30))",
          "CREATE TABLE s (id TINYINT PRIMARY KEY)");
      List<String> rows = new ArrayList<>();
      for (long k :
          new long[] {Long.MIN_VALUE, Long.MIN_VALUE + 1, -4294967296L, -1, 0, 1, Long.MAX_VALUE}) {
        rows.add("(" + k + ", 'edge')");
      }
      for (int i = 1; i <= 100; i++) {
        rows.add("(" + (-i * 1000L) + ", 'neg')");
      }
      insert(db, "t", rows);
      List<String> tiny = new ArrayList<>();
      for (int i = -128; i <= 127; i++) {
        tiny.add("(" + i + ")");
      }
      insert(db, "s", tiny);

      assertChunksHoldTable(db, "t", 7, 107);
      assertChunksHoldTable(db, "s", 16, 256);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void decimalKey_keepsEveryFractionalDigit(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id DECIMAL(20,6) PRIMARY KEY, note VARCHAR(30))");
      List<String> rows = new ArrayList<>();
      for (String k :
          new String[] {
            "-99999999999999.999999",
            "-99999999999999.999998",
            "-0.000001",
            "0",
            "0.000001",
            "0.000002",
            "99999999999999.999998",
            "99999999999999.999999"
          }) {
        rows.add("(" + k + ", 'edge')");
      }
      for (int i = 1; i <= 60; i++) {
        rows.add("(12345678901234." + String.format("%06d", i) + ", 'near')");
      }
      insert(db, "t", rows);

      assertChunksHoldTable(db, "t", 5, 68);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void temporalKeys_keepFractionalSeconds(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE dt (id DATETIME(6) PRIMARY KEY, note VARCHAR(30))",
          "CREATE TABLE ts (id TIMESTAMP(3) NOT NULL PRIMARY KEY)",
          "CREATE TABLE tm (id TIME(6) PRIMARY KEY)",
          "CREATE TABLE d (id DATE PRIMARY KEY)");
      List<String> datetimes = new ArrayList<>();
      List<String> timestamps = new ArrayList<>();
      List<String> times = new ArrayList<>();
      List<String> dates = new ArrayList<>();
      datetimes.add("('1000-01-01 00:00:00', 'min')");
      datetimes.add("('9999-12-31 23:59:59.999999', 'max')");
      times.add("('-838:59:59')");
      times.add("('838:59:59')");
      for (int i = 0; i < 50; i++) {
        // rows a microsecond apart: a bound that loses its fraction splits them wrongly
        datetimes.add(String.format("('2024-03-01 12:00:00.%06d', 'us')", i));
        datetimes.add(String.format("('2024-03-01 12:00:%02d.5', 's')", i));
        timestamps.add(String.format("('2024-03-01 12:00:00.%03d')", i));
        times.add(String.format("('-00:00:00.%06d')", i + 1));
        times.add(String.format("('00:00:00.%06d')", i));
        times.add(String.format("('%d:00:00.5')", 100 + i));
        dates.add(String.format("('2024-%02d-%02d')", 1 + i % 12, 1 + i % 28));
      }
      insert(db, "dt", datetimes);
      insert(db, "ts", timestamps);
      insert(db, "tm", times);
      insert(db, "d", dates);
      db.execute("INSERT INTO d VALUES ('1000-01-01'), ('9999-12-31')");

      assertChunksHoldTable(db, "dt", 3, 102);
      assertChunksHoldTable(db, "ts", 4, 50);
      assertChunksHoldTable(db, "tm", 6, 152);
      assertChunksHoldTable(db, "d", 9, 52);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void binaryKeys_withZeroBytes_compareBytewise(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE vb (id VARBINARY(16) PRIMARY KEY, note VARCHAR(30))",
          "CREATE TABLE b (id BINARY(4) PRIMARY KEY)");
      TreeSet<String> keys =
          new TreeSet<>(
              List.of(
                  "", "00", "0000", "000000", "0001", "01", "00ff", "ff", "ff00", "7f", "80", "5c",
                  "27"));
      Random random = new Random(11);
      while (keys.size() < 73) {
        byte[] b = new byte[1 + random.nextInt(6)];
        random.nextBytes(b);
        b[random.nextInt(b.length)] = 0;
        keys.add(HexFormat.of().formatHex(b));
      }
      List<String> rows = new ArrayList<>();
      for (String hex : keys) {
        rows.add("(X'" + hex + "', 'k')");
      }
      insert(db, "vb", rows);
      List<String> fixed = new ArrayList<>();
      for (String hex : new String[] {"00", "0001", "00000001", "ff", "01", "5c27"}) {
        fixed.add("(X'" + hex + "')");
      }
      insert(db, "b", fixed);

      assertChunksHoldTable(db, "vb", 4, 73);
      assertChunksHoldTable(db, "b", 2, 6);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void skewedKeys_stillGiveChunksOfChunkRows(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, note VARCHAR(30))");
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        rows.add("(" + (1_000_000 + i) + ", 'dense')");
      }
      for (long k : new long[] {-9_000_000_000_000_000L, 1L << 40, 1L << 50, Long.MAX_VALUE}) {
        rows.add("(" + k + ", 'outlier')");
      }
      insert(db, "t", rows);

      List<Chunk> chunks = assertChunksHoldTable(db, "t", 150, 2004);
      assertEquals(2004 / 150 + 1, chunks.size());
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void otherKeyTypes_enumSetFloatDoubleBitYearChar_compareLikeTheIndex(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          // ENUM and SET sort by number, not label: zebra < apple < mango
          "CREATE TABLE e (id ENUM('zebra','apple','mango','kiwi','banana','fig') PRIMARY KEY)",
          "INSERT INTO e VALUES ('zebra'), ('apple'), ('mango'), ('kiwi'), ('banana'), ('fig')",
          "CREATE TABLE st (id SET('x','b','a') NOT NULL PRIMARY KEY)",
          "INSERT INTO st VALUES (''), ('x'), ('b'), ('x,b'), ('a'), ('x,a'), ('b,a'), ('x,b,a')",
          "CREATE TABLE f (id FLOAT PRIMARY KEY)",
          "INSERT INTO f VALUES (0.1), (0.2), (0.3), (-1.5), (3.4e38), (-3.4e38), (1e-30),"
              + " (16777216), (16777218), (0), (1.0000001), (1.0000002)",
          "CREATE TABLE dbl (id DOUBLE PRIMARY KEY)",
          "INSERT INTO dbl VALUES (0.1), (0.1000000000000001), (0.30000000000000004), (-1e308),"
              + " (1e308), (5e-324), (0), (2), (2.0000000000000004)",
          "CREATE TABLE bt (id BIT(12) PRIMARY KEY)",
          "INSERT INTO bt VALUES (b'0'), (b'1'), (b'10'), (b'11111111'), (b'100000000'),"
              + " (b'111111111111'), (b'100000000000')",
          "CREATE TABLE y (id YEAR PRIMARY KEY)",
          "INSERT INTO y VALUES (1901), (1999), (2000), (2001), (2069), (2070), (2155)",
          "CREATE TABLE ch (id CHAR(8) CHARACTER SET latin1 COLLATE latin1_general_cs"
              + " PRIMARY KEY, k2 MEDIUMINT UNSIGNED)",
          "INSERT INTO ch VALUES ('a', 1), ('A', 2), ('b', 3), ('B', 4), ('ä', 5),"
              + " ('Ä', 6), ('a b', 7), ('ab', 8), ('', 9), ('zé', 16777215)");

      assertChunksHoldTable(db, "e", 2, 6);
      assertChunksHoldTable(db, "st", 3, 8);
      assertChunksHoldTable(db, "f", 1, 12);
      assertChunksHoldTable(db, "dbl", 2, 9);
      assertChunksHoldTable(db, "bt", 2, 7);
      assertChunksHoldTable(db, "y", 3, 7);
      assertChunksHoldTable(db, "ch", 3, 10);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void readOfAMiddleChunk_isAPrimaryKeyRangeOfAboutChunkRows(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute(
          "CREATE TABLE t (a INT, b VARCHAR(20), c BIGINT, note VARCHAR(20), PRIMARY KEY (a, b, c))");
      List<String> rows = new ArrayList<>();
      for (int a = 0; a < 20; a++) {
        for (int b = 0; b < 50; b++) {
          for (int k = 0; k < 20; k++) {
            rows.add("(" + a + ", 'k" + b + "', " + k + ", 'note')");
          }
        }
      }
      insert(db, "t", rows);
      db.execute("ANALYZE TABLE t");
      TableSchema schema = schema(db, "t");
      JdbcValues.prepareSession(c);
      List<Chunk> chunks = TableReader.plan(c, schema, 500);
      assertEquals(41, chunks.size());

      for (Chunk chunk : List.of(chunks.get(0), chunks.get(17), chunks.get(39))) {
        try (java.sql.PreparedStatement explain =
            c.prepareStatement("EXPLAIN " + TableReader.readSql(schema, chunk))) {
          TableReader.bindRead(explain, schema, chunk);
          try (ResultSet rs = explain.executeQuery()) {
            assertTrue(rs.next());
            String plan =
                rs.getString("type") + " on " + rs.getString("key") + ", " + rs.getLong("rows");
            assertEquals("range on PRIMARY", plan.substring(0, plan.indexOf(',')), plan);
            // a scan of the whole table would estimate 20000 rows
            assertTrue(rs.getLong("rows") <= 2000, chunk + ": " + plan);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void zeroDateKeys_boundAsTheirText(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("SET SESSION sql_mode = ''");
      s.execute("USE " + JdbcValues.quoteIdentifier(db.name()));
      s.execute("CREATE TABLE d (id DATE PRIMARY KEY, k INT)");
      s.execute("CREATE TABLE dt (id DATETIME(3) PRIMARY KEY, k INT)");
      s.execute(
          "INSERT INTO d VALUES ('0000-00-00', 1), ('2024-00-00', 2), ('2024-05-00', 3),"
              + " ('0000-01-01', 4), ('2024-05-01', 5), ('1999-00-31', 6)");
      s.execute(
          "INSERT INTO dt VALUES ('0000-00-00 00:00:00', 1), ('0000-00-00 00:00:00.001', 2),"
              + " ('2024-00-00 10:00:00', 3), ('2024-01-01 00:00:00', 4)");

      List<Chunk> chunks = assertChunksHoldTable(db, "d", 1, 6);
      assertEquals("0000-00-00", chunks.get(0).upper().get(0));
      assertChunksHoldTable(db, "dt", 1, 4);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void emptyTable_isOneUnboundedChunk(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      List<Chunk> chunks = assertChunksHoldTable(db, "t", 10, 0);
      assertEquals(List.of(Chunk.whole(TableId.of(db.name(), "t"))), chunks);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void tableWithoutPrimaryKey_isReadWholeWithDuplicates(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase()) {
      db.execute(
          "CREATE TABLE t (a INT, b VARCHAR(10), KEY (a))",
          "INSERT INTO t VALUES (1, 'x'), (1, 'x'), (1, 'x'), (2, NULL), (2, NULL), (NULL, 'y'),"
              + " (3, 'z')");
      TableSchema schema = schema(db, "t");
      assertFalse(TableReader.hasPrimaryKey(schema));

      List<Chunk> chunks = assertChunksHoldTable(db, "t", 2, 7);
      assertEquals(List.of(Chunk.whole(schema.id())), chunks);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void rowsInsertedAfterPlanning_beyondEitherEnd_areRead(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        rows.add("(" + (i * 10) + ")");
      }
      insert(db, "t", rows);
      TableSchema schema = schema(db, "t");
      JdbcValues.prepareSession(c);
      List<Chunk> chunks = TableReader.plan(c, schema, 30);
      db.execute("INSERT INTO t VALUES (-5), (5), (295), (991), (100000)");

      List<Object> read = new ArrayList<>();
      for (Chunk chunk : chunks) {
        TableReader.read(c, schema, chunk, false, values -> read.add(values[0]));
      }

      assertEquals(105, read.size());
      assertEquals(-5, read.get(0));
      assertEquals(100000, read.get(104));
      assertTrue(read.contains(295), read::toString);
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void chunkFromText_readsTheSameRows(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute(
          "CREATE TABLE t (d DATETIME(6), s VARCHAR(10) COLLATE utf8mb4_general_ci,"
              + " PRIMARY KEY (d, s))");
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        rows.add(
            String.format("('2024-01-01 00:00:00.%06d', '%s')", i / 3, "aBc".substring(i % 3)));
      }
      insert(db, "t", rows);
      TableSchema schema = schema(db, "t");
      JdbcValues.prepareSession(c);

      for (Chunk chunk : TableReader.plan(c, schema, 4)) {
        Chunk back = Chunk.parse(chunk.format());
        List<String> direct = new ArrayList<>();
        List<String> viaText = new ArrayList<>();
        TableReader.read(c, schema, chunk, false, values -> direct.add(render(values)));
        TableReader.read(c, schema, back, false, values -> viaText.add(render(values)));
        assertEquals(direct, viaText, chunk.format());
      }
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void read_sinkException_propagatesUnchanged(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)");
      TableSchema schema = schema(db, "t");
      JdbcValues.prepareSession(c);
      List<Object> seen = new ArrayList<>();

      IOException e =
          assertThrows(
              IOException.class,
              () ->
                  TableReader.read(
                      c,
                      schema,
                      Chunk.whole(schema.id()),
                      false,
                      values -> {
                        seen.add(values[0]);
                        if (seen.size() == 2) {
                          throw new IOException("sink full");
                        }
                      }));

      assertEquals("sink full", e.getMessage());
      assertEquals(List.of(1, 2), seen);
      assertEquals(3, TableReader.read(c, schema, Chunk.whole(schema.id()), false, v -> {}));
    }
  }

  @ParameterizedTest
  @MethodSource(BOTH)
  void read_chunkThatNoLongerFitsTheKey_isRejected(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)");
      TableSchema schema = schema(db, "t");
      TableId id = schema.id();

      IllegalArgumentException wrongLength =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  TableReader.read(
                      c, schema, new Chunk(id, 1, List.of(1, "a"), null), false, v -> {}));
      assertTrue(wrongLength.getMessage().contains("table changed"), wrongLength.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> TableReader.read(c, schema, new Chunk(id, 1, List.of("a"), null), false, v -> {}));
      assertThrows(
          IllegalArgumentException.class,
          () -> TableReader.read(c, schema, Chunk.whole(TableId.of("x", "y")), false, v -> {}));
      assertThrows(IllegalArgumentException.class, () -> TableReader.plan(c, schema, 0));
    }
  }

  /**
   * Plans and reads every chunk in one consistent snapshot and compares them with a plain SELECT in
   * the same transaction: the same rows exactly once, in key order, consecutive chunks, all but the
   * last of exactly {@code chunkRows} rows.
   */
  static List<Chunk> assertChunksHoldTable(
      TestDatabase db, String table, int chunkRows, int expectedRows) throws SQLException {
    TableSchema schema = schema(db, table);
    List<Chunk> chunks;
    List<String> chunked = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    List<String> plain;
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      JdbcValues.prepareSession(c);
      String sqlMode = sqlMode(s);
      s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
      chunks = TableReader.plan(c, schema, chunkRows);
      for (Chunk chunk : chunks) {
        List<String> rows = new ArrayList<>();
        long n = TableReader.read(c, schema, chunk, false, values -> rows.add(render(values)));
        assertEquals(rows.size(), n, "row count returned for " + chunk);
        sizes.add(n);
        chunked.addAll(rows);
      }
      plain = selectAll(s, schema);
      s.execute("COMMIT");
      assertEquals(sqlMode, sqlMode(s), "the session's sql_mode afterwards");
    }

    String what = schema.id() + " in chunks of " + chunkRows + " " + chunks;
    assertEquals(expectedRows, plain.size(), "table rows");
    assertEquals(multiset(plain), multiset(chunked), what);
    if (TableReader.hasPrimaryKey(schema)) {
      assertEquals(plain, chunked, "key order across chunks of " + what);
    }
    assertNull(chunks.get(0).lower(), "first chunk unbounded below");
    assertNull(chunks.get(chunks.size() - 1).upper(), "last chunk unbounded above");
    for (int i = 0; i < chunks.size(); i++) {
      assertEquals(i, chunks.get(i).index());
      assertEquals(schema.id(), chunks.get(i).table());
      if (i > 0) {
        Chunk previous = chunks.get(i - 1);
        assertEquals(
            new Chunk(schema.id(), 0, previous.upper(), null),
            new Chunk(schema.id(), 0, chunks.get(i).lower(), null),
            "chunk " + i + " starts where chunk " + (i - 1) + " ends");
      }
      if (i < chunks.size() - 1) {
        assertEquals(chunkRows, sizes.get(i), "rows in chunk " + i + " of " + what);
      } else {
        assertTrue(sizes.get(i) < chunkRows || chunks.size() == 1, "rows in last chunk " + what);
      }
    }
    return chunks;
  }

  private static String sqlMode(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT @@SESSION.sql_mode")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<String> selectAll(Statement s, TableSchema schema) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ");
    for (Column c : schema.columns()) {
      sql.append(c.index() == 0 ? "" : ", ").append(JdbcValues.selectExpression(c));
    }
    sql.append(" FROM ")
        .append(JdbcValues.quoteIdentifier(schema.id().database()))
        .append('.')
        .append(JdbcValues.quoteIdentifier(schema.id().table()));
    if (TableReader.hasPrimaryKey(schema)) {
      sql.append(" ORDER BY ");
      for (int i = 0; i < schema.primaryKey().size(); i++) {
        sql.append(i == 0 ? "" : ", ")
            .append(JdbcValues.quoteIdentifier(schema.primaryKey().get(i)));
      }
    }
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql.toString())) {
      while (rs.next()) {
        Object[] values = new Object[schema.columnCount()];
        for (int i = 0; i < values.length; i++) {
          values[i] = JdbcValues.read(rs, i + 1, schema.column(i), false);
        }
        rows.add(render(values));
      }
    }
    return rows;
  }

  /** A row as text that tells types, BigDecimal scales and byte contents apart. */
  static String render(Object[] row) {
    StringBuilder sb = new StringBuilder();
    for (Object v : row) {
      if (v == null) {
        sb.append("null");
      } else {
        sb.append(v.getClass().getSimpleName()).append(':');
        sb.append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : v);
      }
      sb.append(" | ");
    }
    return sb.toString();
  }

  private static Map<String, Integer> multiset(List<String> rows) {
    Map<String, Integer> counts = new HashMap<>();
    for (String row : rows) {
      counts.merge(row, 1, Integer::sum);
    }
    return counts;
  }

  static TableSchema schema(TestDatabase db, String table) {
    return new InformationSchemaCache(db::connect).load(TableId.of(db.name(), table));
  }

  static void insert(TestDatabase db, String table, List<String> rows) throws SQLException {
    for (int from = 0; from < rows.size(); from += 500) {
      List<String> part = rows.subList(from, Math.min(rows.size(), from + 500));
      db.execute("INSERT INTO " + table + " VALUES " + String.join(", ", part));
    }
  }
}
