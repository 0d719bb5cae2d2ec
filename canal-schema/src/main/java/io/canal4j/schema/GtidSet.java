package io.canal4j.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An executed GTID set, immutable, in the server's own form.
 *
 * <ul>
 *   <li>MySQL: {@code uuid:1-5:7,uuid2:1-3} — every transaction a source server executed, as
 *       intervals per source UUID.
 *   <li>MariaDB: {@code 0-1-100,1-2-7} — per replication domain, the last transaction's {@code
 *       domain-server-sequence}; MariaDB resumes after it.
 * </ul>
 *
 * The text form is canonical (sorted, merged, lower-case UUIDs), so two equal sets print alike.
 */
public final class GtidSet {
  private final Flavor flavor;
  // MySQL: uuid -> sorted, disjoint, non-adjacent [start, end] intervals.
  private final TreeMap<String, List<long[]>> intervals;
  // MariaDB: domain -> {server, sequence}.
  private final TreeMap<Long, long[]> domains;
  private String text; // canonical form, computed once (the set is immutable)

  private GtidSet(Flavor flavor, TreeMap<String, List<long[]>> intervals, TreeMap<Long, long[]> d) {
    this.flavor = flavor;
    this.intervals = intervals;
    this.domains = d;
  }

  public static GtidSet empty(Flavor flavor) {
    return new GtidSet(Objects.requireNonNull(flavor), new TreeMap<>(), new TreeMap<>());
  }

  /**
   * Parses a set in the server's form ({@code @@gtid_executed} on MySQL, {@code @@gtid_binlog_pos}
   * or {@code @@gtid_current_pos} on MariaDB). Whitespace and newlines are ignored.
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static GtidSet parse(Flavor flavor, String text) {
    GtidSet set = empty(flavor);
    String t = text == null ? "" : text.replaceAll("\\s", "");
    if (t.isEmpty()) {
      return set;
    }
    for (String part : t.split(",")) {
      if (part.isEmpty()) {
        continue;
      }
      if (flavor == Flavor.MARIADB) {
        long[] g = parseMariaDb(part);
        set.domains.put(g[0], new long[] {g[1], g[2]});
      } else {
        String[] pieces = part.split(":");
        if (pieces.length < 2) {
          throw new IllegalArgumentException("bad MySQL GTID set entry '" + part + "'");
        }
        String uuid = normalizeUuid(pieces[0], part);
        for (int i = 1; i < pieces.length; i++) {
          String[] range = pieces[i].split("-", -1);
          long start = parseNumber(range[0], part);
          long end = range.length == 2 ? parseNumber(range[1], part) : start;
          if (range.length > 2 || end < start || start < 1) {
            throw new IllegalArgumentException("bad MySQL GTID interval in '" + part + "'");
          }
          addInterval(set.intervals.computeIfAbsent(uuid, u -> new ArrayList<>()), start, end);
        }
      }
    }
    return set;
  }

  public Flavor flavor() {
    return flavor;
  }

  public boolean isEmpty() {
    return intervals.isEmpty() && domains.isEmpty();
  }

  /**
   * This set plus one committed transaction: {@code uuid:n} on MySQL, {@code domain-server-seq} on
   * MariaDB (which replaces that domain's last GTID).
   */
  public GtidSet with(String gtid) {
    if (flavor == Flavor.MARIADB) {
      long[] g = parseMariaDb(gtid);
      TreeMap<Long, long[]> d = new TreeMap<>(domains);
      d.put(g[0], new long[] {g[1], g[2]});
      return new GtidSet(flavor, intervals, d);
    }
    String uuid = mysqlUuid(gtid);
    long n = mysqlNumber(gtid);
    List<long[]> current = intervals.get(uuid);
    if (current != null && !current.isEmpty()) {
      long[] last = current.get(current.size() - 1);
      if (n >= last[0] && n <= last[1]) {
        return this; // already executed
      }
      if (n == last[1] + 1) {
        // The common case, one commit after another: extend the last interval.
        List<long[]> list = new ArrayList<>(current);
        list.set(list.size() - 1, new long[] {last[0], n});
        TreeMap<String, List<long[]>> copy = new TreeMap<>(intervals);
        copy.put(uuid, list);
        return new GtidSet(flavor, copy, domains);
      }
    }
    TreeMap<String, List<long[]>> copy = new TreeMap<>();
    intervals.forEach((k, v) -> copy.put(k, v));
    List<long[]> list = new ArrayList<>();
    for (long[] iv : intervals.getOrDefault(uuid, List.of())) {
      list.add(iv.clone());
    }
    addInterval(list, n, n);
    copy.put(uuid, list);
    return new GtidSet(flavor, copy, domains);
  }

  /**
   * Whether every transaction of {@code other} is in this set (MySQL: each interval is covered;
   * MariaDB: each domain has reached at least the other's sequence number).
   */
  public boolean containsAll(GtidSet other) {
    if (other.flavor != flavor) {
      throw new IllegalArgumentException("a " + other.flavor + " set against a " + flavor + " set");
    }
    if (flavor == Flavor.MARIADB) {
      for (Map.Entry<Long, long[]> e : other.domains.entrySet()) {
        long[] mine = domains.get(e.getKey());
        if (mine == null || mine[1] < e.getValue()[1]) {
          return false;
        }
      }
      return true;
    }
    for (Map.Entry<String, List<long[]>> e : other.intervals.entrySet()) {
      List<long[]> mine = intervals.getOrDefault(e.getKey(), List.of());
      for (long[] iv : e.getValue()) {
        boolean covered = false;
        for (long[] m : mine) {
          if (m[0] <= iv[0] && iv[1] <= m[1]) {
            covered = true;
            break;
          }
        }
        if (!covered) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether a MySQL {@code uuid:n} or MariaDB {@code d-s-n} GTID is already in this set. */
  public boolean contains(String gtid) {
    if (flavor == Flavor.MARIADB) {
      long[] g = parseMariaDb(gtid);
      long[] last = domains.get(g[0]);
      return last != null && last[1] >= g[2];
    }
    String uuid = mysqlUuid(gtid);
    long n = mysqlNumber(gtid);
    for (long[] iv : intervals.getOrDefault(uuid, List.of())) {
      if (n >= iv[0] && n <= iv[1]) {
        return true;
      }
    }
    return false;
  }

  private static String mysqlUuid(String gtid) {
    int colon = gtid.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("bad MySQL GTID '" + gtid + "': expected uuid:number");
    }
    return normalizeUuid(gtid.substring(0, colon), gtid);
  }

  private static long mysqlNumber(String gtid) {
    long n = parseNumber(gtid.substring(gtid.lastIndexOf(':') + 1), gtid);
    if (n < 1) {
      throw new IllegalArgumentException("bad MySQL GTID '" + gtid + "': numbers start at 1");
    }
    return n;
  }

  private static void addInterval(List<long[]> list, long start, long end) {
    list.add(new long[] {start, end});
    list.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] iv : list) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && iv[0] - 1 <= last[1]) {
        last[1] = Math.max(last[1], iv[1]);
      } else {
        merged.add(new long[] {iv[0], iv[1]});
      }
    }
    list.clear();
    list.addAll(merged);
  }

  private static long[] parseMariaDb(String gtid) {
    String[] p = gtid.trim().split("-");
    if (p.length != 3) {
      throw new IllegalArgumentException(
          "bad MariaDB GTID '" + gtid + "': expected domain-server-sequence");
    }
    return new long[] {parseNumber(p[0], gtid), parseNumber(p[1], gtid), parseNumber(p[2], gtid)};
  }

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static String normalizeUuid(String uuid, String context) {
    String u = uuid.trim().toLowerCase(Locale.ROOT);
    if (!UUID.matcher(u).matches()) {
      throw new IllegalArgumentException("bad server UUID in GTID '" + context + "'");
    }
    return u;
  }

  private static long parseNumber(String s, String context) {
    try {
      long n = Long.parseLong(s.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number '" + s + "' in GTID '" + context + "'", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GtidSet g && flavor == g.flavor && toString().equals(g.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** The canonical text form, in the server's syntax; empty for the empty set. */
  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = render();
      text = t;
    }
    return t;
  }

  private String render() {
    StringBuilder sb = new StringBuilder();
    if (flavor == Flavor.MARIADB) {
      for (Map.Entry<Long, long[]> e : domains.entrySet()) {
        sb.append(sb.length() == 0 ? "" : ",");
        sb.append(e.getKey()).append('-').append(e.getValue()[0]).append('-');
        sb.append(e.getValue()[1]);
      }
    } else {
      for (Map.Entry<String, List<long[]>> e : intervals.entrySet()) {
        sb.append(sb.length() == 0 ? "" : ",").append(e.getKey());
        for (long[] iv : e.getValue()) {
          sb.append(':').append(iv[0]);
          if (iv[1] != iv[0]) {
            sb.append('-').append(iv[1]);
          }
        }
      }
    }
    return sb.toString();
  }
}
