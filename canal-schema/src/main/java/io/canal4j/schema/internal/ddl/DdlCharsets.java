package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.Flavor;
import java.util.Locale;
import java.util.Map;

/**
 * The character sets of MySQL and MariaDB with their longest character in bytes, and the names that
 * information_schema gives them: {@code utf8} is {@code utf8mb3} on MySQL 8.0.30+ and MariaDB
 * 10.6+, {@code utf8} before.
 */
final class DdlCharsets {
  private static final Map<String, Integer> MAX_BYTES =
      Map.ofEntries(
          Map.entry("armscii8", 1),
          Map.entry("ascii", 1),
          Map.entry("big5", 2),
          Map.entry("binary", 1),
          Map.entry("cp1250", 1),
          Map.entry("cp1251", 1),
          Map.entry("cp1256", 1),
          Map.entry("cp1257", 1),
          Map.entry("cp850", 1),
          Map.entry("cp852", 1),
          Map.entry("cp866", 1),
          Map.entry("cp932", 2),
          Map.entry("dec8", 1),
          Map.entry("eucjpms", 3),
          Map.entry("euckr", 2),
          Map.entry("gb18030", 4),
          Map.entry("gb2312", 2),
          Map.entry("gbk", 2),
          Map.entry("geostd8", 1),
          Map.entry("greek", 1),
          Map.entry("hebrew", 1),
          Map.entry("hp8", 1),
          Map.entry("keybcs2", 1),
          Map.entry("koi8r", 1),
          Map.entry("koi8u", 1),
          Map.entry("latin1", 1),
          Map.entry("latin2", 1),
          Map.entry("latin5", 1),
          Map.entry("latin7", 1),
          Map.entry("macce", 1),
          Map.entry("macroman", 1),
          Map.entry("sjis", 2),
          Map.entry("swe7", 1),
          Map.entry("tis620", 1),
          Map.entry("ucs2", 2),
          Map.entry("ujis", 3),
          Map.entry("utf16", 4),
          Map.entry("utf16le", 4),
          Map.entry("utf32", 4),
          Map.entry("utf8", 3),
          Map.entry("utf8mb3", 3),
          Map.entry("utf8mb4", 4));

  private final String utf8Name;

  DdlCharsets(Flavor flavor, int serverVersion) {
    boolean mb3 = flavor == Flavor.MARIADB ? serverVersion >= 100600 : serverVersion >= 80030;
    this.utf8Name = mb3 ? "utf8mb3" : "utf8";
  }

  /** The name information_schema gives {@code name}, or null when it is no known charset. */
  String charset(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (!MAX_BYTES.containsKey(n)) {
      return null;
    }
    return n.equals("utf8") || n.equals("utf8mb3") ? utf8Name : n;
  }

  /**
   * The character set of a collation, or null when the collation's name starts with no character
   * set (MariaDB's {@code uca1400_ai_ci} goes with several).
   */
  String charsetOfCollation(String collation) {
    String c = collation.toLowerCase(Locale.ROOT);
    if (c.equals("binary")) {
      return "binary";
    }
    String best = null;
    for (String name : MAX_BYTES.keySet()) {
      if (c.startsWith(name + "_") && (best == null || name.length() > best.length())) {
        best = name;
      }
    }
    return best == null ? null : charset(best);
  }

  /** The longest character of a known charset, in bytes. */
  static int maxBytes(String charset) {
    return MAX_BYTES.getOrDefault(charset.toLowerCase(Locale.ROOT), 4);
  }
}
