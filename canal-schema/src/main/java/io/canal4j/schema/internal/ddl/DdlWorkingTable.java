package io.canal4j.schema.internal.ddl;

import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.ddl.DdlTarget.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A table while an ALTER TABLE is applied to it, one specification after another. Column names
 * match ignoring case, as the server matches them. Faults (a column the statement names but the
 * table does not have) mean the known table differs from the server's and are reported through the
 * given error factory.
 */
final class DdlWorkingTable {
  private final List<Column> columns;
  private final List<String> primaryKey;
  private final Flavor flavor;
  private final int serverVersion;
  String charset;

  DdlWorkingTable(Table table, Flavor flavor, int serverVersion) {
    this.columns = new ArrayList<>(table.schema().columns());
    this.primaryKey = new ArrayList<>(table.schema().primaryKey());
    this.charset = table.charset();
    this.flavor = flavor;
    this.serverVersion = serverVersion;
  }

  /**
   * CONVERT TO CHARACTER SET: every text, ENUM and SET column takes the charset; a TEXT column
   * grows to the smallest TEXT type that holds as many whole characters as before (a latin1 TEXT
   * becomes a utf8mb4 MEDIUMTEXT; it never shrinks).
   */
  void convertTo(String newCharset) {
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      if (c.charset() == null) {
        continue;
      }
      String columnType = c.columnType();
      if (c.type() == ColumnType.TEXT) {
        long oldBytes = DdlColumnDef.maxBytes(columnType);
        long chars = oldBytes / DdlCharsets.maxBytes(c.charset());
        long bytes = chars * DdlCharsets.maxBytes(newCharset);
        columnType = DdlColumnDef.sizePrefix(bytes) + "text";
      }
      columns.set(
          i,
          new Column(
              c.name(),
              i,
              c.type(),
              columnType,
              c.unsigned(),
              c.nullable(),
              newCharset,
              c.precision(),
              c.scale(),
              c.enumValues()));
    }
    charset = newCharset;
  }

  void add(DdlColumnDef d, boolean ifNotExists, Function<String, DdlException> error) {
    if (find(d.name) >= 0) {
      if (ifNotExists) {
        return;
      }
      throw error.apply("column " + d.name + " already exists");
    }
    Column c = d.toColumn(0, charset, false, flavor, serverVersion);
    columns.add(at(d.after, columns.size(), error), c);
    if (d.primaryKey) {
      primaryKey(List.of(d.name), error);
    }
  }

  /** MODIFY (old is the definition's name) and CHANGE. */
  void change(String old, DdlColumnDef d, boolean ifExists, Function<String, DdlException> error) {
    int i = find(old);
    if (i < 0) {
      if (ifExists) {
        return;
      }
      throw error.apply("column " + old + " is not known");
    }
    String oldName = columns.get(i).name();
    int other = find(d.name);
    if (other >= 0 && other != i) {
      throw error.apply("column " + d.name + " already exists");
    }
    boolean inKey = primaryKey.stream().anyMatch(oldName::equalsIgnoreCase);
    Column c = d.toColumn(0, charset, inKey, flavor, serverVersion);
    columns.remove(i);
    columns.add(d.after == null ? i : at(d.after, i, error), c);
    renameInKey(oldName, d.name);
    if (d.primaryKey) {
      primaryKey(List.of(d.name), error);
    }
  }

  void renameColumn(String from, String to, Function<String, DdlException> error) {
    int i = find(from);
    if (i < 0) {
      throw error.apply("column " + from + " is not known");
    }
    int other = find(to);
    if (other >= 0 && other != i) {
      throw error.apply("column " + to + " already exists");
    }
    Column c = columns.get(i);
    columns.set(i, DdlColumnDef.copy(c, to, i, c.nullable()));
    renameInKey(c.name(), to);
  }

  void drop(String name, boolean ifExists, Function<String, DdlException> error) {
    int i = find(name);
    if (i < 0) {
      if (ifExists) {
        return;
      }
      throw error.apply("column " + name + " is not known");
    }
    String dropped = columns.remove(i).name();
    primaryKey.removeIf(dropped::equalsIgnoreCase);
  }

  /** Sets the primary key (empty: drops it); its columns become NOT NULL. */
  void primaryKey(List<String> names, Function<String, DdlException> error) {
    List<String> key = new ArrayList<>();
    for (String n : names) {
      int i = find(n);
      if (i < 0) {
        throw error.apply("primary key column " + n + " is not known");
      }
      Column c = columns.get(i);
      key.add(c.name());
      columns.set(i, DdlColumnDef.copy(c, c.name(), i, false));
    }
    primaryKey.clear();
    primaryKey.addAll(key);
  }

  /** The columns of a MariaDB PERIOD become NOT NULL. */
  void notNull(List<String> names, Function<String, DdlException> error) {
    for (String n : names) {
      int i = find(n);
      if (i < 0) {
        throw error.apply("column " + n + " is not known");
      }
      Column c = columns.get(i);
      columns.set(i, DdlColumnDef.copy(c, c.name(), i, false));
    }
  }

  Table build(TableId id) {
    List<Column> indexed = new ArrayList<>(columns.size());
    for (Column c : columns) {
      boolean inKey = primaryKey.contains(c.name());
      indexed.add(DdlColumnDef.copy(c, c.name(), indexed.size(), c.nullable() && !inKey));
    }
    return new Table(new TableSchema(id, indexed, primaryKey), charset);
  }

  private void renameInKey(String from, String to) {
    for (int k = 0; k < primaryKey.size(); k++) {
      if (primaryKey.get(k).equalsIgnoreCase(from)) {
        primaryKey.set(k, to);
      }
    }
  }

  /** Where a column goes: at {@code otherwise} (no clause), 0 (FIRST) or after a column. */
  private int at(String after, int otherwise, Function<String, DdlException> error) {
    if (after == null) {
      return otherwise;
    }
    if (after.isEmpty()) {
      return 0;
    }
    int i = find(after);
    if (i < 0) {
      throw error.apply("column " + after + " is not known");
    }
    return i + 1;
  }

  private int find(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }
}
