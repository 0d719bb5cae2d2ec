package io.canal4j.internal;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.DeleteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.CompatibilityMode;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.FormatDescriptionEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.QueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RotateEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * The connector's event deserializer, set up the way the canal needs it:
 *
 * <ul>
 *   <li>rows of tables the canal does not stream are skipped unread (the connector would otherwise
 *       decode every cell of every table);
 *   <li>cells arrive in the raw forms the value converters expect (text and binary as bytes,
 *       temporal values as microseconds, invalid dates as {@link Long#MIN_VALUE});
 *   <li>events the canal does not use are not decoded at all.
 * </ul>
 */
final class BinlogDeserializers {
  static final String COMPRESSED =
      "the server compresses its binlog (binlog_transaction_compression=ON), which this canal4j"
          + " version cannot read yet: set binlog_transaction_compression=OFF";

  private BinlogDeserializers() {}

  /**
   * @param decode says, by TABLE_MAP table number, whether a table's rows are wanted; consulted for
   *     each rows event right after the listener saw its TABLE_MAP
   */
  static EventDeserializer create(LongPredicate decode) {
    Map<Long, TableMapEventData> tableMaps = new HashMap<>();
    Map<EventType, EventDataDeserializer<?>> d = new IdentityHashMap<>();
    d.put(EventType.FORMAT_DESCRIPTION, new FormatDescriptionEventDataDeserializer());
    d.put(EventType.ROTATE, new RotateEventDataDeserializer());
    d.put(EventType.QUERY, new QueryEventDataDeserializer());
    d.put(EventType.TABLE_MAP, new TableMapEventDataDeserializer());
    d.put(EventType.XID, new XidEventDataDeserializer());
    d.put(EventType.GTID, new GtidEventDataDeserializer());
    d.put(EventType.MARIADB_GTID, new MariadbGtidEventDataDeserializer());
    d.put(
        EventType.TRANSACTION_PAYLOAD,
        in -> {
          throw new UnsupportedOperationException(COMPRESSED);
        });
    d.put(EventType.WRITE_ROWS, new Writes(tableMaps, decode, false));
    d.put(EventType.EXT_WRITE_ROWS, new Writes(tableMaps, decode, true));
    d.put(EventType.UPDATE_ROWS, new Updates(tableMaps, decode, false));
    d.put(EventType.EXT_UPDATE_ROWS, new Updates(tableMaps, decode, true));
    d.put(EventType.DELETE_ROWS, new Deletes(tableMaps, decode, false));
    d.put(EventType.EXT_DELETE_ROWS, new Deletes(tableMaps, decode, true));
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<EventType, EventDataDeserializer> raw = (Map) d;
    EventDeserializer deserializer =
        new EventDeserializer(
            new EventHeaderV4Deserializer(), new NullEventDataDeserializer(), raw, tableMaps);
    deserializer.setCompatibilityMode(
        CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
        CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
        CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
    return deserializer;
  }

  /** Reads the common rows-event header; returns the table number. */
  private static int readHeader(ByteArrayInputStream in, boolean extra, long[] tableId)
      throws IOException {
    tableId[0] = in.readLong(6);
    in.skip(2); // flags
    if (extra) {
      int extraLength = in.readInteger(2);
      in.skip(extraLength - 2);
    }
    return in.readPackedInteger();
  }

  /** Reads one row image with the given included-columns bitmap. */
  private interface RowReader {
    Serializable[] read(long tableId, BitSet included, ByteArrayInputStream in) throws IOException;
  }

  /**
   * Reads a single-image rows event (write or delete) after its header: the included-columns
   * bitmap, then rows until the event ends; nothing when the table is not wanted.
   */
  private static BitSet readImages(
      ByteArrayInputStream in,
      long tableId,
      int columns,
      LongPredicate decode,
      RowReader reader,
      List<Serializable[]> rows)
      throws IOException {
    if (!decode.test(tableId)) {
      return null; // the rest of the event is skipped by the caller
    }
    BitSet included = in.readBitSet(columns, true);
    while (in.available() > 0) {
      rows.add(reader.read(tableId, included, in));
    }
    return included;
  }

  private static final class Writes extends WriteRowsEventDataDeserializer {
    private final LongPredicate decode;
    private final boolean extra;

    Writes(Map<Long, TableMapEventData> maps, LongPredicate decode, boolean extra) {
      super(maps);
      this.decode = decode;
      this.extra = extra;
    }

    @Override
    public WriteRowsEventData deserialize(ByteArrayInputStream in) throws IOException {
      WriteRowsEventData data = new WriteRowsEventData();
      long[] id = new long[1];
      int columns = readHeader(in, extra, id);
      data.setTableId(id[0]);
      List<Serializable[]> rows = new ArrayList<>();
      data.setRows(rows);
      data.setIncludedColumns(readImages(in, id[0], columns, decode, this::deserializeRow, rows));
      return data;
    }
  }

  private static final class Updates extends UpdateRowsEventDataDeserializer {
    private final LongPredicate decode;
    private final boolean extra;

    Updates(Map<Long, TableMapEventData> maps, LongPredicate decode, boolean extra) {
      super(maps);
      this.decode = decode;
      this.extra = extra;
    }

    @Override
    public UpdateRowsEventData deserialize(ByteArrayInputStream in) throws IOException {
      UpdateRowsEventData data = new UpdateRowsEventData();
      long[] id = new long[1];
      int columns = readHeader(in, extra, id);
      data.setTableId(id[0]);
      List<Map.Entry<Serializable[], Serializable[]>> rows = new ArrayList<>();
      data.setRows(rows);
      if (!decode.test(id[0])) {
        return data;
      }
      BitSet before = in.readBitSet(columns, true);
      BitSet after = in.readBitSet(columns, true);
      data.setIncludedColumnsBeforeUpdate(before);
      data.setIncludedColumns(after);
      while (in.available() > 0) {
        Serializable[] b = deserializeRow(id[0], before, in);
        Serializable[] a = deserializeRow(id[0], after, in);
        rows.add(new AbstractMap.SimpleImmutableEntry<>(b, a));
      }
      return data;
    }
  }

  private static final class Deletes extends DeleteRowsEventDataDeserializer {
    private final LongPredicate decode;
    private final boolean extra;

    Deletes(Map<Long, TableMapEventData> maps, LongPredicate decode, boolean extra) {
      super(maps);
      this.decode = decode;
      this.extra = extra;
    }

    @Override
    public DeleteRowsEventData deserialize(ByteArrayInputStream in) throws IOException {
      DeleteRowsEventData data = new DeleteRowsEventData();
      long[] id = new long[1];
      int columns = readHeader(in, extra, id);
      data.setTableId(id[0]);
      List<Serializable[]> rows = new ArrayList<>();
      data.setRows(rows);
      data.setIncludedColumns(readImages(in, id[0], columns, decode, this::deserializeRow, rows));
      return data;
    }
  }
}
