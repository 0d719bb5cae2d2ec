package io.canal4j.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dump text parser and tool detection, on hand-written dumps (no server). */
class DumpToolStreamTest {

  private record Row(String table, List<String> columns, byte[][] cells) {}

  private List<Row> rows = new ArrayList<>();

  private DumpStream.Summary read(String dump) throws IOException {
    return read(new ByteArrayInputStream(dump.getBytes(StandardCharsets.ISO_8859_1)));
  }

  private DumpStream.Summary read(InputStream in) throws IOException {
    rows = new ArrayList<>();
    return new DumpStream(in).read((t, c, cells) -> rows.add(new Row(t, c, cells)));
  }

  private static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void mariaDbDump_extendedInserts_positionAndGtid() throws IOException {
    DumpStream.Summary s =
        read(
            "/*M!999999\\- enable the sandbox mode */ \n"
                + "-- Server version\t10.11.19-MariaDB-0+deb12u1-log\n"
                + "-- CHANGE MASTER TO MASTER_USE_GTID=slave_pos;\n"
                + "-- CHANGE MASTER TO MASTER_LOG_FILE='binlog.000007', MASTER_LOG_POS=1645;\n"
                + "INSERT INTO `t``x` (`id`, `a b`, `c`) VALUES (1,0x0A00FF,'it''s\\\\ \\0\\Z\\n'),\n"
                + "(-2.5e-3,'',NULL);\n"
                + "INSERT INTO `u` (`id`) VALUES (3);\n"
                + "-- SET GLOBAL gtid_slave_pos='0-1-3,1-2-9';\n");
    assertEquals("binlog.000007", s.file());
    assertEquals(1645L, s.offset());
    assertEquals("0-1-3,1-2-9", s.mariaDbGtids());
    assertTrue(s.server().contains("MariaDB"));
    assertEquals(3, rows.size());
    assertEquals("t`x", rows.get(0).table());
    assertEquals(List.of("id", "a b", "c"), rows.get(0).columns());
    assertArrayEquals(ascii("1"), rows.get(0).cells()[0]);
    assertArrayEquals(b(0x0a, 0, 0xff), rows.get(0).cells()[1]);
    assertArrayEquals(ascii("it's\\ \0\u001a\n"), rows.get(0).cells()[2]);
    assertArrayEquals(ascii("-2.5e-3"), rows.get(1).cells()[0]);
    assertArrayEquals(new byte[0], rows.get(1).cells()[1]);
    assertNull(rows.get(1).cells()[2]);
    assertEquals("u", rows.get(2).table());
    // the same column list twice is one list, so callers check it once per table
    read("INSERT INTO `u` (`id`) VALUES (1);\nINSERT INTO `u` (`id`) VALUES (2);\n");
    assertTrue(rows.get(0).columns() == rows.get(1).columns());
  }

  @Test
  void mySqlDump_sourcePositionAndMultiLineGtidPurged() throws IOException {
    DumpStream.Summary s =
        read(
            "-- Server version\t8.0.31\n"
                + "SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,\n"
                + "4e11fa47-71ca-11e1-9e33-c80aa9429562:1-2';\n"
                + "--\n"
                + "-- CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='mysql-bin.000002',"
                + " SOURCE_LOG_POS=157;\n"
                + "INSERT INTO `t` (`b`) VALUES (b'1000000001'),(_binary 'x'),(X'0f');\n");
    assertEquals("mysql-bin.000002", s.file());
    assertEquals(157L, s.offset());
    assertEquals(
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,4e11fa47-71ca-11e1-9e33-c80aa9429562:1-2",
        s.mySqlGtids());
    assertNull(s.mariaDbGtids());
    assertArrayEquals(b(2, 1), rows.get(0).cells()[0]);
    assertArrayEquals(ascii("x"), rows.get(1).cells()[0]);
    assertArrayEquals(b(0x0f), rows.get(2).cells()[0]);
  }

  @Test
  void oddHexDigits_haveAnImpliedLeadingZero() throws IOException {
    read("INSERT INTO `t` (`a`) VALUES (0xABC);\n");
    assertArrayEquals(b(0x0a, 0xbc), rows.get(0).cells()[0]);
  }

  @Test
  void hugeValue_acrossManyBufferFills_isReadWhole() throws IOException {
    String hex = "00FF".repeat(200_000);
    read("INSERT INTO `t` (`a`,`b`) VALUES (0x" + hex + ",'" + "q".repeat(100_000) + "');\n");
    assertEquals(400_000, rows.get(0).cells()[0].length);
    assertEquals(100_000, rows.get(0).cells()[1].length);
  }

  @Test
  void truncatedDump_namesTheByteOffset() {
    IOException e =
        assertThrows(
            DumpStream.MalformedDumpException.class,
            () -> read("INSERT INTO `t` (`a`) VALUES (1,'abc"));
    assertTrue(e.getMessage().contains("inside a string"), e.getMessage());
    e =
        assertThrows(
            DumpStream.MalformedDumpException.class,
            () -> read("INSERT INTO `t` (`a`) VALUES (1x);\n"));
    assertTrue(e.getMessage().contains("at byte 31"), e.getMessage());
  }

  @Test
  void toolVersion_choosesThePositionOption() {
    Path p = Path.of("x");
    DumpTool maria = DumpTool.of(p, "mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for x");
    assertTrue(maria.mariaDb());
    assertTrue(maria.command(p, "h", 1, "u", "d", List.of("t")).contains("--gtid"));
    assertTrue(maria.command(p, "h", 1, "u", "d", List.of("t")).contains("--master-data=2"));
    DumpTool maria11 =
        DumpTool.of(p, "mariadb-dump from 11.4.5-MariaDB, client 10.19 for linux-systemd (x86_64)");
    assertTrue(maria11.mariaDb());
    assertTrue(maria11.command(p, "h", 1, "u", "d", List.of("t")).contains("--gtid"));
    DumpTool old = DumpTool.of(p, "mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)");
    assertTrue(old.command(p, "h", 1, "u", "d", List.of("t")).contains("--master-data=2"));
    DumpTool mysql8 = DumpTool.of(p, "mysqldump  Ver 8.0.31 for Linux on x86_64 (MySQL)");
    assertTrue(mysql8.command(p, "h", 1, "u", "d", List.of("t")).contains("--source-data=2"));
    assertTrue(!mysql8.command(p, "h", 1, "u", "d", List.of("t")).contains("--gtid"));
    DumpTool mysql84 = DumpTool.of(p, "mysqldump  Ver 8.4.3 for Linux on x86_64 (MySQL)");
    assertTrue(mysql84.sourceData());
  }
}
