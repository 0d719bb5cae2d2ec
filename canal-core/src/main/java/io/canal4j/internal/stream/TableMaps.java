package io.canal4j.internal.stream;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableMap;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Converts the connector's TABLE_MAP into ours, so connector types stay inside the core. */
final class TableMaps {
  // MySQL enum_field_types that binlog_row_metadata=FULL describes as numeric (signedness bits).
  private static final BitSet NUMERIC = new BitSet();
  private static final int ENUM = 247;
  private static final int SET = 248;
  private static final int STRING = 254;

  static {
    for (int t : new int[] {0, 1, 2, 3, 4, 5, 8, 9, 246}) {
      NUMERIC.set(t);
    }
  }

  private TableMaps() {}

  static TableMap from(TableMapEventData d) {
    byte[] rawTypes = d.getColumnTypes();
    int[] types = new int[rawTypes.length];
    for (int i = 0; i < types.length; i++) {
      types[i] = rawTypes[i] & 0xFF;
    }
    TableId table = TableId.of(d.getDatabase(), d.getTable());
    TableMapEventMetadata meta = d.getEventMetadata();
    if (meta == null || meta.getColumnNames() == null || meta.getColumnNames().isEmpty()) {
      return new TableMap(
          d.getTableId(),
          table,
          types,
          d.getColumnMetadata(),
          d.getColumnNullability(),
          null,
          null,
          null,
          null,
          null);
    }
    BitSet unsigned = null;
    if (meta.getSignedness() != null) {
      unsigned = new BitSet();
      int numeric = 0;
      for (int i = 0; i < types.length; i++) {
        if (NUMERIC.get(types[i])) {
          if (meta.getSignedness().get(numeric)) {
            unsigned.set(i);
          }
          numeric++;
        }
      }
    }
    Map<Integer, List<String>> labels = null;
    List<String[]> enums = meta.getEnumStrValues();
    List<String[]> sets = meta.getSetStrValues();
    if (enums != null || sets != null) {
      labels = new HashMap<>();
      int e = 0;
      int s = 0;
      int[] md = d.getColumnMetadata();
      for (int i = 0; i < types.length; i++) {
        int real = types[i] == STRING ? (md[i] >> 8) & 0xFF : types[i];
        if (real == ENUM && enums != null && e < enums.size()) {
          labels.put(i, List.of(enums.get(e++)));
        } else if (real == SET && sets != null && s < sets.size()) {
          labels.put(i, List.of(sets.get(s++)));
        }
      }
    }
    return new TableMap(
        d.getTableId(),
        table,
        types,
        d.getColumnMetadata(),
        d.getColumnNullability(),
        List.copyOf(meta.getColumnNames()),
        unsigned,
        meta.getSimplePrimaryKeys() == null ? null : List.copyOf(meta.getSimplePrimaryKeys()),
        null,
        labels);
  }
}
