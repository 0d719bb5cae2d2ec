package io.canal4j.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GtidSetTest {
  private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  private static final String B = "4f22ab58-82db-22f2-af44-d91bb0530673";

  @Test
  void mysql_parse_mergesAdjacentAndOverlappingIntervals() {
    GtidSet set = GtidSet.parse(Flavor.MYSQL, A + ":1-3:4-5:7:6,\n" + A + ":10-12:11-20");
    assertEquals(A + ":1-7:10-20", set.toString());
  }

  @Test
  void mysql_parse_sortsUuidsAndLowerCasesThem() {
    GtidSet set = GtidSet.parse(Flavor.MYSQL, B + ":1-2," + A.toUpperCase() + ":5");
    assertEquals(A + ":5," + B + ":1-2", set.toString());
  }

  @Test
  void mysql_textForm_roundTrips() {
    String text = A + ":1-5:7:9-11," + B + ":1";
    assertEquals(text, GtidSet.parse(Flavor.MYSQL, text).toString());
    assertEquals(GtidSet.parse(Flavor.MYSQL, text), GtidSet.parse(Flavor.MYSQL, text));
    assertEquals(
        GtidSet.parse(Flavor.MYSQL, text).hashCode(),
        GtidSet.parse(Flavor.MYSQL, " " + text + "\n").hashCode());
  }

  @Test
  void mysql_containsAll_needsEveryIntervalCovered() {
    GtidSet big = GtidSet.parse(Flavor.MYSQL, A + ":1-10:12-20," + B + ":1-3");
    assertTrue(big.containsAll(GtidSet.parse(Flavor.MYSQL, A + ":2-9:15," + B + ":3")));
    assertTrue(big.containsAll(GtidSet.empty(Flavor.MYSQL)));
    assertFalse(big.containsAll(GtidSet.parse(Flavor.MYSQL, A + ":10-12")));
    assertFalse(big.containsAll(GtidSet.parse(Flavor.MYSQL, B + ":4")));
    assertFalse(GtidSet.empty(Flavor.MYSQL).containsAll(GtidSet.parse(Flavor.MYSQL, A + ":1")));
  }

  @Test
  void mariadb_containsAll_comparesEachDomainsSequence() {
    GtidSet set = GtidSet.parse(Flavor.MARIADB, "0-1-100,1-2-7");
    assertTrue(set.containsAll(GtidSet.parse(Flavor.MARIADB, "0-1-99,1-2-7")));
    assertFalse(set.containsAll(GtidSet.parse(Flavor.MARIADB, "0-1-101")));
    assertFalse(set.containsAll(GtidSet.parse(Flavor.MARIADB, "2-1-1")));
  }

  @Test
  void mysql_with_addsTransactionAndMergesNeighbours() {
    GtidSet set = GtidSet.parse(Flavor.MYSQL, A + ":1-5:7");
    GtidSet more = set.with(A + ":6");
    assertEquals(A + ":1-7", more.toString());
    assertEquals(A + ":1-5:7", set.toString(), "with() must not change the original");
    assertEquals(A + ":1-7," + B + ":9", more.with(B + ":9").toString());
    assertEquals(A + ":1-7", more.with(A + ":3").toString());
  }

  @Test
  void mysql_contains_checksIntervals() {
    GtidSet set = GtidSet.parse(Flavor.MYSQL, A + ":1-5:7");
    assertTrue(set.contains(A + ":1"));
    assertTrue(set.contains(A + ":5"));
    assertTrue(set.contains(A + ":7"));
    assertTrue(set.contains(A.toUpperCase() + ":7"));
    assertFalse(set.contains(A + ":6"));
    assertFalse(set.contains(A + ":8"));
    assertFalse(set.contains(B + ":1"));
  }

  @Test
  void mysql_parse_rejectsBadText_namingThePart() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GtidSet.parse(Flavor.MYSQL, A + ":5-3"));
    assertTrue(e.getMessage().contains(A + ":5-3"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> GtidSet.parse(Flavor.MYSQL, "not-a-uuid:1"));
    assertTrue(e.getMessage().contains("not-a-uuid"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GtidSet.parse(Flavor.MYSQL, A));
    assertTrue(e.getMessage().contains(A), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> GtidSet.parse(Flavor.MYSQL, A + ":x"));
    assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GtidSet.parse(Flavor.MYSQL, A + ":0"));
    assertThrows(IllegalArgumentException.class, () -> GtidSet.parse(Flavor.MYSQL, A + ":1-2-3"));
  }

  @Test
  void empty_isEmptyAndPrintsNothing() {
    assertTrue(GtidSet.parse(Flavor.MYSQL, "").isEmpty());
    assertTrue(GtidSet.parse(Flavor.MYSQL, null).isEmpty());
    assertTrue(GtidSet.empty(Flavor.MARIADB).isEmpty());
    assertEquals("", GtidSet.empty(Flavor.MYSQL).toString());
    assertEquals(GtidSet.empty(Flavor.MYSQL), GtidSet.parse(Flavor.MYSQL, " \n"));
  }

  @Test
  void flavor_isPartOfEquality() {
    assertNotEquals(GtidSet.empty(Flavor.MYSQL), GtidSet.empty(Flavor.MARIADB));
  }

  @Test
  void mariadb_parse_keepsOnePositionPerDomain_sortedByDomain() {
    GtidSet set = GtidSet.parse(Flavor.MARIADB, "1-2-7, 0-1-100");
    assertEquals("0-1-100,1-2-7", set.toString());
    assertEquals(set, GtidSet.parse(Flavor.MARIADB, "0-1-100,1-2-7"));
  }

  @Test
  void mariadb_with_replacesTheDomainsLastGtid() {
    GtidSet set = GtidSet.parse(Flavor.MARIADB, "0-1-100,1-2-7");
    GtidSet next = set.with("0-3-101");
    assertEquals("0-3-101,1-2-7", next.toString());
    assertEquals("0-1-100,1-2-7", set.toString(), "with() must not change the original");
    assertEquals("0-3-101,1-2-7,5-1-1", next.with("5-1-1").toString());
  }

  @Test
  void mariadb_contains_comparesSequenceWithinDomain() {
    GtidSet set = GtidSet.parse(Flavor.MARIADB, "0-1-100,1-2-7");
    assertTrue(set.contains("0-1-100"));
    assertTrue(set.contains("0-1-5"));
    assertTrue(set.contains("0-9-99"), "sequence numbers are per domain, whatever the server");
    assertFalse(set.contains("0-1-101"));
    assertFalse(set.contains("2-1-1"));
  }

  @Test
  void mariadb_parse_rejectsBadText_namingThePart() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GtidSet.parse(Flavor.MARIADB, "0-1"));
    assertTrue(e.getMessage().contains("'0-1'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> GtidSet.parse(Flavor.MARIADB, "0-1-x,1-1-1"));
    assertTrue(e.getMessage().contains("0-1-x"), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void mysql_badGtid_isRejectedWithAMessage_notAnIndexError() {
    GtidSet set = GtidSet.parse(Flavor.MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5");
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> set.contains("garbage"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> set.with("3e11fa47-71ca-11e1-9e33-c80aa9429562:0"));
  }

  @org.junit.jupiter.api.Test
  void mysql_intervalEndingAtLongMax_staysCanonical() {
    GtidSet set =
        GtidSet.parse(Flavor.MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa9429562:2-9223372036854775807")
            .with("3e11fa47-71ca-11e1-9e33-c80aa9429562:1");
    org.junit.jupiter.api.Assertions.assertEquals(
        "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9223372036854775807", set.toString());
  }
}
