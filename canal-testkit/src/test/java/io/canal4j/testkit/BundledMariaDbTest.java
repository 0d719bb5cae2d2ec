package io.canal4j.testkit;

import static io.canal4j.testkit.Servers.variable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MariaDB 11.4 build bundled in the testkit's dependencies, and the fallback to it. */
class BundledMariaDbTest {

  @Test
  void aMachineWithoutAMariaDbPackage_getsTheBundledBuild(@TempDir Path empty) {
    assertTrue(MariaDbDistribution.system(List.of(empty)).isEmpty());
    MariaDbDistribution build = MariaDbDistribution.preferred(List.of(empty));
    assertTrue(build.isBundled(), "falls back to the bundled build: " + build);
    assertEquals(MariaDbDistribution.BUNDLED_VERSION, build.label());
    assertTrue(Files.isExecutable(build.mariadbd()), build.mariadbd().toString());
    assertTrue(Files.isExecutable(build.dumpTool().orElseThrow()), build.toString());
  }

  @Test
  void theBundledBuild_runsAsASandbox_withTheBinlogInRowFormat() throws Exception {
    SandboxServer server = SandboxServers.sharedBundledMariaDb();
    assertTrue(server.version().startsWith("11.4."), server.version());
    assertEquals("1", variable(server, "log_bin"));
    assertEquals("ROW", variable(server, "binlog_format"));
    assertEquals("utf8mb4", variable(server, "character_set_server"));
    try (TestDatabase db = server.createDatabase()) {
      db.execute("CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
      assertEquals(1, db.count("t"));
    }
    assertTrue(
        SandboxServers.all().anyMatch(s -> s == server),
        "all() includes the bundled MariaDB: " + SandboxServers.all().toList());
  }
}
