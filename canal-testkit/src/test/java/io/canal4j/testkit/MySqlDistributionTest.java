package io.canal4j.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MySqlDistributionTest {

  @Test
  void aMissingLibrary_isNamedWithThePackagesToInstall(@TempDir Path dir) throws Exception {
    Path mysqld =
        script(
            dir,
            "echo 'mysqld: error while loading shared libraries: libaio.so.1:"
                + " cannot open shared object file: No such file or directory' >&2; exit 127");

    String why = MySqlDistribution.probe(mysqld).orElseThrow();

    assertTrue(why.contains("needs libaio.so.1, which this machine lacks"), why);
    assertTrue(why.contains("apt-get install -y libaio1 libnuma1"), why);
    assertTrue(why.contains("CANAL4J_TEST_URL"), why);
  }

  @Test
  void anotherFailure_isReportedAsIs(@TempDir Path dir) throws Exception {
    Path mysqld = script(dir, "echo 'Segmentation fault' >&2; exit 139");

    String why = MySqlDistribution.probe(mysqld).orElseThrow();

    assertTrue(why.contains("does not run") && why.contains("Segmentation fault"), why);
  }

  private static Path script(Path dir, String body) throws Exception {
    Path file = dir.resolve("mysqld");
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
