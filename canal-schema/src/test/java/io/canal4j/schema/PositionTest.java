package io.canal4j.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PositionTest {
  private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

  @Test
  void format_parse_roundTrip_mysqlWithGtidsAndServer() {
    Position p =
        new Position(
            Flavor.MYSQL,
            "binlog.000003",
            1234,
            GtidSet.parse(Flavor.MYSQL, UUID + ":1-5:7"),
            UUID);
    String text = p.format();
    assertEquals(
        "v1;flavor=MYSQL;file=binlog.000003;offset=1234;gtids=" + UUID + ":1-5:7;server=" + UUID,
        text);
    assertEquals(p, Position.parse(text));
  }

  @Test
  void format_parse_roundTrip_mariadbMultiDomain() {
    Position p =
        Position.of(Flavor.MARIADB, "mysql-bin.000001", 4)
            .withGtids(GtidSet.parse(Flavor.MARIADB, "0-1-55,2-1-3"));
    assertEquals("v1;flavor=MARIADB;file=mysql-bin.000001;offset=4;gtids=0-1-55,2-1-3", p.format());
    assertEquals(p, Position.parse(p.format()));
  }

  @Test
  void format_parse_roundTrip_withoutGtids() {
    Position p = Position.of(Flavor.MYSQL, "binlog.000001", 0);
    assertEquals(p, Position.parse(p.format()));
    assertNull(Position.parse(p.format()).gtids());
    assertFalse(p.hasGtids());
  }

  @Test
  void format_parse_roundTrip_emptyGtidSet() {
    Position p =
        Position.of(Flavor.MYSQL, "binlog.000001", 7).withGtids(GtidSet.empty(Flavor.MYSQL));
    Position back = Position.parse(p.format());
    assertEquals(p, back);
    assertFalse(back.hasGtids());
  }

  @Test
  void parse_rejectsUnknownVersion_namingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Position.parse("v2;flavor=MYSQL;file=b.1;offset=4"));
    assertTrue(e.getMessage().contains("'v2'"), e.getMessage());
  }

  @Test
  void parse_rejectsBadOffset_namingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Position.parse("v1;flavor=MYSQL;file=b.1;offset=12x"));
    assertTrue(e.getMessage().contains("'12x'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Position.parse("v1;flavor=MYSQL;file=b.1;offset=-1"));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
  }

  @Test
  void parse_rejectsUnknownFlavor_namingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Position.parse("v1;flavor=POSTGRES;file=b.1;offset=4"));
    assertTrue(e.getMessage().contains("'POSTGRES'"), e.getMessage());
  }

  @Test
  void parse_rejectsMissingFields_namingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Position.parse("v1;flavor=MYSQL;offset=4"));
    assertTrue(e.getMessage().contains("file"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Position.parse("v1;flavor=MYSQL;file=b.1"));
    assertTrue(e.getMessage().contains("offset"), e.getMessage());
  }

  @Test
  void parse_rejectsFieldWithoutValue_namingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Position.parse("v1;flavor=MYSQL;garbage;file=b.1;offset=4"));
    assertTrue(e.getMessage().contains("'garbage'"), e.getMessage());
  }

  @Test
  void parse_rejectsBadGtids_namingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Position.parse("v1;flavor=MARIADB;file=b.1;offset=4;gtids=0-1"));
    assertTrue(e.getMessage().contains("'0-1'"), e.getMessage());
  }

  @Test
  void constructor_rejectsFileNamesThatBreakTheTextForm() {
    assertThrows(IllegalArgumentException.class, () -> Position.of(Flavor.MYSQL, "a;b", 4));
    assertThrows(IllegalArgumentException.class, () -> Position.of(Flavor.MYSQL, "a=b", 4));
    assertThrows(IllegalArgumentException.class, () -> Position.of(Flavor.MYSQL, "", 4));
  }

  @Test
  void constructor_rejectsGtidsOfOtherFlavor() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Position.of(Flavor.MYSQL, "b.1", 4).withGtids(GtidSet.empty(Flavor.MARIADB)));
  }

  @Test
  void compareTo_ordersByFileThenOffset() {
    Position a = Position.of(Flavor.MYSQL, "binlog.000001", 900);
    Position b = Position.of(Flavor.MYSQL, "binlog.000002", 4);
    Position c = Position.of(Flavor.MYSQL, "binlog.000002", 5);
    assertTrue(a.compareTo(b) < 0);
    assertTrue(b.compareTo(c) < 0);
    assertEquals(0, b.compareTo(Position.of(Flavor.MYSQL, "binlog.000002", 4)));
  }

  @Test
  void toString_isShort() {
    assertEquals("binlog.000002:4", Position.of(Flavor.MYSQL, "binlog.000002", 4).toString());
  }

  @org.junit.jupiter.api.Test
  void parse_rejectsDuplicateAndUnknownFields() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> Position.parse("v1;flavor=MARIADB;file=b.000001;offset=4;offset=5"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> Position.parse("v1;flavor=MARIADB;file=b.000001;offset=4;color=red"));
  }

  @org.junit.jupiter.api.Test
  void serverUuid_withSeparators_isRejected() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> new Position(Flavor.MYSQL, "b.000001", 4, null, "a;b=c"));
  }

  @org.junit.jupiter.api.Test
  void compareTo_ordersFileSequenceNumbersNumerically() {
    Position a = Position.of(Flavor.MYSQL, "binlog.999999", 900);
    Position b = Position.of(Flavor.MYSQL, "binlog.1000000", 4);
    org.junit.jupiter.api.Assertions.assertTrue(a.compareTo(b) < 0);
    org.junit.jupiter.api.Assertions.assertTrue(b.compareTo(a) > 0);
  }

  @Test
  void snapshotMark_roundTripsInTheTextForm_andOrdersAsItsBinlogPoint() {
    Position point = Position.of(Flavor.MARIADB, "binlog.000002", 900);
    Position mark = point.withSnapshotMark(7);
    assertEquals("v1;flavor=MARIADB;file=binlog.000002;offset=900;snapshot=7", mark.format());
    assertEquals(mark, Position.parse(mark.format()));
    assertEquals(7, mark.snapshotMark());
    assertEquals(Position.NO_MARK, point.snapshotMark());
    assertEquals(point, mark.binlogPoint());
    assertEquals(0, mark.compareTo(point));
    org.junit.jupiter.api.Assertions.assertNotEquals(point, mark);
    assertThrows(
        IllegalArgumentException.class,
        () -> Position.parse("v1;flavor=MARIADB;file=b.1;offset=4;snapshot=-3"));
  }
}
