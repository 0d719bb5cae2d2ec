package io.canal4j.internal.watermark;

import io.canal4j.dump.Chunk;
import io.canal4j.dump.TableReader;
import io.canal4j.error.ServerException;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.value.JdbcValues;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a table of the lock-free snapshot again, whole, when its chunks no longer fit it (renamed,
 * its primary key changed), at most {@value #MAX_REPLANS} times a table. Canal thread only; the
 * coordinator supersedes the old chunks once the new ones are planned.
 */
final class Replanner {
  static final int MAX_REPLANS = 5;

  private final ConnectionFactory connections;
  private final String user;
  private final int chunkRows;
  private final Map<TableId, Integer> replans = new HashMap<>();

  Replanner(ConnectionFactory connections, String user, int chunkRows) {
    this.connections = connections;
    this.user = user;
    this.chunkRows = chunkRows;
  }

  /**
   * The chunks of {@code table} now (none when it is gone).
   *
   * @param why why it is planned again, for the message when it has been too often
   * @throws ServerException (permanent) when it was planned too often, has lost its primary key, or
   *     cannot be planned: a restart resumes from the checkpoint, and no stream reconnect goes on
   *     with a half-changed plan
   */
  List<Chunk> chunks(TableId table, String why) {
    if (replans.merge(table, 1, Integer::sum) > MAX_REPLANS) {
      throw ServerException.permanent(
          "the lock-free snapshot planned "
              + table
              + " "
              + MAX_REPLANS
              + " times and its key kept changing under it ("
              + why
              + "). Start the canal again when the migration is done (it resumes), or take the"
              + " snapshot at one point (snapshotMethod(POINT), which needs RELOAD)",
          null);
    }
    try (Connection c = connections.open()) {
      JdbcValues.prepareSession(c);
      InformationSchemaCache info = new InformationSchemaCache(ChunkRead.borrowed(c));
      TableSchema schema = ChunkRead.load(info, table);
      if (schema != null && schema.primaryKey().isEmpty()) {
        throw ServerException.permanent(
            "table "
                + table
                + " has no primary key any more, and the lock-free snapshot needs one to tell"
                + " which rows the stream changed. Add a primary key, or GRANT RELOAD ON *.* TO '"
                + user
                + "' and use snapshotMethod(POINT)",
            null);
      }
      return schema == null ? List.of() : TableReader.plan(c, schema, chunkRows);
    } catch (SQLException | RuntimeException e) {
      if (e instanceof ServerException se && !se.isTransient()) {
        throw se;
      }
      throw ServerException.permanent(
          "the lock-free snapshot could not plan "
              + table
              + " again: "
              + e.getMessage()
              + ". Start the canal again: it resumes with the chunks not delivered",
          e);
    }
  }
}
