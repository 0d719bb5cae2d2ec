package io.canal4j.internal.watermark;

import io.canal4j.error.ServerException;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.TableId;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.ddl.DdlScope;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What the DDL the stream delivered since the lock-free snapshot began did to table names: which
 * tables and databases a statement took away (dropped, renamed), and where a renamed table went. A
 * chunk whose read found its table missing asks here whether that is explained and where to read
 * its rows now. Canal thread only.
 */
final class TableMoves {
  /** How many statements naming several tables (renames, swaps) are kept. */
  private static final int KEPT = 1000;

  private final ArrayDeque<List<TableId>> multiTableDdl = new ArrayDeque<>();
  private final Set<TableId> notRenamed = new HashSet<>();
  private final Set<TableId> removedTables = new HashSet<>();
  private final Set<String> removedDatabases = new HashSet<>();

  /** The stream delivered a statement that touched this. */
  void ddl(DdlScope touched) {
    if (touched.removes()) {
      removedTables.addAll(touched.tables());
      removedDatabases.addAll(touched.databases());
    }
    if (touched.tables().size() > 1) {
      multiTableDdl.addLast(List.copyOf(touched.tables()));
      if (multiTableDdl.size() > KEPT) {
        multiTableDdl.removeFirst();
      }
    }
  }

  /** Whether a statement the stream delivered took {@code table} (or its database) away. */
  boolean removed(TableId table) {
    return removedTables.contains(table) || removedDatabases.contains(table.database());
  }

  /**
   * A table the stream renamed {@code gone} to, which exists and is streamed; else null.
   *
   * @throws ServerException (permanent) when the new name cannot be looked up
   */
  TableId renamedTo(TableId gone, ConnectionFactory connections, TableFilter filter) {
    if (!notRenamed.add(gone)) {
      return null; // asked before: its remaining chunks need not ask again
    }
    InformationSchemaCache info = new InformationSchemaCache(connections);
    Iterator<List<TableId>> it = multiTableDdl.descendingIterator();
    while (it.hasNext()) {
      List<TableId> named = it.next(); // in statement order: RENAME TABLE a TO b, c TO d
      int at = named.indexOf(gone);
      if (at < 0 || at + 1 >= named.size()) {
        continue;
      }
      TableId to = named.get(at + 1);
      try {
        if (filter.test(to) && ChunkRead.load(info, to) != null) {
          notRenamed.remove(gone);
          return to;
        }
      } catch (RuntimeException e) {
        throw ServerException.permanent(
            "the lock-free snapshot could not look up "
                + to
                + ", where "
                + gone
                + " was renamed to: "
                + e.getMessage()
                + ". Start the canal again: it resumes with the chunks not delivered",
            e);
      }
    }
    return null;
  }
}
