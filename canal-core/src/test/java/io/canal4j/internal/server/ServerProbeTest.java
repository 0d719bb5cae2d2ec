package io.canal4j.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Position;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.sql.Connection;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The binlog check that a point without a lock makes before it trusts its schema seed. */
class ServerProbeTest {

  @ParameterizedTest
  @MethodSource("io.canal4j.testkit.SandboxServers#all")
  void statementBetween_findsADdl_butNotRowChanges(SandboxServer server) throws Exception {
    try (TestDatabase db = server.createDatabase();
        Connection c = db.connect()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY, a INT)");
      ServerInfo info = ServerProbe.probe(c, "test");
      Position before = ServerProbe.currentPosition(c, info, "test");
      db.execute("INSERT INTO t VALUES (1, 1), (2, 2)", "UPDATE t SET a = 3", "DELETE FROM t");
      Position afterRows = ServerProbe.currentPosition(c, info, "test");
      assertEquals(
          Optional.empty(),
          ServerProbe.statementBetween(c, before, afterRows, 1_000),
          "row changes only");
      assertEquals(Optional.empty(), ServerProbe.statementBetween(c, afterRows, afterRows, 1_000));

      db.execute("ALTER TABLE t ADD COLUMN b INT", "INSERT INTO t VALUES (3, 3, 3)");
      Position afterDdl = ServerProbe.currentPosition(c, info, "test");
      String found = ServerProbe.statementBetween(c, before, afterDdl, 1_000).orElseThrow();
      assertTrue(found.contains("ALTER TABLE t ADD COLUMN b INT"), found);
      assertEquals(
          Optional.empty(),
          ServerProbe.statementBetween(c, before, afterRows, 1_000),
          "the range ends where it says");
      String many = ServerProbe.statementBetween(c, afterRows, afterDdl, 2).orElseThrow();
      assertTrue(
          many.contains("more than 2 events") || many.contains("ALTER"),
          "a range too long to check counts as holding one: " + many);
    }
  }
}
