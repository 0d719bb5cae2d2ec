package io.canal4j.schema.internal.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Synthetic cells in the binlog's wire formats; the server tests ({@link BinlogValuesTest}, the
 * core's through-the-canal tests) cover what real servers write.
 */
class BinlogCellsTest {
  private static Column col(ColumnType type, boolean unsigned) {
    return col(type, unsigned, 0);
  }

  private static Column col(ColumnType type, boolean unsigned, int scale) {
    return new Column(
        "c", 0, type, type.name().toLowerCase(), unsigned, true, null, 0, scale, null);
  }

  private static Column text(ColumnType type, String charset, int length) {
    return new Column("c", 0, type, type.name(), false, true, charset, length, 0, null);
  }

  private static Object read(Column c, int type, int meta, int... bytes) {
    return read(c, type, meta, false, bytes);
  }

  /** Reads one cell and checks that it used exactly the given bytes. */
  private static Object read(Column c, int type, int meta, boolean zeroDatesAsText, int... bytes) {
    byte[] b = new byte[bytes.length + 1];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    b[bytes.length] = 0x5A; // a marker after the cell
    BinlogCursor cursor = new BinlogCursor(b);
    Object v = BinlogCells.forColumn(c, type, meta, zeroDatesAsText).read(cursor);
    assertEquals(0x5A, cursor.u8(), "the cell's length");
    assertFalse(cursor.hasRemaining());
    return v;
  }

  @Test
  void integers_signedAndUnsigned_atTheirLimits() {
    assertEquals(255, read(col(ColumnType.TINYINT, true), 1, 0, 0xFF));
    assertEquals(-1, read(col(ColumnType.TINYINT, false), 1, 0, 0xFF));
    assertEquals(-128, read(col(ColumnType.TINYINT, false), 1, 0, 0x80));
    assertEquals(65535, read(col(ColumnType.SMALLINT, true), 2, 0, 0xFF, 0xFF));
    assertEquals(-32768, read(col(ColumnType.SMALLINT, false), 2, 0, 0x00, 0x80));
    assertEquals(16777215, read(col(ColumnType.MEDIUMINT, true), 9, 0, 0xFF, 0xFF, 0xFF));
    assertEquals(-8388608, read(col(ColumnType.MEDIUMINT, false), 9, 0, 0, 0, 0x80));
    assertEquals(4294967295L, read(col(ColumnType.INT, true), 3, 0, 0xFF, 0xFF, 0xFF, 0xFF));
    assertEquals(Integer.MIN_VALUE, read(col(ColumnType.INT, false), 3, 0, 0, 0, 0, 0x80));
    int[] ones = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    assertEquals(
        new BigInteger("18446744073709551615"), read(col(ColumnType.BIGINT, true), 8, 0, ones));
    assertEquals(-1L, read(col(ColumnType.BIGINT, false), 8, 0, ones));
    assertEquals(
        Long.MIN_VALUE, read(col(ColumnType.BIGINT, false), 8, 0, 0, 0, 0, 0, 0, 0, 0, 0x80));
  }

  @Test
  void decimal_hasTheMetadataScale_andItsSign() {
    // DECIMAL(10,2): 8 integer digits in 4 bytes, 2 fraction digits in 1; the sign bit flipped.
    int meta = (2 << 8) | 10;
    assertEquals(
        new BigDecimal("1.50"),
        read(col(ColumnType.DECIMAL, false), 246, meta, 0x80, 0, 0, 0x01, 0x32));
    assertEquals(
        new BigDecimal("-1.50"),
        read(col(ColumnType.DECIMAL, false), 246, meta, 0x7F, 0xFF, 0xFF, 0xFE, 0xCD));
  }

  @Test
  void bit_oneIsBoolean_wideIsBigEndianBytes() {
    assertEquals(true, read(col(ColumnType.BIT, false), 16, 1, 0x01));
    assertEquals(false, read(col(ColumnType.BIT, false), 16, 1, 0x00));
    assertArrayEquals(
        new byte[] {0x03, (byte) 0xFF},
        (byte[]) read(col(ColumnType.BIT, false), 16, (1 << 8) | 2, 0x03, 0xFF));
    byte[] ff = new byte[8];
    java.util.Arrays.fill(ff, (byte) 0xFF);
    assertArrayEquals(
        ff,
        (byte[])
            read(
                col(ColumnType.BIT, false),
                16,
                8 << 8,
                0xFF,
                0xFF,
                0xFF,
                0xFF,
                0xFF,
                0xFF,
                0xFF,
                0xFF));
  }

  @Test
  void char_isDecodedAndStripped_binaryIsPadded() {
    assertEquals(
        "ab", read(text(ColumnType.CHAR, "utf8mb4", 5), 254, 0xFE14, 4, 'a', 'b', ' ', ' '));
    assertArrayEquals(
        new byte[] {'a', 'b', 0, 0},
        (byte[]) read(text(ColumnType.BINARY, null, 4), 254, 0xFE04, 2, 'a', 'b'));
  }

  @Test
  void latin1_isMySqlsCp1252_withTheFiveHolesAsControls() {
    assertEquals(
        "€\u0081é\u009D",
        read(text(ColumnType.VARCHAR, "latin1", 10), 15, 10, 4, 0x80, 0x81, 0xE9, 0x9D));
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
    assertEquals("b,c", read(e, 254, 0xF701, 2));
    assertEquals("", read(e, 254, 0xF701, 0));
    assertThrows(IllegalArgumentException.class, () -> read(e, 254, 0xF701, 3));
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
    assertEquals("x,z", read(s, 254, 0xF801, 5));
    assertEquals("", read(s, 254, 0xF801, 0));
    assertThrows(IllegalArgumentException.class, () -> read(s, 254, 0xF801, 8));
  }

  private static int[] date(int year, int month, int day) {
    int v = (year << 9) | (month << 5) | day;
    return new int[] {v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF};
  }

  /** DATETIME2 with fsp 3: five packed bytes and two of fraction (units of 100 µs). */
  private static int[] datetime3(int y, int mo, int d, int h, int mi, int s, int millis) {
    long packed = ((((long) (y * 13 + mo) << 5) | d) << 17) | (h << 12) | (mi << 6) | s;
    packed += 0x80_0000_0000L;
    int frac = millis * 10;
    return new int[] {
      (int) (packed >> 32) & 0xFF,
      (int) (packed >> 24) & 0xFF,
      (int) (packed >> 16) & 0xFF,
      (int) (packed >> 8) & 0xFF,
      (int) packed & 0xFF,
      (frac >> 8) & 0xFF,
      frac & 0xFF
    };
  }

  @Test
  void dates_valid_zero_partlyZero_andPastTheMonthsEnd() {
    Column d = col(ColumnType.DATE, false);
    assertEquals(LocalDate.of(2024, 2, 29), read(d, 10, 0, date(2024, 2, 29)));
    assertEquals(LocalDate.of(1000, 1, 1), read(d, 10, 0, date(1000, 1, 1)));
    assertNull(read(d, 10, 0, date(0, 0, 0)));
    assertNull(read(d, 10, 0, date(2024, 0, 15)));
    assertNull(read(d, 10, 0, date(2023, 2, 29)));
    assertEquals("0000-00-00", read(d, 10, 0, true, date(0, 0, 0)));
    assertEquals("2024-00-15", read(d, 10, 0, true, date(2024, 0, 15)));
    assertEquals("2024-02-30", read(d, 10, 0, true, date(2024, 2, 30)));
    assertEquals("0099-04-31", read(d, 10, 0, true, date(99, 4, 31)));
    assertEquals(LocalDate.of(2024, 2, 29), read(d, 10, 0, true, date(2024, 2, 29)));
  }

  @Test
  void datetimes_zeroAndInvalid_asNullOrTextWithTheirFsp() {
    Column dt = col(ColumnType.DATETIME, false, 3);
    assertEquals(
        LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_000_000),
        read(dt, 18, 3, datetime3(2024, 2, 29, 23, 59, 59, 999)));
    assertNull(read(dt, 18, 3, datetime3(0, 0, 0, 0, 0, 0, 0)));
    assertEquals("0000-00-00 00:00:00.000", read(dt, 18, 3, true, datetime3(0, 0, 0, 0, 0, 0, 0)));
    assertEquals(
        "2021-00-10 10:00:00.050", read(dt, 18, 3, true, datetime3(2021, 0, 10, 10, 0, 0, 50)));
    assertEquals(
        "2021-04-31 12:00:00.500", read(dt, 18, 3, true, datetime3(2021, 4, 31, 12, 0, 0, 500)));
  }

  @Test
  void zeroTimestamp_isNullOrText_otherTimestampsAreInstants() {
    Column ts = col(ColumnType.TIMESTAMP, false, 6);
    assertNull(read(ts, 17, 6, 0, 0, 0, 0, 0, 0, 0));
    assertEquals("0000-00-00 00:00:00.000000", read(ts, 17, 6, true, 0, 0, 0, 0, 0, 0, 0));
    assertEquals(
        "0000-00-00 00:00:00", read(col(ColumnType.TIMESTAMP, false), 17, 0, true, 0, 0, 0, 0));
    assertEquals(Instant.ofEpochSecond(1, 5000), read(ts, 17, 6, true, 0, 0, 0, 1, 0, 0, 5));
  }

  @Test
  void time2_negativeAndBeyond24Hours() {
    Column t = col(ColumnType.TIME, false);
    // -00:00:01, fsp 0: 0x800000 - 1.
    assertEquals(Duration.ofSeconds(-1), read(t, 19, 0, 0x7F, 0xFF, 0xFF));
    // 838:59:59: hours in bits 12.., minutes 6.., seconds 0..
    int hms = (838 << 12) | (59 << 6) | 59;
    int v = 0x80_0000 + hms;
    assertEquals(
        Duration.parse("PT838H59M59S"),
        read(t, 19, 0, (v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF));
  }

  @Test
  void year_zeroIsStoredAsZero() {
    assertEquals(0, read(col(ColumnType.YEAR, false), 13, 0, 0));
    assertEquals(2155, read(col(ColumnType.YEAR, false), 13, 0, 255));
    assertEquals(1901, read(col(ColumnType.YEAR, false), 13, 0, 1));
  }

  @Test
  void json_emptyBinaryIsNull() {
    assertEquals("null", read(col(ColumnType.JSON, false), 245, 4, 0, 0, 0, 0));
  }

  @Test
  void textWithoutCharset_isRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> BinlogCells.forColumn(text(ColumnType.TEXT, null, 0), 252, 2, false));
    assertThrows(
        IllegalArgumentException.class,
        () -> BinlogCells.forColumn(text(ColumnType.TEXT, "armscii8", 0), 252, 2, false));
  }

  @Test
  void unknownOrMismatchedType_namesTheColumn() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BinlogCells.forColumn(col(ColumnType.DATE, false), 14, 0, false));
    assertTrue(e.getMessage().contains("column c"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BinlogCells.forColumn(col(ColumnType.INT, false), 15, 10, false));
    assertTrue(e.getMessage().contains("column c"), e.getMessage());
  }
}
