package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.TableId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** A {@link DdlTarget} held in maps, recording the calls it gets, for tests. */
final class MapDdlTarget implements DdlTarget {
  final Map<TableId, Table> tables = new LinkedHashMap<>();
  final Map<String, String> databaseCharsets = new HashMap<>();
  final List<String> calls = new ArrayList<>();
  private final Function<String, String> serverCharset;

  /**
   * @param serverCharset asked for a database's charset this target does not know
   */
  MapDdlTarget(Function<String, String> serverCharset) {
    this.serverCharset = serverCharset;
  }

  @Override
  public Table get(TableId id) {
    Table t = tables.get(id);
    if (t != null) {
      return t;
    }
    for (Map.Entry<TableId, Table> e : tables.entrySet()) {
      if (e.getKey().database().equalsIgnoreCase(id.database())
          && e.getKey().table().equalsIgnoreCase(id.table())) {
        return e.getValue();
      }
    }
    return null;
  }

  @Override
  public void put(Table table) {
    calls.add("put " + table.schema().id());
    tables.put(table.schema().id(), table);
  }

  @Override
  public void remove(TableId id) {
    calls.add("remove " + id);
    tables.remove(id);
  }

  @Override
  public void unknown(TableId id) {
    calls.add("unknown " + id);
    tables.remove(id);
  }

  @Override
  public String databaseCharset(String database) {
    return databaseCharsets.computeIfAbsent(database, serverCharset);
  }

  @Override
  public void databaseCharset(String database, String charset) {
    calls.add("databaseCharset " + database + " " + charset);
    databaseCharsets.put(database, Objects.requireNonNull(charset));
  }

  @Override
  public void dropDatabase(String database) {
    calls.add("dropDatabase " + database);
    tables.keySet().removeIf(id -> id.database().equals(database));
    databaseCharsets.remove(database);
  }
}
