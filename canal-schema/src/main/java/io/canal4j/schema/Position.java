package io.canal4j.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A point in a server's binlog: file and offset, and (where the server has GTIDs) the full executed
 * GTID set at that point. When resuming, the GTID set wins where the server has GTIDs enabled, so a
 * resume survives a fail-over to a replica; file and offset are used otherwise.
 *
 * <p>The {@linkplain #format() text form} is stable and versioned, e.g. {@code
 * v1;flavor=MARIADB;file=binlog.000003;offset=1234;gtids=0-1-55}, and {@link #parse(String)} reads
 * it back.
 *
 * @param flavor the server family
 * @param file the binlog file name, e.g. {@code binlog.000003}
 * @param offset the byte offset in {@code file} of the next event to read
 * @param gtids the executed GTID set at this point, or null when unknown or GTIDs are off
 * @param serverUuid the MySQL server UUID ({@code @@server_uuid}) that wrote the binlog, or null
 * @param snapshotMark on the position of a {@code SNAPSHOT} rows event and of a save point during a
 *     snapshot: how many snapshot chunks the canal had delivered in full before it, counted from
 *     the canal's start, which a handler under manual commit acknowledges by committing the
 *     position (so that a restart reads only the chunks not acknowledged); {@value #NO_MARK} on a
 *     binlog position. It does not take part in {@link #compareTo}: a mark orders as its binlog
 *     point.
 */
public record Position(
    Flavor flavor, String file, long offset, GtidSet gtids, String serverUuid, long snapshotMark)
    implements Comparable<Position> {
  /** The {@link #snapshotMark()} of a binlog position, which marks no place in a snapshot. */
  public static final long NO_MARK = -1;

  /** The version of the text form this class writes. */
  public static final int FORMAT_VERSION = 1;

  private static final Set<String> KNOWN_FIELDS =
      Set.of("flavor", "file", "offset", "gtids", "server", "snapshot");

  public Position {
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(file, "file");
    if (file.isEmpty() || file.indexOf(';') >= 0 || file.indexOf('=') >= 0) {
      throw new IllegalArgumentException("bad binlog file name '" + file + "'");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("negative binlog offset " + offset);
    }
    if (serverUuid != null && !isUuidText(serverUuid)) {
      throw new IllegalArgumentException("bad server UUID '" + serverUuid + "'");
    }
    if (gtids != null && gtids.flavor() != flavor) {
      throw new IllegalArgumentException("GTID set of " + gtids.flavor() + " in a " + flavor);
    }
    if (snapshotMark < NO_MARK) {
      throw new IllegalArgumentException("negative snapshot mark " + snapshotMark);
    }
  }

  /** A binlog position (no snapshot mark). */
  public Position(Flavor flavor, String file, long offset, GtidSet gtids, String serverUuid) {
    this(flavor, file, offset, gtids, serverUuid, NO_MARK);
  }

  // Runs for every position the canal makes, so no regex.
  private static boolean isUuidText(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c == '-'
          || (c >= '0' && c <= '9')
          || (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }

  public static Position of(Flavor flavor, String file, long offset) {
    return new Position(flavor, file, offset, null, null);
  }

  public Position withOffset(String newFile, long newOffset) {
    return new Position(flavor, newFile, newOffset, gtids, serverUuid);
  }

  public Position withGtids(GtidSet newGtids) {
    return new Position(flavor, file, offset, newGtids, serverUuid);
  }

  /** This binlog point marked as the place in a snapshot after {@code chunks} delivered chunks. */
  public Position withSnapshotMark(long chunks) {
    if (chunks < 0) {
      throw new IllegalArgumentException("negative snapshot mark " + chunks);
    }
    return new Position(flavor, file, offset, gtids, serverUuid, chunks);
  }

  /** This position without its snapshot mark: the binlog point alone. */
  public Position binlogPoint() {
    return snapshotMark == NO_MARK ? this : new Position(flavor, file, offset, gtids, serverUuid);
  }

  /** Whether this position marks a place in a snapshot ({@link #snapshotMark()}). */
  public boolean isSnapshotMark() {
    return snapshotMark != NO_MARK;
  }

  /** Whether a GTID set is known for this position. */
  public boolean hasGtids() {
    return gtids != null && !gtids.isEmpty();
  }

  /**
   * Orders positions of one server's binlog by file, then offset. File sequence numbers compare as
   * numbers, so {@code binlog.1000000} follows {@code binlog.999999}.
   */
  @Override
  public int compareTo(Position o) {
    int c = file.equals(o.file) ? 0 : compareFiles(file, o.file);
    return c != 0 ? c : Long.compare(offset, o.offset);
  }

  private static int compareFiles(String a, String b) {
    int da = a.lastIndexOf('.');
    int db = b.lastIndexOf('.');
    if (da > 0 && db > 0 && a.regionMatches(0, b, 0, Math.max(da, db)) && da == db) {
      String sa = a.substring(da + 1);
      String sb = b.substring(db + 1);
      if (!sa.isEmpty()
          && !sb.isEmpty()
          && sa.chars().allMatch(Character::isDigit)
          && sb.chars().allMatch(Character::isDigit)
          && sa.length() < 19
          && sb.length() < 19) {
        return Long.compare(Long.parseLong(sa), Long.parseLong(sb));
      }
    }
    return a.compareTo(b);
  }

  /** The stable text form; see {@link #parse(String)}. */
  public String format() {
    StringBuilder sb = new StringBuilder("v").append(FORMAT_VERSION);
    sb.append(";flavor=").append(flavor);
    sb.append(";file=").append(file);
    sb.append(";offset=").append(offset);
    if (gtids != null) {
      sb.append(";gtids=").append(gtids);
    }
    if (serverUuid != null) {
      sb.append(";server=").append(serverUuid);
    }
    if (snapshotMark != NO_MARK) {
      sb.append(";snapshot=").append(snapshotMark);
    }
    return sb.toString();
  }

  /**
   * Reads the {@linkplain #format() text form}.
   *
   * @throws IllegalArgumentException naming what is wrong with the text
   */
  public static Position parse(String text) {
    Objects.requireNonNull(text, "text");
    String[] parts = text.trim().split(";");
    if (!parts[0].equals("v" + FORMAT_VERSION)) {
      throw new IllegalArgumentException(
          "unknown position format '"
              + parts[0]
              + "' (this canal4j reads v"
              + FORMAT_VERSION
              + ")");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("bad position field '" + parts[i] + "'");
      }
      String key = parts[i].substring(0, eq);
      if (!KNOWN_FIELDS.contains(key)) {
        throw new IllegalArgumentException("unknown position field '" + key + "'");
      }
      if (fields.put(key, parts[i].substring(eq + 1)) != null) {
        throw new IllegalArgumentException("position field '" + key + "' appears twice");
      }
    }
    String flavorText = require(fields, "flavor");
    Flavor flavor;
    try {
      flavor = Flavor.valueOf(flavorText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown server flavor '" + flavorText + "'", e);
    }
    String offsetText = require(fields, "offset");
    long offset;
    try {
      offset = Long.parseLong(offsetText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad binlog offset '" + offsetText + "'", e);
    }
    String gtidText = fields.get("gtids");
    GtidSet gtids = gtidText == null ? null : GtidSet.parse(flavor, gtidText);
    String markText = fields.get("snapshot");
    long mark = NO_MARK;
    if (markText != null) {
      try {
        mark = Long.parseLong(markText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad snapshot mark '" + markText + "'", e);
      }
      if (mark < 0) {
        throw new IllegalArgumentException("bad snapshot mark '" + markText + "'");
      }
    }
    return new Position(flavor, require(fields, "file"), offset, gtids, fields.get("server"), mark);
  }

  private static String require(Map<String, String> fields, String name) {
    String v = fields.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("position has no " + name);
    }
    return v;
  }

  /** Short form for logs: {@code binlog.000003:1234 [gtids]}. */
  @Override
  public String toString() {
    String base = file + ":" + offset;
    String marked = snapshotMark == NO_MARK ? base : base + " snapshot#" + snapshotMark;
    return gtids == null || gtids.isEmpty() ? marked : marked + " [" + gtids + "]";
  }
}
