package io.canal4j.schema.internal;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.value.BinlogCursor;
import io.canal4j.schema.internal.value.BinlogTypes;
import io.canal4j.schema.internal.value.RowImageReader;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.ServerFlavor;
import java.io.IOException;
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
 * Test plumbing: reads a server's binlog with a bare {@link BinaryLogClient} and collects the
 * WRITE_ROWS events of one table, undecoded, with the TABLE_MAP that preceded them; {@link
 * Row#values} decodes them with the same {@link RowImageReader} as the core.
 */
final class BinlogCapture {
  /** One WRITE_ROWS event (one per single-row INSERT): its row images' bytes and TABLE_MAP. */
  record Row(TableMap tableMap, Position tableMapPosition, BitSet included, byte[] images) {

    /** The event's first (with single-row INSERTs: only) row, decoded for {@code schema}. */
    Object[] values(TableSchema schema) {
      return values(schema, false);
    }

    Object[] values(TableSchema schema, boolean zeroDatesAsText) {
      return allValues(schema, zeroDatesAsText).get(0);
    }

    /** Every row of the event. */
    List<Object[]> allValues(TableSchema schema, boolean zeroDatesAsText) {
      RowImageReader reader =
          new RowImageReader(schema, tableMap.types(), tableMap.metadata(), zeroDatesAsText);
      BinlogCursor c = new BinlogCursor(images);
      List<Object[]> rows = new ArrayList<>();
      while (c.hasRemaining()) {
        rows.add(reader.read(c, included, included.cardinality()));
      }
      return rows;
    }
  }

  /** A WRITE_ROWS event left undecoded. */
  private record RawRows(long tableId, BitSet included, byte[] images) implements EventData {}

  /** Reads the post-header and column bitmap of a WRITE_ROWS event, keeps the rest as bytes. */
  private static EventDataDeserializer<RawRows> rawRows(boolean extra) {
    return (ByteArrayInputStream in) -> {
      long tableId = in.readLong(6);
      in.skip(2); // flags
      if (extra) {
        in.skip(in.readInteger(2) - 2);
      }
      int columns = in.readPackedInteger();
      BitSet included = in.readBitSet(columns, true);
      return new RawRows(tableId, included, in.read(in.available()));
    };
  }

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
   * Reads the binlog from {@code from} until {@code count} WRITE_ROWS events of {@code table} were
   * seen (one per single-row INSERT), or fails after {@code timeout}.
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
    deserializer.setEventDataDeserializer(EventType.WRITE_ROWS, rawRows(false));
    deserializer.setEventDataDeserializer(EventType.EXT_WRITE_ROWS, rawRows(true));
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
          } else if (data instanceof RawRows w && maps.containsKey(w.tableId())) {
            synchronized (rows) {
              rows.add(
                  new Row(
                      maps.get(w.tableId()),
                      mapPositions.get(w.tableId()),
                      w.included(),
                      w.images()));
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
