package io.canal4j.dump;

import io.canal4j.schema.TableId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One primary-key range of a table, the unit in which a snapshot reads rows and records progress.
 *
 * <p>The range is {@code lower < key <= upper}, compared the way the server orders the primary key
 * (numbers by value, text in the column's collation, bytes bytewise). Each bound is a list of key
 * values in primary-key order, or null for no bound. The chunks {@link TableReader#plan} returns
 * for a table cover its whole key space exactly once: the first has no lower bound, the last no
 * upper bound, and each lower bound is the upper bound of the chunk before. A table without a
 * primary key is one chunk with both bounds null.
 *
 * <p>Key values are canonical values (the README's type table): {@link Integer}, {@link Long},
 * {@link BigInteger}, {@link BigDecimal}, {@link Float}, {@link Double}, {@link Boolean}, {@link
 * String}, {@code byte[]}, {@link LocalDate}, {@link LocalDateTime}, {@link Instant} and {@link
 * Duration}; a zero date in a key is its MySQL text. Byte arrays are copied on the way in and must
 * not be changed through {@link #lower()} or {@link #upper()}. Equality compares them by content.
 *
 * <p>{@link #format()} gives a single-line text that {@link #parse(String)} turns back into an
 * equal chunk, every value with its Java type and exact value (BigDecimal with its scale), so a
 * checkpoint can record finished chunks and a restarted snapshot skip them.
 *
 * @param table the table the range belongs to
 * @param index the chunk's 0-based place in its table's plan
 * @param lower the exclusive lower bound, or null for none
 * @param upper the inclusive upper bound, or null for none
 */
public record Chunk(TableId table, int index, List<Object> lower, List<Object> upper) {

  /**
   * @throws IllegalArgumentException when the index is negative, a bound is empty or holds a null
   *     or a value of another type than those listed above, or both bounds are given with different
   *     lengths
   */
  public Chunk {
    Objects.requireNonNull(table, "table");
    if (index < 0) {
      throw new IllegalArgumentException("chunk index must be >= 0: " + index);
    }
    lower = checkedCopy(lower, "lower");
    upper = checkedCopy(upper, "upper");
    if (lower != null && upper != null && lower.size() != upper.size()) {
      throw new IllegalArgumentException(
          "bounds of different lengths: " + lower.size() + " and " + upper.size());
    }
  }

  /** The only chunk of a table without a primary key, or of one read whole: no bounds. */
  public static Chunk whole(TableId table) {
    return new Chunk(table, 0, null, null);
  }

  /** Whether the range has neither bound, i.e. it is the whole table. */
  public boolean isWhole() {
    return lower == null && upper == null;
  }

  /**
   * The single-line text form: {@code chunk/1 <database> <table> <index> <lower> <upper>}, names
   * and strings quoted with escapes, each bound {@code -} or {@code [type:value,...]}, e.g. {@code
   * chunk/1 "shop" "orders" 3 [int:1000,str:"abc"] [int:2000,str:"x\u00e9"]}. Only printable ASCII
   * appears in it.
   */
  public String format() {
    return ChunkText.format(this);
  }

  /**
   * Reads the text {@link #format()} wrote.
   *
   * @throws IllegalArgumentException when the text is not such a form (the message says where and
   *     why), or names a version this library cannot read
   */
  public static Chunk parse(String text) {
    return ChunkText.parse(text);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Chunk c
        && table.equals(c.table)
        && index == c.index
        && boundEquals(lower, c.lower)
        && boundEquals(upper, c.upper);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, index, boundHash(lower), boundHash(upper));
  }

  /** E.g. {@code Chunk[shop.orders #3 ([1000], [2000]]]}; long values are shortened. */
  @Override
  public String toString() {
    return "Chunk["
        + table
        + " #"
        + index
        + " ("
        + ChunkText.describe(lower, "-inf")
        + ", "
        + ChunkText.describe(upper, "+inf")
        + "]]";
  }

  private static List<Object> checkedCopy(List<Object> bound, String name) {
    if (bound == null) {
      return null;
    }
    if (bound.isEmpty()) {
      throw new IllegalArgumentException(name + " bound is empty; use null for no bound");
    }
    List<Object> copy = new ArrayList<>(bound.size());
    for (int i = 0; i < bound.size(); i++) {
      Object v = bound.get(i);
      if (v == null) {
        throw new IllegalArgumentException(name + " bound value " + i + " is null");
      }
      if (!ChunkText.isKeyType(v)) {
        throw new IllegalArgumentException(
            name + " bound value " + i + " has unsupported type " + v.getClass().getName());
      }
      copy.add(v instanceof byte[] b ? b.clone() : v);
    }
    return Collections.unmodifiableList(copy);
  }

  private static boolean boundEquals(List<Object> a, List<Object> b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Arrays.deepEquals(a.toArray(), b.toArray());
  }

  private static int boundHash(List<Object> bound) {
    return bound == null ? 0 : Arrays.deepHashCode(bound.toArray());
  }
}
