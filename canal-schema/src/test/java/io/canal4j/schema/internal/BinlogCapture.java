package io.canal4j.schema.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableMap;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Test plumbing: reads a server's binlog with a bare {@link BinaryLogClient}, configured like the
 * core's (CHAR_AND_BINARY_AS_BYTE_ARRAY, DATE_AND_TIME_AS_LONG_MICRO,
 * INVALID_DATE_AND_TIME_AS_MIN_VALUE), and collects the WRITE_ROWS of one table with the TABLE_MAP
 * that preceded them.
 */
final class BinlogCapture {
  /** One inserted row: the raw cells and the TABLE_MAP it was written with. */
  record Row(TableMap tableMap, Position tableMapPosition, Serializable[] cells) {}

  private BinlogCapture() {}

  /** The binlog position where the next event will be written. */
  static Position currentPosition(SandboxServer server) throws SQLException {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
      if (!rs.next()) {
        throw new IllegalStateException(server + " has no binlog");
      }
      return Position.of(flavor(server), rs.getString(1), rs.getLong(2));
    }
  }

  static Flavor flavor(SandboxServer server) {
    return server.flavor() == ServerFlavor.MARIADB ? Flavor.MARIADB : Flavor.MYSQL;
  }

  /**
   * Reads the binlog from {@code from} until {@code count} rows of {@code table} were inserted, or
   * fails after {@code timeout}.
   */
  static List<Row> insertedRows(
      SandboxServer server, Position from, TableId table, int count, Duration timeout)
      throws IOException, TimeoutException, InterruptedException {
    BinaryLogClient client =
        new BinaryLogClient(server.host(), server.port(), server.user(), server.password());
    client.setServerId(ThreadLocalRandom.current().nextLong(100_000, Integer.MAX_VALUE));
    client.setBinlogFilename(from.file());
    client.setBinlogPosition(from.offset());
    client.setKeepAlive(false);
    EventDeserializer deserializer = new EventDeserializer();
    deserializer.setCompatibilityMode(
        CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
        CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
        CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
    client.setEventDeserializer(deserializer);

    List<Row> rows = new ArrayList<>();
    List<Exception> failures = new ArrayList<>();
    Map<Long, TableMap> maps = new HashMap<>();
    Map<Long, Position> mapPositions = new HashMap<>();
    String[] file = {from.file()};
    client.registerEventListener(
        (Event event) -> {
          Object data = event.getData();
          EventHeaderV4 header = event.getHeader();
          if (data instanceof com.github.shyiko.mysql.binlog.event.RotateEventData r) {
            file[0] = r.getBinlogFilename();
          } else if (data instanceof TableMapEventData m
              && m.getDatabase().equals(table.database())
              && m.getTable().equals(table.table())) {
            maps.put(m.getTableId(), tableMap(m, table));
            mapPositions.put(
                m.getTableId(), Position.of(from.flavor(), file[0], header.getPosition()));
          } else if (data instanceof WriteRowsEventData w && maps.containsKey(w.getTableId())) {
            synchronized (rows) {
              for (Serializable[] cells : w.getRows()) {
                rows.add(
                    new Row(maps.get(w.getTableId()), mapPositions.get(w.getTableId()), cells));
              }
              rows.notifyAll();
            }
          }
        });
    client.registerLifecycleListener(
        new BinaryLogClient.AbstractLifecycleListener() {
          @Override
          public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
            synchronized (rows) {
              failures.add(ex);
              rows.notifyAll();
            }
          }

          @Override
          public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            onEventDeserializationFailure(c, ex);
          }
        });
    client.connect(timeout.toMillis());
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (rows) {
        while (rows.size() < count && failures.isEmpty()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new TimeoutException(
                "saw " + rows.size() + " of " + count + " rows of " + table + " in the binlog");
          }
          rows.wait(Math.max(1, left / 1_000_000));
        }
        if (!failures.isEmpty()) {
          throw new IOException("binlog client failed", failures.get(0));
        }
        return List.copyOf(rows);
      }
    } finally {
      client.disconnect();
    }
  }

  /**
   * The TABLE_MAP as the core would pass it to the schema cache: the always-present parts, and with
   * {@code binlog_row_metadata=FULL} the names, signedness, primary key, charsets (by table column
   * index; the binlog numbers them among character columns only) and ENUM/SET labels.
   */
  static TableMap tableMap(TableMapEventData m, TableId table) {
    byte[] raw = m.getColumnTypes();
    int[] types = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      types[i] = raw[i] & 0xFF;
    }
    int[] meta = m.getColumnMetadata();
    TableMapEventMetadata full = m.getEventMetadata();
    if (full == null || full.getColumnNames() == null) {
      return new TableMap(
          m.getTableId(),
          table,
          types,
          meta,
          m.getColumnNullability(),
          null,
          null,
          null,
          null,
          null);
    }
    List<Integer> characterColumns = new ArrayList<>();
    List<Integer> enumColumns = new ArrayList<>();
    List<Integer> setColumns = new ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      int real = BinlogTypes.realType(types[i], meta[i]);
      switch (real) {
        case BinlogTypes.STRING, BinlogTypes.VARCHAR, BinlogTypes.VAR_STRING, BinlogTypes.BLOB ->
            characterColumns.add(i);
        case BinlogTypes.ENUM -> enumColumns.add(i);
        case BinlogTypes.SET -> setColumns.add(i);
        default -> {}
      }
    }
    Map<Integer, Integer> collations = new HashMap<>();
    collations(full.getDefaultCharset(), full.getColumnCharsets(), characterColumns, collations);
    List<Integer> enumAndSet = new ArrayList<>(enumColumns);
    enumAndSet.addAll(setColumns);
    enumAndSet.sort(null);
    collations(
        full.getEnumAndSetDefaultCharset(),
        full.getEnumAndSetColumnCharsets(),
        enumAndSet,
        collations);
    Map<Integer, List<String>> labels = new HashMap<>();
    labels(full.getEnumStrValues(), enumColumns, labels);
    labels(full.getSetStrValues(), setColumns, labels);
    List<Integer> key =
        full.getSimplePrimaryKeys() != null
            ? full.getSimplePrimaryKeys()
            : full.getPrimaryKeysWithPrefix() != null
                ? new ArrayList<>(full.getPrimaryKeysWithPrefix().keySet())
                : List.of();
    return new TableMap(
        m.getTableId(),
        table,
        types,
        meta,
        m.getColumnNullability(),
        full.getColumnNames(),
        full.getSignedness() == null ? new BitSet() : full.getSignedness(),
        key,
        collations,
        labels);
  }

  private static void collations(
      TableMapEventMetadata.DefaultCharset defaults,
      List<Integer> perColumn,
      List<Integer> columns,
      Map<Integer, Integer> into) {
    for (int j = 0; j < columns.size(); j++) {
      Integer collation = null;
      if (perColumn != null) {
        collation = perColumn.get(j);
      } else if (defaults != null) {
        Map<Integer, Integer> exceptions = defaults.getCharsetCollations();
        collation =
            exceptions != null && exceptions.containsKey(j)
                ? exceptions.get(j)
                : defaults.getDefaultCharsetCollation();
      }
      if (collation != null) {
        into.put(columns.get(j), collation);
      }
    }
  }

  private static void labels(
      List<String[]> values, List<Integer> columns, Map<Integer, List<String>> into) {
    if (values == null) {
      return;
    }
    for (int j = 0; j < columns.size() && j < values.size(); j++) {
      into.put(columns.get(j), List.of(values.get(j)));
    }
  }
}
