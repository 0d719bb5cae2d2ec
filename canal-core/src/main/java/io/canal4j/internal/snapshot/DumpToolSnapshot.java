package io.canal4j.internal.snapshot;

import io.canal4j.Row;
import io.canal4j.ZeroDates;
import io.canal4j.dump.DumpToolReader;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.config.TableFilter;
import io.canal4j.internal.save.SaveTracker;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The snapshot at one point read by the server's dump tool ({@code mariadb-dump} or {@code
 * mysqldump}, {@code snapshotReader(DUMP_TOOL)}) instead of JDBC chunks: one chunk, the whole dump,
 * and nothing to resume by. Canal thread.
 */
final class DumpToolSnapshot {

  private final CanalConfig config;
  private final ServerInfo server;
  private final CanalLog log;
  private final String where;
  private final ConnectionFactory connections;
  private final TableFilter filter;
  private final BooleanSupplier stopRequested;
  private final boolean zeroDatesAsText;
  private final SaveTracker saves;
  private SnapshotDelivery delivery;

  DumpToolSnapshot(
      CanalConfig config,
      ServerInfo server,
      ConnectionFactory connections,
      TableFilter filter,
      BooleanSupplier stopRequested,
      SaveTracker saves) {
    this.config = config;
    this.saves = saves;
    this.server = server;
    this.log = config.log();
    this.where = config.source().where();
    this.connections = connections;
    this.filter = filter;
    this.stopRequested = stopRequested;
    this.zeroDatesAsText = config.zeroDates() == ZeroDates.AS_TEXT;
  }

  /**
   * The snapshot through the server's dump tool. Its own binlog position comes at the end of the
   * dump's first lines, too late to save before rows are delivered, so the position read just
   * before the dump is the point: saved first, and where streaming starts (the changes between the
   * two are delivered again).
   */
  Position run(Consumer<Position> atPoint) throws SQLException, InterruptedException {
    InformationSchemaCache info = new InformationSchemaCache(connections);
    List<TableSchema> tables = new ArrayList<>();
    for (TableId id : info.tables()) {
      if (filter.test(id)) {
        tables.add(info.load(id));
      }
    }
    Position before = SnapshotPoint.current(connections, server, log, where, atPoint);
    delivery =
        new SnapshotDelivery(config.handler(), config.snapshot().progress(), log, before, saves);
    if (tables.isEmpty()) {
      log.info("snapshot: no table to read");
      return before;
    }
    DumpToolReader.Builder tool =
        DumpToolReader.builder()
            .host(config.source().host())
            .port(config.source().port())
            .user(config.source().user())
            .password(config.source().password())
            .zeroDatesAsText(zeroDatesAsText)
            .threadFactory(r -> config.threads().helper(r, "dump-stderr"));
    if (config.snapshot().dumpTool() != null) {
      tool.executable(config.snapshot().dumpTool());
    }
    DumpToolReader reader = tool.build();
    delivery.start(1, 0);
    List<Row> batch = new ArrayList<>(Snapshotter.BATCH);
    TableSchema[] current = {null};
    try {
      DumpToolReader.Result result =
          reader.run(
              tables,
              (table, values) -> {
                if (current[0] != table || batch.size() == Snapshotter.BATCH) {
                  if (stopRequested.getAsBoolean()) {
                    throw new Snapshotter.Stopped();
                  }
                  delivery.deliver(current[0], batch);
                  batch.clear();
                  current[0] = table;
                }
                batch.add(new Row(table, values, null));
              });
      delivery.deliver(current[0], batch);
      delivery.chunkDone(0); // the whole dump is one chunk
      log.info(
          "snapshot done with {}: {} rows in {} s, dumped at {}; streaming from {}",
          result.tool(),
          delivery.rows(),
          delivery.seconds(),
          result.position(),
          before);
      return before;
    } catch (Snapshotter.Stopped e) {
      log.info("snapshot stopped after {} rows", delivery.rows());
      return null;
    } catch (IOException e) {
      throw new SQLException("the dump tool failed: " + e.getMessage(), e);
    }
  }
}
