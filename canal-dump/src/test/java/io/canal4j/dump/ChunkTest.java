package io.canal4j.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.TableId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkTest {
  private static final TableId TABLE = TableId.of("shop", "orders");

  private static final List<Object> EVERY_KEY_TYPE =
      List.of(
          Integer.MIN_VALUE,
          -1,
          Integer.MAX_VALUE,
          Long.MIN_VALUE,
          4294967295L,
          Long.MAX_VALUE,
          new BigInteger("18446744073709551615"),
          BigInteger.ZERO,
          new BigDecimal("12.340000"),
          new BigDecimal("12.34"),
          new BigDecimal("-0.000001"),
          new BigDecimal("0.000000"),
          new BigDecimal("1E+3"),
          new BigDecimal("99999999999999.999999"),
          0.1f,
          -0.0f,
          Float.MIN_VALUE,
          16777217f,
          0.1,
          -0.0,
          Double.MAX_VALUE,
          true,
          false,
          "",
          "plain",
          " spaces, commas ] [ \" quotes \\ backslash : colon - ",
          "é中😀 new\nline\ttab\u0000nul\u007f",
          "\ud800 lone surrogate \udfff",
          "\\u0041 not an escape",
          new byte[0],
          new byte[] {0, 0, (byte) 0xff, 0x7f, 0},
          LocalDate.of(1000, 1, 1),
          LocalDate.of(9999, 12, 31),
          LocalDate.of(0, 1, 1),
          LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000),
          LocalDateTime.of(2024, 1, 1, 10, 0),
          Instant.parse("1970-01-01T00:00:01.000001Z"),
          Instant.parse("2038-01-19T03:14:07.999999Z"),
          Duration.ofHours(-838).minusMinutes(59).minusSeconds(59),
          Duration.ofNanos(-1000),
          Duration.ZERO,
          Duration.ofHours(838).plusMinutes(59).plusSeconds(59).plusNanos(999_999_000),
          "0000-00-00 00:00:00");

  @Test
  void formatParse_everyKeyType_roundTripsTypeAndValueExactly() {
    List<Object> upper = new ArrayList<>(EVERY_KEY_TYPE);
    upper.set(0, 7);
    Chunk chunk = new Chunk(TABLE, 12, EVERY_KEY_TYPE, upper);

    String text = chunk.format();
    Chunk back = Chunk.parse(text);

    assertEquals(chunk, back);
    for (int i = 0; i < EVERY_KEY_TYPE.size(); i++) {
      Object expected = EVERY_KEY_TYPE.get(i);
      Object actual = back.lower().get(i);
      assertEquals(expected.getClass(), actual.getClass(), "type of value " + i);
      if (expected instanceof byte[] b) {
        assertArrayEquals(b, (byte[]) actual);
      } else if (expected instanceof Float f) {
        assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((Float) actual));
      } else if (expected instanceof Double d) {
        assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) actual));
      } else {
        assertEquals(expected, actual, "value " + i); // BigDecimal.equals compares the scale
      }
    }
    assertEquals(text, back.format());
  }

  @Test
  void format_isOneLineOfPrintableAscii() {
    String text = new Chunk(TABLE, 0, null, EVERY_KEY_TYPE).format();
    assertTrue(text.startsWith("chunk/1 \"shop\" \"orders\" 0 - ["), text);
    assertTrue(text.chars().allMatch(c -> c >= 0x20 && c < 0x7f), text);
  }

  @Test
  void formatParse_unboundedAndOddNames_roundTrip() {
    for (Chunk chunk :
        List.of(
            Chunk.whole(TABLE),
            new Chunk(TableId.of("d b", "t\"a`b\\le ü"), 3, List.of(5L), null),
            new Chunk(TABLE, Integer.MAX_VALUE, null, List.of("x", 1)))) {
      assertEquals(chunk, Chunk.parse(chunk.format()), chunk.format());
    }
    assertEquals(
        "chunk/1 \"shop\" \"orders\" 0 - [int:1,str:\"a\\\"\"]",
        new Chunk(TABLE, 0, null, List.of(1, "a\"")).format());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "hello",
        "chunk/1",
        "chunk/1 shop orders 0 - -",
        "chunk/1 \"shop\" \"orders\" x - -",
        "chunk/1 \"shop\" \"orders\" -1 - -",
        "chunk/1 \"shop\" \"orders\" 0 - - trailing",
        "chunk/1 \"shop\" \"orders\" 0 [int:1 -",
        "chunk/1 \"shop\" \"orders\" 0 [] -",
        "chunk/1 \"shop\" \"orders\" 0 [int:x] -",
        "chunk/1 \"shop\" \"orders\" 0 [int:99999999999] -",
        "chunk/1 \"shop\" \"orders\" 0 [bool:yes] -",
        "chunk/1 \"shop\" \"orders\" 0 [bytes:abc] -",
        "chunk/1 \"shop\" \"orders\" 0 [date:2024-02-30] -",
        "chunk/1 \"shop\" \"orders\" 0 [frob:1] -",
        "chunk/1 \"shop\" \"orders\" 0 [str:\"open] -",
        "chunk/1 \"shop\" \"orders\" 0 [str:\"\\x\"] -",
        "chunk/1 \"shop\" \"orders\" 0 [str:\"\\u+fff\"] -",
        "chunk/1 \"shop\" \"orders\" 0 [int:1] [int:1,int:2]",
        "chunk/1 \"sh\nop\" \"orders\" 0 - -x",
      })
  void parse_garbage_isRejectedNamingTheColumn(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Chunk.parse(text));
    assertTrue(e.getMessage().startsWith("bad chunk text at column "), e.getMessage());
  }

  @Test
  void parse_otherVersion_saysSo() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Chunk.parse("chunk/2 \"shop\" \"orders\" 0 - -"));
    assertTrue(e.getMessage().contains("unsupported chunk text version chunk/2"), e.getMessage());
  }

  @Test
  void parse_null_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> Chunk.parse(null));
  }

  @Test
  void constructor_badBounds_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Chunk(TABLE, -1, null, null));
    assertThrows(IllegalArgumentException.class, () -> new Chunk(TABLE, 0, List.of(), null));
    assertThrows(
        IllegalArgumentException.class, () -> new Chunk(TABLE, 0, Arrays.asList(1, null), null));
    assertThrows(
        IllegalArgumentException.class, () -> new Chunk(TABLE, 0, List.of(new Date()), null));
    assertThrows(
        IllegalArgumentException.class, () -> new Chunk(TABLE, 0, List.of(1), List.of(1, 2)));
  }

  @Test
  void equals_comparesBytesByContent_andCopiesThem() {
    byte[] key = {1, 2};
    Chunk a = new Chunk(TABLE, 0, List.of(key), null);
    Chunk b = new Chunk(TABLE, 0, List.of(new byte[] {1, 2}), null);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    key[0] = 9;
    assertEquals(b, a);
    assertNotEquals(a, new Chunk(TABLE, 0, List.of(new byte[] {1, 3}), null));
    assertNotEquals(
        new Chunk(TABLE, 0, List.of(new BigDecimal("1.0")), null),
        new Chunk(TABLE, 0, List.of(new BigDecimal("1.00")), null));
  }

  @Test
  void toString_showsRangeAndShortensLongValues() {
    Chunk chunk = new Chunk(TABLE, 3, List.of(1000), List.of("x".repeat(500)));
    String s = chunk.toString();
    assertTrue(s.startsWith("Chunk[shop.orders #3 ([int:1000], [str:\"xxx"), s);
    assertTrue(s.length() < 120, s);
  }
}
