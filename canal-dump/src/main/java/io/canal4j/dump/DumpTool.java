package io.canal4j.dump;

import io.canal4j.error.ConfigurationException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dump executable: MariaDB's {@code mariadb-dump} or MySQL's {@code mysqldump}, found on the PATH
 * or named by the user, and the options each needs for one consistent, parseable dump.
 *
 * @param executable the program
 * @param mariaDb whether it is MariaDB's tool (which has {@code --gtid}), from its {@code
 *     --version}
 * @param sourceData whether the binlog position option is {@code --source-data} (MySQL 8.0.26+)
 *     rather than {@code --master-data}
 * @param version the tool's {@code --version} line
 */
record DumpTool(Path executable, boolean mariaDb, boolean sourceData, String version) {
  static final List<String> NAMES = List.of("mariadb-dump", "mysqldump");
  private static final Pattern MYSQL_VERSION =
      Pattern.compile("(?:Distrib|Ver) (\\d+)\\.(\\d+)\\.(\\d+)");

  /** The first of {@link #NAMES} on {@code path} (the PATH variable's value). */
  static Path find(String path) {
    List<String> dirs = path == null ? List.of() : List.of(path.split(File.pathSeparator));
    for (String name : NAMES) {
      for (String dir : dirs) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new ConfigurationException(
        "no dump tool: neither mariadb-dump nor mysqldump is on the PATH ("
            + path
            + "); install a client, e.g. `apt-get install mariadb-client`, or name the"
            + " executable with Canal.builder().dumpTool(...) or"
            + " DumpToolReader.builder().executable(...)");
  }

  /** Asks the executable for its version, to learn its options. */
  static DumpTool probe(Path executable) throws IOException, InterruptedException {
    if (!Files.isExecutable(executable)) {
      throw new ConfigurationException(
          "dump tool "
              + executable
              + " does not exist or is not executable; install a client, e.g. `apt-get install"
              + " mariadb-client`");
    }
    Process p =
        new ProcessBuilder(executable.toString(), "--no-defaults", "--version")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new ConfigurationException(executable + " --version did not finish in 30 s");
    }
    // "mysqldump  Ver 8.0.31 ...", "mariadb-dump  Ver 10.19 Distrib 10.11.6-MariaDB ...", and
    // since MariaDB 11: "mariadb-dump from 11.4.5-MariaDB, client 10.19 for linux-systemd".
    if (p.exitValue() != 0 || !(out.contains("Ver") || out.contains("-MariaDB"))) {
      throw new ConfigurationException(
          executable + " is not mariadb-dump or mysqldump: --version printed: " + out);
    }
    return of(executable, out);
  }

  /** The tool a {@code --version} line describes. */
  static DumpTool of(Path executable, String versionLine) {
    if (versionLine.contains("MariaDB")) {
      return new DumpTool(executable, true, false, versionLine);
    }
    Matcher m = MYSQL_VERSION.matcher(versionLine);
    boolean sourceData = false;
    if (m.find()) {
      int major = Integer.parseInt(m.group(1));
      int minor = Integer.parseInt(m.group(2));
      int patch = Integer.parseInt(m.group(3));
      sourceData = major > 8 || major == 8 && (minor > 0 || patch >= 26);
    }
    return new DumpTool(executable, false, sourceData, versionLine);
  }

  /**
   * The command line for one dump. {@code defaultsFile} must hold the password; it comes first, as
   * the tools require, and keeps the user's option files out.
   */
  List<String> command(
      Path defaultsFile, String host, int port, String user, String database, List<String> tables) {
    List<String> cmd = new ArrayList<>();
    cmd.add(executable.toString());
    cmd.add("--defaults-file=" + defaultsFile);
    cmd.add("--host=" + host);
    cmd.add("--port=" + port);
    cmd.add("--protocol=TCP");
    cmd.add("--user=" + user);
    // one transaction for all tables; its binlog position as a comment
    cmd.add("--single-transaction");
    cmd.add(sourceData ? "--source-data=2" : "--master-data=2");
    if (mariaDb) {
      cmd.add("--gtid");
    }
    // rows only, in a form that keeps every byte: raw column bytes as hex, UTC timestamps
    cmd.add("--no-create-info");
    cmd.add("--skip-triggers");
    cmd.add("--complete-insert");
    cmd.add("--hex-blob");
    cmd.add("--tz-utc");
    cmd.add("--default-character-set=binary");
    cmd.add("--quick");
    cmd.add("--skip-add-locks");
    cmd.add("--skip-disable-keys");
    cmd.add("--max-allowed-packet=1G");
    if (!mariaDb) {
      cmd.add("--column-statistics=0"); // MySQL 8's tool asks MariaDB servers for a missing table
    }
    cmd.add(database);
    cmd.addAll(tables);
    return cmd;
  }

  /** A new option file, readable by this user only, that gives the tool the password. */
  static Path writeDefaultsFile(String password) throws IOException {
    Path file =
        Files.createTempFile(
            "canal4j-dump-",
            ".cnf",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    StringBuilder escaped = new StringBuilder();
    for (char c : password.toCharArray()) {
      switch (c) {
        case '\\' -> escaped.append("\\\\");
        case '"' -> escaped.append("\\\"");
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\t' -> escaped.append("\\t");
        default -> escaped.append(c);
      }
    }
    Files.writeString(file, "[client]\npassword=\"" + escaped + "\"\n", StandardCharsets.UTF_8);
    return file;
  }
}
