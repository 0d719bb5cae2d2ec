package io.canal4j.internal.stream;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.TableSchemaCache;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the stream knows of TABLE_MAP table numbers: whether a number's rows are streamed, and the
 * decoder that reads them with the schema in force at the map's position. Decoders are kept per
 * table until a DDL statement, and an identical repeated map costs one comparison. Canal thread
 * (the deserializers run on it too).
 */
final class TableMapCache {
  /** Whether rows of a TABLE_MAP table number are decoded; read by the deserializers. */
  private final Map<Long, Boolean> decodeByNumber = new HashMap<>();

  private final Map<Long, RowDecoder> decoderByNumber = new HashMap<>();

  /**
   * The last TABLE_MAP seen per table number. The server repeats the same TABLE_MAP before every
   * transaction's rows; while no DDL intervenes, an identical one maps to the same decoder, so the
   * schema lookup and cross-check are not repeated per transaction.
   */
  private final Map<Long, TableMapEventData> lastMapByNumber = new HashMap<>();

  // One-entry cache: most transactions touch one table (avoids boxing the number per lookup).
  private long lastNumber = -1;
  private RowDecoder lastDecoder;
  private boolean lastWanted;
  private final Map<TableId, RowDecoder> decoderByTable = new HashMap<>();

  private final TableFilter filter;
  private final TableSchemaCache schemas;
  private final boolean zeroDatesAsText;
  private final Supplier<Position> after;
  private final Supplier<Position> here;

  /**
   * @param after the end of the last complete transaction, for the message of a missing map
   * @param here where the event in hand starts: the position whose schema a new map is read with
   */
  TableMapCache(
      TableFilter filter,
      TableSchemaCache schemas,
      boolean zeroDatesAsText,
      Supplier<Position> after,
      Supplier<Position> here) {
    this.filter = filter;
    this.schemas = schemas;
    this.zeroDatesAsText = zeroDatesAsText;
    this.after = after;
    this.here = here;
  }

  /**
   * The decoder for a TABLE_MAP table number, or null when the table is not streamed (called by the
   * deserializers, right after this listener saw the TABLE_MAP).
   */
  RowDecoder decoderFor(long tableNumber) {
    if (tableNumber == lastNumber) {
      return lastWanted ? lastDecoder : null;
    }
    Boolean wanted = decodeByNumber.get(tableNumber);
    if (wanted == null) {
      throw new IllegalStateException(
          "rows event for table number "
              + tableNumber
              + " without its TABLE_MAP after "
              + after.get());
    }
    return wanted ? decoderByNumber.get(tableNumber) : null;
  }

  /** A new connection: table numbers mean nothing any more. */
  void newSession() {
    decodeByNumber.clear();
    decoderByNumber.clear();
    forget();
  }

  /** A DDL statement is in force: every table's decoder is made again at its next map. */
  void schemaChanged() {
    decoderByTable.clear();
    forget();
  }

  private void forget() {
    lastMapByNumber.clear();
    lastNumber = -1;
    lastDecoder = null;
  }

  private static boolean sameMap(TableMapEventData a, TableMapEventData b) {
    return a.getTable().equals(b.getTable())
        && a.getDatabase().equals(b.getDatabase())
        && Arrays.equals(a.getColumnTypes(), b.getColumnTypes())
        && Arrays.equals(a.getColumnMetadata(), b.getColumnMetadata());
  }

  /** A TABLE_MAP event: the table number's decoder, or that it is not streamed. */
  void tableMap(TableMapEventData d) {
    long number = d.getTableId();
    TableMapEventData previous = lastMapByNumber.get(number);
    if (previous != null && sameMap(previous, d)) {
      lastNumber = number;
      lastWanted = decodeByNumber.get(number);
      lastDecoder = lastWanted ? decoderByNumber.get(number) : null;
      return;
    }
    lastNumber = -1;
    TableId id = TableId.of(d.getDatabase(), d.getTable());
    boolean wanted = filter.test(id);
    decodeByNumber.put(number, wanted);
    RowDecoder decoder = null;
    if (wanted) {
      TableMap map = TableMaps.from(d);
      TableSchema schema = schemas.schemaAt(map, here.get());
      decoder = decoderByTable.get(id);
      if (decoder == null || !decoder.fits(schema, map)) {
        decoder = new RowDecoder(schema, map, zeroDatesAsText);
        decoderByTable.put(id, decoder);
      }
      decoderByNumber.put(number, decoder);
    } else {
      decoderByNumber.remove(number);
    }
    lastMapByNumber.put(number, d); // only once the map was understood
    lastNumber = number;
    lastWanted = wanted;
    lastDecoder = decoder;
  }
}
