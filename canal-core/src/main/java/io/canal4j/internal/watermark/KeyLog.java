package io.canal4j.internal.watermark;

import io.canal4j.RowChange;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the stream changed while chunks were read, in stream order: the primary keys of the rows it
 * delivered, and marks for DDL and for rows of keyless tables. A reader registers before its read
 * (the low watermark: the stream's last transaction end); when the canal thread delivers the chunk,
 * the entries since its registration say which of its rows the stream has newer states of, or that
 * the read cannot be used. Entries no registration needs are dropped. Sequence numbers never
 * repeat; a binlog connection that does not resume at the last transaction end starts a new epoch,
 * and registrations of older epochs count for nothing.
 *
 * <p>Thread-safe: the canal thread appends and delivers, readers register and release.
 */
final class KeyLog {
  /** A reader's low watermark: the log's sequence and the stream's position when it registered. */
  record Registration(long seq, Position position, int epoch) {}

  /** A change the stream delivered: a key of a table, or a mark (DDL, keyless row). */
  private record Entry(TableId table, Object key) {}

  private static final Object DDL = new Object();
  private static final Object KEYLESS = new Object();

  // Guarded by this.
  private final ArrayList<Entry> entries = new ArrayList<>();
  private long logBase; // the sequence number of entries.get(0)
  private long boundarySeq; // the log's end at the stream's last transaction end
  private Position boundary; // the stream's last transaction end
  private int epoch; // one per binlog connection: a reconnect replays from the last end
  private final TreeMap<Long, Integer> active = new TreeMap<>(); // registered seqs still needed

  /**
   * @param from where the stream starts
   */
  KeyLog(Position from) {
    this.boundary = from;
  }

  /**
   * A new binlog connection streams from {@code from}. From the last transaction end (the usual
   * case) the keys of a transaction cut off are dropped, as it is read again; from anywhere else,
   * the chunks in flight count for nothing and are read again.
   */
  synchronized void sessionStarted(Position from) {
    if (from.equals(boundary)) {
      int keep = (int) (boundarySeq - logBase);
      if (keep < entries.size()) {
        entries.subList(keep, entries.size()).clear();
      }
      return;
    }
    epoch++;
    long end = logBase + entries.size(); // sequence numbers never repeat
    entries.clear();
    logBase = end;
    boundarySeq = end;
    boundary = from;
    active.clear();
  }

  /**
   * The stream delivers {@code changes} of {@code table}, whose primary-key columns are {@code
   * key}: their before and after keys, or a mark per row of a table without a key.
   */
  synchronized void rows(TableId table, int[] key, List<RowChange> changes) {
    for (RowChange c : changes) {
      if (key.length == 0) {
        entries.add(new Entry(table, KEYLESS));
        continue;
      }
      if (c.before() != null) {
        entries.add(new Entry(table, PrimaryKeyValue.of(c.before(), key)));
      }
      if (c.after() != null) {
        entries.add(new Entry(table, PrimaryKeyValue.of(c.after(), key)));
      }
    }
  }

  /** A DDL statement changed {@code tables}; {@code everything} when it may have changed any. */
  synchronized void ddl(Set<TableId> tables, boolean everything) {
    if (everything) {
      // A whole database (DROP DATABASE), or a statement the parser could not read (which it
      // reports as the default database's): counts against every table.
      entries.add(new Entry(null, DDL));
      return;
    }
    for (TableId t : tables) {
      entries.add(new Entry(t, DDL));
    }
  }

  /** The stream is between transactions at {@code committed}. */
  synchronized void boundary(Position committed) {
    boundarySeq = logBase + entries.size();
    boundary = committed;
    if (active.isEmpty()) {
      entries.clear();
      logBase = boundarySeq;
    }
  }

  /** The stream's last transaction end. */
  synchronized Position boundary() {
    return boundary;
  }

  synchronized int epoch() {
    return epoch;
  }

  /** The low watermark: changes from the stream's last transaction end on count. */
  synchronized Registration register() {
    active.merge(boundarySeq, 1, Integer::sum);
    return new Registration(boundarySeq, boundary, epoch);
  }

  /** A read that failed forgets its registration, unless a new epoch dropped it already. */
  synchronized void abandon(Registration low) {
    if (low.epoch == epoch) {
      release(low.seq);
    }
  }

  /** A result dropped without looking at the log: forgets its registration. */
  synchronized void release(Registration low) {
    release(low.seq);
    trim();
  }

  /** Drops the entries no registration needs. */
  synchronized void trim() {
    long keep = active.isEmpty() ? boundarySeq : Math.min(active.firstKey(), boundarySeq);
    int drop = (int) Math.min(entries.size(), Math.max(0, keep - logBase));
    if (drop > 0) {
      entries.subList(0, drop).clear();
      logBase += drop;
    }
  }

  /**
   * Forgets {@code low} and reads what the stream changed of {@code table} since it: the keys go to
   * {@code changed}.
   *
   * @return why the read cannot be used (a DDL statement, or a write to a keyless table, since the
   *     registration), or null
   */
  synchronized String changedSince(Registration low, TableId table, Set<PrimaryKeyValue> changed) {
    release(low.seq);
    String stale = null;
    for (long s = Math.max(low.seq, logBase); s < logBase + entries.size(); s++) {
      Entry e = entries.get((int) (s - logBase));
      if (e.table != null && !e.table.equals(table)) {
        continue;
      }
      if (e.key == DDL) {
        stale = "a DDL statement changed the table during the read";
        break;
      }
      if (e.key == KEYLESS) {
        stale = "the table has no primary key and was written to during the read";
        break;
      }
      changed.add((PrimaryKeyValue) e.key);
    }
    trim();
    return stale;
  }

  /**
   * Whether the stream delivered a DDL statement naming {@code table}, or one that may have changed
   * any table, since {@code low}, which stays registered.
   */
  synchronized boolean ddlSince(Registration low, TableId table) {
    if (low.epoch != epoch) {
      return true; // a new connection: the entries are gone, and the read is taken again anyway
    }
    for (long s = Math.max(low.seq, logBase); s < logBase + entries.size(); s++) {
      Entry e = entries.get((int) (s - logBase));
      if (e.key == DDL && (e.table == null || e.table.equals(table))) {
        return true;
      }
    }
    return false;
  }

  /** Forgets a registration; guarded by this. */
  private void release(long seq) {
    Integer n = active.get(seq);
    if (n != null) {
      if (n == 1) {
        active.remove(seq);
      } else {
        active.put(seq, n - 1);
      }
    }
  }
}
