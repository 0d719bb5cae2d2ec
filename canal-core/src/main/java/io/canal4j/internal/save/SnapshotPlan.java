package io.canal4j.internal.save;

import io.canal4j.dump.Chunk;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The chunks of an initial snapshot and which of them were delivered, saved with the checkpoint
 * while the snapshot runs, so that a restart reads only the chunks not yet done. Chunk bounds are
 * key values, fixed when the snapshot was planned: together they cover each table's whole key space
 * whatever changed since, so a retaken snapshot at a later point reads the missing chunks and
 * streaming from the first point brings every row up to date.
 *
 * <p>Text form: a first line {@code canal4j-snapshot 2 done=0-14,17}, then one {@link
 * Chunk#format()} line a chunk, in plan order. A watermark snapshot's plan starts {@code
 * canal4j-watermarks 1}: its checkpoint position is where the stream is, not a snapshot point.
 */
public final class SnapshotPlan {
  static final String HEADER = "canal4j-snapshot 2";
  static final String WATERMARK_HEADER = "canal4j-watermarks 1";

  /**
   * The progress of a snapshot without chunks to resume by (the dump tool's): it is running, and a
   * restart takes it again. Not a plan ({@link #isPlan} is false).
   */
  public static final String RUNNING = "v1;state=running";

  private final List<Chunk> chunks;
  private final BitSet done;
  private final boolean watermarks;

  public SnapshotPlan(List<Chunk> chunks, BitSet done) {
    this(chunks, done, false);
  }

  public SnapshotPlan(List<Chunk> chunks, BitSet done, boolean watermarks) {
    this.chunks = List.copyOf(chunks);
    this.done = (BitSet) done.clone();
    this.watermarks = watermarks;
  }

  /** Whether the plan belongs to a watermark snapshot, which resumes with the stream. */
  public boolean watermarks() {
    return watermarks;
  }

  /** This plan with {@code more} chunks at its end, not done. */
  public SnapshotPlan with(List<Chunk> more) {
    List<Chunk> all = new ArrayList<>(chunks);
    all.addAll(more);
    return new SnapshotPlan(all, done, watermarks);
  }

  public List<Chunk> chunks() {
    return chunks;
  }

  /** A copy of which chunks are done. */
  public BitSet done() {
    return (BitSet) done.clone();
  }

  public boolean isDone(int i) {
    return done.get(i);
  }

  public int doneCount() {
    return done.cardinality();
  }

  public void markDone(int i) {
    done.set(i);
  }

  public String format() {
    StringBuilder sb = new StringBuilder(watermarks ? WATERMARK_HEADER : HEADER).append(" done=");
    int runs = 0;
    for (int i = done.nextSetBit(0); i >= 0; ) {
      int end = done.nextClearBit(i) - 1;
      sb.append(runs++ == 0 ? "" : ",").append(i);
      if (end > i) {
        sb.append('-').append(end);
      }
      i = done.nextSetBit(end + 1);
    }
    for (Chunk c : chunks) {
      sb.append('\n').append(c.format());
    }
    return sb.toString();
  }

  /** Whether a saved progress text is a plan this version wrote (older ones carry none). */
  public static boolean isPlan(String progress) {
    return progress != null
        && (progress.startsWith(HEADER + " ") || progress.startsWith(WATERMARK_HEADER + " "));
  }

  /**
   * @throws IllegalArgumentException naming the line when the text is not a plan
   */
  public static SnapshotPlan parse(String text) {
    String[] lines = text.split("\n", -1);
    boolean watermarks = lines[0].startsWith(WATERMARK_HEADER + " done=");
    String header = watermarks ? WATERMARK_HEADER : HEADER;
    if (!lines[0].startsWith(header + " done=")) {
      throw new IllegalArgumentException("not a snapshot plan: " + abbreviate(lines[0]));
    }
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      chunks.add(Chunk.parse(lines[i]));
    }
    BitSet done = new BitSet(chunks.size());
    String ranges = lines[0].substring((header + " done=").length());
    if (!ranges.isEmpty()) {
      for (String r : ranges.split(",", -1)) {
        int dash = r.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? r : r.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(r.substring(dash + 1));
        if (from < 0 || to < from || to >= chunks.size()) {
          throw new IllegalArgumentException("done range " + r + " is outside the plan");
        }
        done.set(from, to + 1);
      }
    }
    return new SnapshotPlan(chunks, done, watermarks);
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
