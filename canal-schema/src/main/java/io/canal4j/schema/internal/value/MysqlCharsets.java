package io.canal4j.schema.internal.value;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes text stored in a MySQL character set into a Java String, the way the server itself
 * converts it to utf8mb4 when it sends results.
 *
 * <p>MySQL's {@code latin1} is Windows-1252, except that the five bytes Windows-1252 leaves
 * undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls of the same code; Java's {@code
 * windows-1252} would turn them into U+FFFD, so latin1 has its own table here.
 */
final class MysqlCharsets {
  private static final Map<String, String> JAVA_NAMES =
      Map.ofEntries(
          Map.entry("utf8mb4", "UTF-8"),
          Map.entry("utf8mb3", "UTF-8"),
          Map.entry("utf8", "UTF-8"),
          Map.entry("ascii", "US-ASCII"),
          Map.entry("ucs2", "UTF-16BE"),
          Map.entry("utf16", "UTF-16BE"),
          Map.entry("utf16le", "UTF-16LE"),
          Map.entry("utf32", "UTF-32BE"),
          Map.entry("gbk", "GBK"),
          Map.entry("gb18030", "GB18030"),
          Map.entry("gb2312", "GB2312"),
          Map.entry("big5", "Big5"),
          Map.entry("sjis", "Shift_JIS"),
          Map.entry("cp932", "windows-31j"),
          Map.entry("ujis", "EUC-JP"),
          Map.entry("eucjpms", "x-eucJP-Open"),
          Map.entry("euckr", "EUC-KR"),
          Map.entry("koi8r", "KOI8-R"),
          Map.entry("koi8u", "KOI8-U"),
          Map.entry("cp1250", "windows-1250"),
          Map.entry("cp1251", "windows-1251"),
          Map.entry("cp1256", "windows-1256"),
          Map.entry("cp1257", "windows-1257"),
          Map.entry("latin2", "ISO-8859-2"),
          Map.entry("latin5", "ISO-8859-9"),
          Map.entry("latin7", "ISO-8859-13"),
          Map.entry("greek", "ISO-8859-7"),
          Map.entry("hebrew", "ISO-8859-8"),
          Map.entry("tis620", "TIS-620"),
          Map.entry("cp850", "IBM850"),
          Map.entry("cp852", "IBM852"),
          Map.entry("cp866", "IBM866"),
          Map.entry("macroman", "x-MacRoman"),
          Map.entry("macce", "x-MacCentralEurope"));

  private static final char[] LATIN1 = latin1Table();
  private static final Map<String, Decoder> DECODERS = new ConcurrentHashMap<>();

  private MysqlCharsets() {}

  /** A decoder for one MySQL character set. */
  interface Decoder {
    String decode(byte[] bytes);
  }

  /**
   * The decoder for a MySQL character set name ({@code information_schema.COLUMNS
   * .CHARACTER_SET_NAME}).
   *
   * @throws IllegalArgumentException when Java has no equivalent ({@code armscii8}, {@code
   *     geostd8}, {@code keybcs2}, {@code swe7}, {@code dec8}, {@code hp8}) or the name is unknown
   */
  static Decoder decoder(String mysqlCharset) {
    return DECODERS.computeIfAbsent(mysqlCharset.toLowerCase(Locale.ROOT), MysqlCharsets::create);
  }

  private static Decoder create(String name) {
    String mysqlCharset = name;
    if (name.equals("latin1")) {
      return MysqlCharsets::decodeLatin1;
    }
    if (name.equals("utf8mb4") || name.equals("utf8mb3") || name.equals("utf8")) {
      return bytes -> new String(bytes, StandardCharsets.UTF_8);
    }
    String javaName = JAVA_NAMES.get(name);
    if (javaName == null) {
      throw new IllegalArgumentException("no Java charset for MySQL character set " + mysqlCharset);
    }
    Charset cs;
    try {
      cs = Charset.forName(javaName);
    } catch (UnsupportedCharsetException e) {
      throw new IllegalArgumentException(
          "this JVM has no " + javaName + " for MySQL character set " + mysqlCharset, e);
    }
    return bytes -> new String(bytes, cs);
  }

  static String decodeLatin1(byte[] bytes) {
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = LATIN1[bytes[i] & 0xFF];
    }
    return new String(chars);
  }

  private static char[] latin1Table() {
    CharsetDecoder cp1252 =
        Charset.forName("windows-1252")
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    char[] table = new char[256];
    for (int b = 0; b < 256; b++) {
      try {
        CharBuffer c = cp1252.decode(ByteBuffer.wrap(new byte[] {(byte) b}));
        table[b] = c.get(0);
      } catch (CharacterCodingException e) {
        table[b] = (char) b; // one of the five holes: MySQL maps it to the C1 control
      }
    }
    return table;
  }
}
