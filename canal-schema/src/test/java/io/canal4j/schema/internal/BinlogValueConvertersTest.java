package io.canal4j.schema.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Synthetic raw values in the connector's forms; the server tests cover real ones. */
class BinlogValueConvertersTest {
  private static Column col(ColumnType type, boolean unsigned) {
    return new Column("c", 0, type, type.name().toLowerCase(), unsigned, true, null, 0, 0, null);
  }

  private static Column text(ColumnType type, String charset, int length) {
    return new Column("c", 0, type, type.name(), false, true, charset, length, 0, null);
  }

  private static Object convert(Column c, int type, int meta, Object raw) {
    return BinlogValueConverters.forColumn(c, type, meta).convert(raw);
  }

  @Test
  void unsignedIntegers_areReinterpreted() {
    assertEquals(255, convert(col(ColumnType.TINYINT, true), 1, 0, -1));
    assertEquals(-128, convert(col(ColumnType.TINYINT, false), 1, 0, -128));
    assertEquals(65535, convert(col(ColumnType.SMALLINT, true), 2, 0, -1));
    assertEquals(16777215, convert(col(ColumnType.MEDIUMINT, true), 9, 0, -1));
    assertEquals(-8388608, convert(col(ColumnType.MEDIUMINT, false), 9, 0, -8388608));
    assertEquals(4294967295L, convert(col(ColumnType.INT, true), 3, 0, -1));
    assertEquals(Integer.MIN_VALUE, convert(col(ColumnType.INT, false), 3, 0, Integer.MIN_VALUE));
    assertEquals(
        new BigInteger("18446744073709551615"), convert(col(ColumnType.BIGINT, true), 8, 0, -1L));
    assertEquals(BigInteger.ZERO, convert(col(ColumnType.BIGINT, true), 8, 0, 0L));
    assertEquals(Long.MIN_VALUE, convert(col(ColumnType.BIGINT, false), 8, 0, Long.MIN_VALUE));
  }

  @Test
  void decimal_getsTheMetadataScale() {
    Object v = convert(col(ColumnType.DECIMAL, false), 246, (2 << 8) | 10, new BigDecimal("1.5"));
    assertEquals(new BigDecimal("1.50"), v);
  }

  @Test
  void bit_oneIsBoolean_wideIsBigEndianBytes() {
    BitSet one = new BitSet();
    one.set(0);
    assertEquals(true, convert(col(ColumnType.BIT, false), 16, 1, one));
    assertEquals(false, convert(col(ColumnType.BIT, false), 16, 1, new BitSet()));
    BitSet v = BitSet.valueOf(new long[] {0x0102L});
    assertArrayEquals(
        new byte[] {0, 0x01, 0x02},
        (byte[]) convert(col(ColumnType.BIT, false), 16, (2 << 8) | 4, v));
    BitSet all = new BitSet();
    all.set(0, 64);
    byte[] ff = new byte[8];
    java.util.Arrays.fill(ff, (byte) 0xFF);
    assertArrayEquals(ff, (byte[]) convert(col(ColumnType.BIT, false), 16, 8 << 8, all));
  }

  @Test
  void char_isDecodedAndStripped_binaryIsPadded() {
    assertEquals(
        "ab",
        convert(
            text(ColumnType.CHAR, "utf8mb4", 5),
            254,
            0xFE14,
            "ab  ".getBytes(StandardCharsets.UTF_8)));
    assertArrayEquals(
        new byte[] {'a', 'b', 0, 0},
        (byte[]) convert(text(ColumnType.BINARY, null, 4), 254, 0xFE04, new byte[] {'a', 'b'}));
  }

  @Test
  void latin1_isMySqlsCp1252_withTheFiveHolesAsControls() {
    byte[] raw = {(byte) 0x80, (byte) 0x81, (byte) 0xE9, (byte) 0x9D};
    assertEquals("€\u0081é\u009D", convert(text(ColumnType.VARCHAR, "latin1", 10), 15, 10, raw));
  }

  @Test
  void enumAndSet_useLabels() {
    Column e =
        new Column(
            "e",
            0,
            ColumnType.ENUM,
            "enum('a','b,c')",
            false,
            true,
            "utf8mb4",
            0,
            0,
            List.of("a", "b,c"));
    assertEquals("b,c", convert(e, 254, 0xF701, 2));
    assertEquals("", convert(e, 254, 0xF701, 0));
    assertThrows(IllegalArgumentException.class, () -> convert(e, 254, 0xF701, 3));
    Column s =
        new Column(
            "s",
            0,
            ColumnType.SET,
            "set('x','y','z')",
            false,
            true,
            "utf8mb4",
            0,
            0,
            List.of("x", "y", "z"));
    assertEquals("x,z", convert(s, 254, 0xF801, 5L));
    assertEquals("", convert(s, 254, 0xF801, 0L));
    assertThrows(IllegalArgumentException.class, () -> convert(s, 254, 0xF801, 8L));
  }

  @Test
  void temporals_zeroDatesAreNull() {
    assertNull(convert(col(ColumnType.DATE, false), 10, 0, Long.MIN_VALUE));
    assertNull(convert(col(ColumnType.DATETIME, false), 18, 0, Long.MIN_VALUE));
    assertNull(convert(col(ColumnType.TIMESTAMP, false), 17, 0, 0L));
    assertEquals(
        LocalDate.of(1970, 1, 2), convert(col(ColumnType.DATE, false), 10, 0, 86_400_000_000L));
    assertEquals(
        Instant.ofEpochSecond(1, 5000),
        convert(col(ColumnType.TIMESTAMP, false), 17, 6, 1_000_005L));
  }

  @Test
  void time_acceptsMicrosOrADuration() {
    assertEquals(
        Duration.ofSeconds(3600, 1000),
        convert(col(ColumnType.TIME, false), 19, 6, 3_600_000_001L));
    assertEquals(
        Duration.ofSeconds(-5),
        convert(col(ColumnType.TIME, false), 19, 0, Duration.ofSeconds(-5)));
  }

  @Test
  void year_zeroIsStoredAs1900() {
    assertEquals(0, convert(col(ColumnType.YEAR, false), 13, 0, 1900));
    assertEquals(2155, convert(col(ColumnType.YEAR, false), 13, 0, 2155));
  }

  @Test
  void json_emptyBinaryIsNull() {
    assertEquals("null", convert(col(ColumnType.JSON, false), 245, 4, new byte[0]));
  }

  @Test
  void wrongRawClass_namesTheColumn() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> convert(col(ColumnType.DATE, false), 10, 0, "x"));
    assertTrue(e.getMessage().contains("column c"), e.getMessage());
  }

  @Test
  void textWithoutCharset_isRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> BinlogValueConverters.forColumn(text(ColumnType.TEXT, null, 0), 252, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> BinlogValueConverters.forColumn(text(ColumnType.TEXT, "armscii8", 0), 252, 2));
  }
}
