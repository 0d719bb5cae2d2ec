package io.canal4j.internal.stream;

import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.FormatDescriptionEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.GtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.MariadbGtidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.QueryEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.RotateEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.XidEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.canal4j.Row;
import io.canal4j.internal.server.ServerErrors;
import io.canal4j.schema.internal.value.BinlogCursor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connector's event deserializer, set up the way the canal needs it:
 *
 * <ul>
 *   <li>rows of tables the canal does not stream are skipped unread (the connector would otherwise
 *       decode every cell of every table);
 *   <li>rows of streamed tables are decoded once, straight from the event's bytes into canonical
 *       values ({@link RowDecoder}), instead of into the connector's raw cells and then again;
 *   <li>events the canal does not use are not decoded at all.
 * </ul>
 */
public final class BinlogDeserializers {
  private BinlogDeserializers() {}

  /**
   * @param decode says, by TABLE_MAP table number, whether a table's rows are wanted; consulted for
   *     each rows event right after the listener saw its TABLE_MAP
   */
  static EventDeserializer create(Decoders decoders) {
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
          throw new UnsupportedOperationException(ServerErrors.COMPRESSED);
        });
    d.put(EventType.WRITE_ROWS, new Rows(decoders, false, false));
    d.put(EventType.EXT_WRITE_ROWS, new Rows(decoders, true, false));
    d.put(EventType.UPDATE_ROWS, new Rows(decoders, false, true));
    d.put(EventType.EXT_UPDATE_ROWS, new Rows(decoders, true, true));
    d.put(EventType.DELETE_ROWS, new Rows(decoders, false, false));
    d.put(EventType.EXT_DELETE_ROWS, new Rows(decoders, true, false));
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<EventType, EventDataDeserializer> raw = (Map) d;
    EventDeserializer deserializer =
        new EventDeserializer(
            new EventHeaderV4Deserializer(), new NullEventDataDeserializer(), raw, tableMaps);
    return deserializer;
  }

  /**
   * A rows event decoded by the canal: the row images of one table, in order (for an update:
   * before, after, before, after, ...), or null when the table is not streamed.
   */
  record DecodedRows(long tableId, List<Row> images) implements EventData {}

  /** Finds the decoder for a table number, or null when its rows are not wanted. */
  interface Decoders {
    RowDecoder forTable(long tableNumber);
  }

  /** Write, update or delete rows events, decoded straight from their bytes. */
  private static final class Rows implements EventDataDeserializer<DecodedRows> {
    private final Decoders decoders;
    private final boolean extra;
    private final boolean twoImages;

    Rows(Decoders decoders, boolean extra, boolean twoImages) {
      this.decoders = decoders;
      this.extra = extra;
      this.twoImages = twoImages;
    }

    @Override
    public DecodedRows deserialize(ByteArrayInputStream in) throws IOException {
      long tableId = in.readLong(6);
      in.skip(2); // flags
      if (extra) {
        int extraLength = in.readInteger(2);
        in.skip(extraLength - 2);
      }
      int columns = in.readPackedInteger();
      RowDecoder decoder = decoders.forTable(tableId);
      if (decoder == null) {
        return new DecodedRows(tableId, null); // the rest of the event is skipped by the caller
      }
      BitSet first = in.readBitSet(columns, true);
      BitSet second = twoImages ? in.readBitSet(columns, true) : first;
      int firstCount = first.cardinality();
      int secondCount = second.cardinality();
      BinlogCursor c = new BinlogCursor(in.read(in.available()));
      List<Row> images = new ArrayList<>();
      while (c.hasRemaining()) {
        images.add(decoder.read(c, first, firstCount));
        if (twoImages) {
          images.add(decoder.read(c, second, secondCount));
        }
      }
      return new DecodedRows(tableId, images);
    }
  }
}
