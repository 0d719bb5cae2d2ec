package io.canal4j.schema.internal.value;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonFormatter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Renders MySQL's binary JSON (what the binlog carries for a JSON column) as exactly the text MySQL
 * prints for it ({@code SELECT json_col}, {@code CAST(json_col AS CHAR)}), so binlog rows and
 * snapshot rows carry the same string. That text is not the connector's own rendering, which is
 * compact and formats numbers and dates differently. MySQL's rules, from {@code
 * Json_wrapper::to_string} in sql-common/json_dom.cc:
 *
 * <ul>
 *   <li>{@code ", "} between elements, {@code ": "} after keys; keys in stored order;
 *   <li>strings escape {@code "} and {@code \}, {@code \b \f \n \r \t}, other characters up to
 *       U+001F as {@code \}{@code u00xx} (lower-case hex), nothing else;
 *   <li>doubles as {@code my_gcvt} prints them (shortest round-trip digits, {@code 1e15}, {@code
 *       0.0000001}) with {@code .0} appended when neither a point nor an exponent appears;
 *   <li>decimals with their scale; DATETIME and TIMESTAMP as {@code "YYYY-MM-DD hh:mm:ss.ffffff"},
 *       TIME as {@code "[-]hh:mm:ss.ffffff"}, DATE as {@code "YYYY-MM-DD"};
 *   <li>other opaque values as {@code "base64:type<N>:<base64>"}, the base64 broken every 76
 *       characters by a newline that the string escaping prints as {@code \n}.
 * </ul>
 */
final class MysqlJson {
  /** MySQL's {@code MY_GCVT_MAX_FIELD_WIDTH}: DBL_DIG + 4 + max(5, MAX_DECPT_FOR_F_FORMAT). */
  private static final int GCVT_WIDTH = 15 + 4 + 15;

  /** MySQL's {@code MAX_DECPT_FOR_F_FORMAT} (DBL_DIG). */
  private static final int MAX_DECPT_FOR_F_FORMAT = 15;

  private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(76, new byte[] {'\n'});

  private MysqlJson() {}

  /**
   * The text of a binary JSON value. An empty value (what MySQL stores for a JSON column left
   * without a value in a permissive sql_mode) is the JSON null literal, as MySQL prints it.
   */
  static String toText(byte[] binary) {
    if (binary.length == 0) {
      return "null";
    }
    Formatter f = new Formatter();
    try {
      new SignedTimeJsonBinary(binary).parse(f);
    } catch (IOException e) {
      throw new UncheckedIOException("malformed binary JSON value", e);
    }
    return f.sb.toString();
  }

  /** A double as MySQL's {@code my_gcvt(d, MY_GCVT_ARG_DOUBLE, MY_GCVT_MAX_FIELD_WIDTH)}. */
  static String gcvt(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "0"; // what my_gcvt prints on overflow; JSON cannot hold these anyway
    }
    boolean negative = d < 0 || (d == 0 && 1 / d < 0);
    String digits;
    int decpt;
    if (d == 0) {
      digits = "0";
      decpt = 1;
    } else {
      BigDecimal exact = new BigDecimal(Math.abs(d));
      BigDecimal shortest = null;
      for (int p = 1; p <= 17; p++) {
        BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
        if (r.doubleValue() == Math.abs(d)) {
          shortest = r;
          break;
        }
      }
      shortest = shortest.stripTrailingZeros();
      digits = shortest.unscaledValue().toString();
      decpt = digits.length() - shortest.scale();
    }
    int len = digits.length();
    int width = GCVT_WIDTH - (d < 0 ? 1 : 0);
    int expLen = 1 + (decpt >= 101 || decpt <= -99 ? 1 : 0) + (decpt >= 11 || decpt <= -9 ? 1 : 0);
    int fLength = decpt <= 0 ? len - decpt + 2 : decpt < len ? len + 1 : decpt;
    boolean haveSpace = fLength <= width;
    boolean forceE = decpt <= 0 && width <= 2 - decpt && width >= 3 + expLen;
    boolean fFormat =
        (haveSpace
                || (decpt <= width
                    && (decpt >= -1 || (decpt == -2 && (len > 1 || !forceE)))
                    && !forceE))
            && (!haveSpace
                || (decpt >= -MAX_DECPT_FOR_F_FORMAT + 1
                    && (decpt <= MAX_DECPT_FOR_F_FORMAT || len > decpt)));
    StringBuilder sb = new StringBuilder(26);
    if (negative) {
      sb.append('-');
    }
    if (fFormat) {
      if (decpt <= 0) {
        sb.append("0.");
        sb.append("0".repeat(-decpt));
        sb.append(digits);
      } else if (decpt < len) {
        sb.append(digits, 0, decpt).append('.').append(digits, decpt, len);
      } else {
        sb.append(digits).append("0".repeat(decpt - len));
      }
    } else {
      sb.append(digits.charAt(0));
      if (len > 1) {
        sb.append('.').append(digits, 1, len);
      }
      sb.append('e').append(decpt - 1);
    }
    return sb.toString();
  }

  /** The connector's JsonBinary decodes negative TIME values wrongly; this one does not. */
  private static final class SignedTimeJsonBinary extends JsonBinary {
    SignedTimeJsonBinary(byte[] bytes) {
      super(bytes);
    }

    @Override
    protected void parseTime(JsonFormatter formatter) throws IOException {
      // TIME_to_longlong_time_packed: ((h << 12 | m << 6 | s) << 24) + micros, negated if < 0.
      long packed = readInt64();
      boolean negative = packed < 0;
      long abs = Math.abs(packed);
      long hms = abs >> 24;
      int micros = (int) (abs & 0xFFFFFF);
      ((Formatter) formatter)
          .time(
              negative,
              (int) (hms >> 12) & 0x3FF,
              (int) (hms >> 6) & 0x3F,
              (int) hms & 0x3F,
              micros);
    }
  }

  private static final class Formatter implements JsonFormatter {
    final StringBuilder sb = new StringBuilder();

    @Override
    public void beginObject(int numElements) {
      sb.append('{');
    }

    @Override
    public void beginArray(int numElements) {
      sb.append('[');
    }

    @Override
    public void endObject() {
      sb.append('}');
    }

    @Override
    public void endArray() {
      sb.append(']');
    }

    @Override
    public void name(String name) {
      quote(name);
      sb.append(": ");
    }

    @Override
    public void value(String value) {
      quote(value);
    }

    @Override
    public void value(int value) {
      sb.append(value);
    }

    @Override
    public void value(long value) {
      sb.append(value);
    }

    @Override
    public void value(double value) {
      String s = gcvt(value);
      sb.append(s);
      if (s.indexOf('.') < 0 && s.indexOf('e') < 0) {
        sb.append(".0");
      }
    }

    @Override
    public void value(BigInteger value) {
      sb.append(value);
    }

    @Override
    public void value(BigDecimal value) {
      sb.append(value.toPlainString());
    }

    @Override
    public void value(boolean value) {
      sb.append(value);
    }

    @Override
    public void valueNull() {
      sb.append("null");
    }

    @Override
    public void valueYear(int year) {
      sb.append(year);
    }

    @Override
    public void valueDate(int year, int month, int day) {
      sb.append('"');
      date(year, month, day);
      sb.append('"');
    }

    @Override
    public void valueDatetime(
        int year, int month, int day, int hour, int min, int sec, int microSeconds) {
      sb.append('"');
      date(year, month, day);
      sb.append(' ');
      clock(hour, min, sec, microSeconds);
      sb.append('"');
    }

    @Override
    public void valueTime(int hour, int min, int sec, int microSeconds) {
      time(hour < 0, Math.abs(hour), min, sec, microSeconds);
    }

    void time(boolean negative, int hour, int min, int sec, int microSeconds) {
      sb.append('"');
      if (negative) {
        sb.append('-');
      }
      clock(hour, min, sec, microSeconds);
      sb.append('"');
    }

    @Override
    public void valueTimestamp(long secondsPastEpoch, int microSeconds) {
      LocalDateTime t =
          LocalDateTime.ofInstant(
              Instant.ofEpochSecond(secondsPastEpoch, microSeconds * 1000L), ZoneOffset.UTC);
      valueDatetime(
          t.getYear(),
          t.getMonthValue(),
          t.getDayOfMonth(),
          t.getHour(),
          t.getMinute(),
          t.getSecond(),
          microSeconds);
    }

    @Override
    public void valueOpaque(ColumnType type, byte[] value) {
      // MySQL's base64 breaks lines every 76 characters; the string escaping then makes each
      // break the two characters \n.
      quote("base64:type" + type.getCode() + ":" + BASE64.encodeToString(value));
    }

    @Override
    public void nextEntry() {
      sb.append(", ");
    }

    private void date(int year, int month, int day) {
      pad(year, 4).append('-');
      pad(month, 2).append('-');
      pad(day, 2);
    }

    private void clock(int hour, int min, int sec, int micros) {
      pad(hour, 2).append(':');
      pad(min, 2).append(':');
      pad(sec, 2).append('.');
      pad(micros, 6);
    }

    private StringBuilder pad(int value, int width) {
      String s = Integer.toString(value);
      for (int i = s.length(); i < width; i++) {
        sb.append('0');
      }
      return sb.append(s);
    }

    private void quote(String s) {
      sb.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\b' -> sb.append("\\b");
          case '\f' -> sb.append("\\f");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c <= 0x1F) {
              sb.append("\\u00").append(Character.forDigit(c >> 4, 16));
              sb.append(Character.forDigit(c & 0xF, 16));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    }
  }
}
