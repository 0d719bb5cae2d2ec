package io.canal4j.schema.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code binlog_row_metadata=FULL}: TABLE_MAPs name their columns, so events from before an ALTER
 * are read as they were written. Switches the setting on this JVM's shared servers for the test's
 * duration (tests of a JVM run one at a time).
 */
class FullMetadataTest {
  private static final String SERVERS = "io.canal4j.testkit.SandboxServers#all";

  @ParameterizedTest
  @MethodSource(SERVERS)
  void eventsFromBeforeAnAlter_areDescribedByTheirTableMap(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        FullMetadata ignored = new FullMetadata(server)) {
      db.execute(
          "CREATE TABLE t (id INT NOT NULL, a VARCHAR(10) CHARACTER SET latin1, b VARBINARY(4),"
              + " e ENUM('x', 'y''z') CHARACTER SET utf8mb4, s SET('p', 'q'), u INT UNSIGNED,"
              + " c CHAR(3) CHARACTER SET utf8mb4, PRIMARY KEY (id))");
      Position from = BinlogCapture.currentPosition(server);
      db.execute("INSERT INTO t VALUES (1, x'E9', x'00', 'y''z', 'p,q', 4294967295, 'ab ')");
      db.execute("ALTER TABLE t DROP COLUMN a, CHANGE u w BIGINT, MODIFY e ENUM('q', 'y''z')");
      TableId id = TableId.of(db.name(), "t");
      BinlogCapture.Row row =
          BinlogCapture.insertedRows(server, from, id, 1, Duration.ofSeconds(30)).get(0);
      assertTrue(row.tableMap().hasColumnNames(), "the server wrote FULL metadata");

      TableSchema schema =
          new InformationSchemaCache(server::connect)
              .schemaAt(row.tableMap(), row.tableMapPosition());
      assertEquals(
          List.of("id", "a", "b", "e", "s", "u", "c"),
          schema.columns().stream().map(Column::name).toList());
      assertEquals(List.of("id"), schema.primaryKey());
      assertEquals(ColumnType.VARCHAR, schema.column("a").type());
      assertEquals("latin1", schema.column("a").charset());
      assertEquals(ColumnType.VARBINARY, schema.column("b").type());
      assertEquals(List.of("x", "y'z"), schema.column("e").enumValues());
      assertEquals(List.of("p", "q"), schema.column("s").enumValues());
      assertTrue(schema.column("u").unsigned());
      assertEquals(ColumnType.CHAR, schema.column("c").type());

      Object[] values = row.values(schema);
      assertEquals(1, values[0]);
      assertEquals("é", values[1]);
      assertArrayEquals(new byte[] {0}, (byte[]) values[2]);
      assertEquals("y'z", values[3]);
      assertEquals("p,q", values[4]);
      assertEquals(4294967295L, values[5]);
      assertEquals("ab", values[6]);
    }
  }

  @ParameterizedTest
  @MethodSource(SERVERS)
  void renamedColumnWithSameType_takesItsNameFromTheTableMap(SandboxServer server)
      throws Exception {
    try (TestDatabase db = server.createDatabase();
        FullMetadata ignored = new FullMetadata(server)) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, old_name VARCHAR(20))");
      Position from = BinlogCapture.currentPosition(server);
      db.execute("INSERT INTO t VALUES (1, 'x')");
      db.execute("ALTER TABLE t CHANGE old_name new_name VARCHAR(20)");
      TableId id = TableId.of(db.name(), "t");
      BinlogCapture.Row row =
          BinlogCapture.insertedRows(server, from, id, 1, Duration.ofSeconds(30)).get(0);
      TableSchema schema =
          new InformationSchemaCache(server::connect)
              .schemaAt(row.tableMap(), row.tableMapPosition());
      assertEquals("old_name", schema.column(1).name());
      assertEquals("varchar(20)", schema.column(1).columnType(), "details from information_schema");
    }
  }

  /** Sets {@code binlog_row_metadata=FULL} globally and restores the old value on close. */
  private static final class FullMetadata implements AutoCloseable {
    private final SandboxServer server;
    private final String before;

    FullMetadata(SandboxServer server) throws Exception {
      this.server = server;
      try (Connection c = server.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT @@GLOBAL.binlog_row_metadata")) {
        rs.next();
        before = rs.getString(1);
      }
      server.execute("SET GLOBAL binlog_row_metadata = FULL");
    }

    @Override
    public void close() throws Exception {
      server.execute("SET GLOBAL binlog_row_metadata = " + before);
    }
  }
}
