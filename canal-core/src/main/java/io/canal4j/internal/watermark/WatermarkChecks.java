package io.canal4j.internal.watermark;

import io.canal4j.dump.Chunk;
import io.canal4j.dump.TableReader;
import io.canal4j.error.ServerException;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.internal.save.SnapshotPlan;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Flavor;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.value.JdbcValues;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;

/**
 * Whether a server and a start position allow the lock-free snapshot, and its plan: every table it
 * reads needs a primary key. Each refusal names the setting or grant that fixes it, or the snapshot
 * at one point instead.
 */
public final class WatermarkChecks {
  private WatermarkChecks() {}

  /** Whether this server can take a watermark snapshot streaming from {@code from}. */
  public static boolean possible(ServerInfo server, Position from) {
    try {
      checkPossible(server, "", "", from);
      return true;
    } catch (ServerException e) {
      return false;
    }
  }

  /**
   * Checks that this server can take a watermark snapshot streaming from {@code from}.
   *
   * @throws ServerException naming the fix when it cannot
   */
  public static void checkPossible(ServerInfo server, String where, String user, Position from) {
    if (!"FULL".equalsIgnoreCase(server.rowImage())) {
      throw ServerException.permanent(
          "the lock-free (watermark) snapshot needs binlog_row_image=FULL on "
              + where
              + " (it is "
              + server.rowImage()
              + "): a row the stream changes during the snapshot reaches the handler only through"
              + " its binlog image, which must then hold every column. Set binlog_row_image=FULL,"
              + " or GRANT RELOAD ON *.* TO '"
              + user
              + "' and use snapshotMethod(POINT)",
          null);
    }
    if (server.flavor() == Flavor.MYSQL && server.gtidMode() && from != null && !from.hasGtids()) {
      throw ServerException.permanent(
          "the lock-free (watermark) snapshot would stream from "
              + from
              + ", which has no GTID set (it was saved before gtid_mode=ON), so it cannot tell"
              + " which transactions a chunk read saw. Start the canal with an empty position"
              + " store (a new snapshot), or take the snapshot at one point (snapshotMethod(POINT),"
              + " RELOAD)",
          null);
    }
    if (server.flavor() == Flavor.MYSQL && !server.gtidMode()) {
      throw ServerException.permanent(
          "the lock-free (watermark) snapshot needs gtid_mode=ON on MySQL to know which"
              + " transactions a chunk read saw, and "
              + where
              + " runs without GTIDs. Enable GTIDs (gtid_mode=ON, enforce_gtid_consistency=ON),"
              + " or GRANT RELOAD ON *.* TO '"
              + user
              + "' and use snapshotMethod(POINT), which holds FLUSH TABLES WITH READ LOCK for a"
              + " moment",
          null);
    }
  }

  /**
   * Plans the chunks of every streamed table, lock-free.
   *
   * @throws ServerException naming them when streamed tables have no primary key: the stream may
   *     change such a table's rows before the snapshot delivers them, and without a key nobody can
   *     tell which row a change is about
   */
  public static SnapshotPlan plan(
      ConnectionFactory connections, TableFilter filter, int chunkRows, String user)
      throws SQLException {
    InformationSchemaCache info = new InformationSchemaCache(connections);
    List<TableSchema> schemas = new ArrayList<>();
    List<TableId> keyless = new ArrayList<>();
    for (TableId id : info.tables()) {
      if (filter.test(id)) {
        TableSchema schema = info.load(id);
        schemas.add(schema);
        if (schema.primaryKey().isEmpty()) {
          keyless.add(id);
        }
      }
    }
    requireKeys(keyless, user);
    List<Chunk> chunks = new ArrayList<>();
    try (Connection c = connections.open()) {
      JdbcValues.prepareSession(c);
      for (TableSchema schema : schemas) {
        chunks.addAll(TableReader.plan(c, schema, chunkRows));
      }
    }
    return new SnapshotPlan(chunks, new BitSet(), true);
  }

  /**
   * Checks that every table of a plan made for a snapshot at one point has a primary key, before
   * the plan goes on lock-free.
   */
  public static void requireKeys(ConnectionFactory connections, SnapshotPlan plan, String user) {
    InformationSchemaCache info = new InformationSchemaCache(connections);
    List<TableId> keyless = new ArrayList<>();
    for (TableId id : new TreeSet<>(plan.chunks().stream().map(Chunk::table).toList())) {
      TableSchema schema = ChunkRead.load(info, id);
      if (schema != null && schema.primaryKey().isEmpty()) {
        keyless.add(id);
      }
    }
    requireKeys(keyless, user);
  }

  private static void requireKeys(List<TableId> keyless, String user) {
    if (!keyless.isEmpty()) {
      throw ServerException.permanent(
          "the lock-free (watermark) snapshot needs a primary key on every table it reads, and "
              + keyless
              + " have none: the binlog may change their rows before the snapshot delivers them,"
              + " and without a key no one can tell which row a change is about. Add a primary"
              + " key, exclude the tables, or GRANT RELOAD ON *.* TO '"
              + user
              + "' and use snapshotMethod(POINT), which reads every table at one point",
          null);
    }
  }
}
