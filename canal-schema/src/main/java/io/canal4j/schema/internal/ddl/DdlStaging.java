package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.TableId;
import io.canal4j.schema.internal.ddl.DdlTarget.Table;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The changes of one statement, held back until the statement was understood: reads see them,
 * {@link #commit} replays them on the target in order.
 */
final class DdlStaging {
  private final DdlTarget target;
  private final List<Consumer<DdlTarget>> changes = new ArrayList<>();

  /** Table names this statement wrote, newest last; a null table is gone or unknown. */
  private final List<Map.Entry<TableId, Table>> overlay = new ArrayList<>();

  private final Map<String, String> databaseCharsets = new HashMap<>();

  DdlStaging(DdlTarget target) {
    this.target = target;
  }

  DdlTarget.Table get(TableId id) {
    for (int i = overlay.size() - 1; i >= 0; i--) {
      if (overlay.get(i).getKey().equals(id)) {
        return overlay.get(i).getValue();
      }
    }
    for (int i = overlay.size() - 1; i >= 0; i--) {
      TableId k = overlay.get(i).getKey();
      if (k.database().equalsIgnoreCase(id.database()) && k.table().equalsIgnoreCase(id.table())) {
        return overlay.get(i).getValue();
      }
    }
    return target.get(id);
  }

  void put(Table table) {
    overlay.add(new AbstractMap.SimpleEntry<>(table.schema().id(), table));
    changes.add(t -> t.put(table));
  }

  void remove(TableId id) {
    overlay.add(new AbstractMap.SimpleEntry<>(id, null));
    changes.add(t -> t.remove(id));
  }

  /** Whether a table {@link #get} does not know may exist (the target forgot it). */
  boolean mayExist(TableId id) {
    for (int i = overlay.size() - 1; i >= 0; i--) {
      if (overlay.get(i).getKey().equals(id)) {
        return false; // this statement dropped or forgot it: it is gone, or already unknown
      }
    }
    return target.mayExist(id);
  }

  void unknown(TableId id) {
    overlay.add(new AbstractMap.SimpleEntry<>(id, null));
    changes.add(t -> t.unknown(id));
  }

  String databaseCharset(String database) {
    String cs = databaseCharsets.get(database);
    return cs != null ? cs : target.databaseCharset(database);
  }

  void databaseCharset(String database, String charset) {
    databaseCharsets.put(database, charset);
    changes.add(t -> t.databaseCharset(database, charset));
  }

  void dropDatabase(String database) {
    changes.add(t -> t.dropDatabase(database));
  }

  void commit() {
    for (Consumer<DdlTarget> change : changes) {
      change.accept(target);
    }
    changes.clear();
  }
}
