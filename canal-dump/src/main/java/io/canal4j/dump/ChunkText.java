package io.canal4j.dump;

import io.canal4j.schema.TableId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The text form of a {@link Chunk}: {@code chunk/1 "db" "table" <index> <lower> <upper>}.
 *
 * <p>Each value is {@code type:payload}, where the payload is the Java type's own exact text form
 * ({@code BigDecimal.toString()} keeps the scale, {@code Float.toString} and {@code
 * Double.toString} convert back to the same bits, the java.time types print ISO-8601), bytes are
 * lower-case hex and strings are quoted with {@code \"}, {@code \\} and {@code \}{@code uXXXX}
 * escapes for every char outside printable ASCII (so even an unpaired surrogate comes back). The
 * version in the first word lets a later format still read what this one wrote.
 */
final class ChunkText {
  static final String MAGIC = "chunk/1";
  private static final int SHOWN_CHARS = 40;
  private static final HexFormat HEX = HexFormat.of();
  private static final Set<String> TAGS =
      Set.of(
          "int",
          "long",
          "bigint",
          "decimal",
          "float",
          "double",
          "bool",
          "bytes",
          "date",
          "datetime",
          "instant",
          "time");

  private ChunkText() {}

  static boolean isKeyType(Object v) {
    return v instanceof Integer
        || v instanceof Long
        || v instanceof BigInteger
        || v instanceof BigDecimal
        || v instanceof Float
        || v instanceof Double
        || v instanceof Boolean
        || v instanceof String
        || v instanceof byte[]
        || v instanceof LocalDate
        || v instanceof LocalDateTime
        || v instanceof Instant
        || v instanceof Duration;
  }

  static String format(Chunk chunk) {
    StringBuilder sb = new StringBuilder(MAGIC).append(' ');
    quote(chunk.table().database(), sb).append(' ');
    quote(chunk.table().table(), sb).append(' ');
    sb.append(chunk.index()).append(' ');
    bound(chunk.lower(), sb).append(' ');
    bound(chunk.upper(), sb);
    return sb.toString();
  }

  /** A bound for messages: its values' text forms, each cut to a readable length. */
  static String describe(List<Object> bound, String none) {
    if (bound == null) {
      return none;
    }
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < bound.size(); i++) {
      String v = value(bound.get(i), new StringBuilder()).toString();
      sb.append(i == 0 ? "" : ", ")
          .append(v.length() <= SHOWN_CHARS ? v : v.substring(0, SHOWN_CHARS) + "...");
    }
    return sb.append(']').toString();
  }

  private static StringBuilder bound(List<Object> bound, StringBuilder sb) {
    if (bound == null) {
      return sb.append('-');
    }
    sb.append('[');
    for (int i = 0; i < bound.size(); i++) {
      value(bound.get(i), i == 0 ? sb : sb.append(','));
    }
    return sb.append(']');
  }

  private static StringBuilder value(Object v, StringBuilder sb) {
    if (v instanceof String s) {
      return quote(s, sb.append("str:"));
    }
    if (v instanceof byte[] b) {
      return sb.append("bytes:").append(HEX.formatHex(b));
    }
    return sb.append(tag(v)).append(':').append(v);
  }

  private static String tag(Object v) {
    if (v instanceof Integer) {
      return "int";
    } else if (v instanceof Long) {
      return "long";
    } else if (v instanceof BigInteger) {
      return "bigint";
    } else if (v instanceof BigDecimal) {
      return "decimal";
    } else if (v instanceof Float) {
      return "float";
    } else if (v instanceof Double) {
      return "double";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof LocalDate) {
      return "date";
    } else if (v instanceof LocalDateTime) {
      return "datetime";
    } else if (v instanceof Instant) {
      return "instant";
    } else if (v instanceof Duration) {
      return "time";
    }
    throw new IllegalArgumentException("not a key type: " + v.getClass().getName());
  }

  private static StringBuilder quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7F) {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.append('"');
  }

  static Chunk parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("chunk text is null");
    }
    return new Parser(text).chunk();
  }

  /** A recursive-descent reader whose errors name the offending column. */
  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    Chunk chunk() {
      String magic = word();
      if (!magic.equals(MAGIC)) {
        if (magic.startsWith("chunk/")) {
          throw error(0, "unsupported chunk text version " + magic + " (this library reads 1)");
        }
        throw error(0, "not a chunk text (it does not start with " + MAGIC + ")");
      }
      space();
      String database = string();
      space();
      String table = string();
      space();
      int start = pos;
      String index = word();
      int i;
      try {
        i = Integer.parseInt(index);
      } catch (NumberFormatException e) {
        throw error(start, "bad chunk index " + index);
      }
      space();
      List<Object> lower = bound();
      space();
      List<Object> upper = bound();
      if (pos != text.length()) {
        throw error(pos, "unexpected text after the upper bound");
      }
      try {
        return new Chunk(TableId.of(database, table), i, lower, upper);
      } catch (IllegalArgumentException e) {
        throw error(start, e.getMessage());
      }
    }

    private List<Object> bound() {
      if (peek() == '-') {
        pos++;
        return null;
      }
      expect('[');
      List<Object> values = new ArrayList<>();
      while (true) {
        values.add(value());
        char c = peek();
        pos++;
        if (c == ']') {
          return values;
        }
        if (c != ',') {
          throw error(pos - 1, "expected ',' or ']'");
        }
      }
    }

    private Object value() {
      int start = pos;
      int colon = text.indexOf(':', pos);
      if (colon < 0) {
        throw error(start, "expected type:value");
      }
      String tag = text.substring(pos, colon);
      pos = colon + 1;
      if (tag.equals("str")) {
        return string();
      }
      int payloadStart = pos;
      while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ']') {
        pos++;
      }
      String p = text.substring(payloadStart, pos);
      if (!TAGS.contains(tag)) {
        throw error(start, "unknown value type '" + tag + "'");
      }
      try {
        return switch (tag) {
          case "int" -> Integer.valueOf(p);
          case "long" -> Long.valueOf(p);
          case "bigint" -> new BigInteger(p);
          case "decimal" -> new BigDecimal(p);
          case "float" -> Float.valueOf(p);
          case "double" -> Double.valueOf(p);
          case "bool" -> bool(p);
          case "bytes" -> HEX.parseHex(p);
          case "date" -> LocalDate.parse(p);
          case "datetime" -> LocalDateTime.parse(p);
          case "instant" -> Instant.parse(p);
          case "time" -> Duration.parse(p);
          default -> throw new AssertionError(tag);
        };
      } catch (RuntimeException e) {
        throw error(payloadStart, "bad " + tag + " value '" + p + "'");
      }
    }

    private static Boolean bool(String p) {
      return switch (p) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> throw new IllegalArgumentException(p);
      };
    }

    private String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw error(pos, "unterminated string");
        }
        char c = text.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = pos < text.length() ? text.charAt(pos++) : 0;
        if (e == '"' || e == '\\') {
          sb.append(e);
        } else if (e == 'u' && pos + 4 <= text.length() && isHex(text, pos, pos + 4)) {
          sb.append((char) HexFormat.fromHexDigits(text, pos, pos + 4));
          pos += 4;
        } else {
          throw error(pos - 2, "bad escape in string");
        }
      }
    }

    private static boolean isHex(String s, int from, int to) {
      for (int i = from; i < to; i++) {
        if (!HexFormat.isHexDigit(s.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    private String word() {
      int start = pos;
      while (pos < text.length() && text.charAt(pos) != ' ') {
        pos++;
      }
      return text.substring(start, pos);
    }

    private void space() {
      expect(' ');
    }

    private char peek() {
      if (pos >= text.length()) {
        throw error(pos, "unexpected end of text");
      }
      return text.charAt(pos);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error(pos, "expected '" + c + "'");
      }
      pos++;
    }

    private IllegalArgumentException error(int at, String why) {
      String shown = text.length() <= 200 ? text : text.substring(0, 200) + "...";
      return new IllegalArgumentException(
          "bad chunk text at column " + (at + 1) + ": " + why + ": " + shown);
    }
  }
}
