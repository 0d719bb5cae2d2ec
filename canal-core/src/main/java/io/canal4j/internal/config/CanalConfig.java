package io.canal4j.internal.config;

import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.PurgedBinlogPolicy;
import io.canal4j.SavePolicy;
import io.canal4j.SnapshotMethod;
import io.canal4j.SnapshotMode;
import io.canal4j.SnapshotProgress;
import io.canal4j.SnapshotReader;
import io.canal4j.SslMode;
import io.canal4j.ZeroDates;
import io.canal4j.dump.Chunk;
import io.canal4j.schema.TableSchemaCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The validated settings of one canal, as the builder made them, in one group per concern. Each
 * engine class is handed the groups it reads (a builder setting is found by following its group):
 *
 * <ul>
 *   <li>{@link Source}: which server and how to reach it, for the binlog stream, the JDBC queries
 *       and the dump tool alike;
 *   <li>{@link Tables}: which tables, for the stream's filter and the snapshot's plan;
 *   <li>{@link Saving}: where and when positions are saved, and what a purged binlog means;
 *   <li>{@link Stream}: the binlog stream's own choices;
 *   <li>{@link Reconnect}: the wait between attempts after a transient fault, for the stream, the
 *       start and the lock-free snapshot's readers;
 *   <li>{@link Snapshot}: how the existing rows are read.
 * </ul>
 *
 * The rest (name, handler, schema cache, zero dates, thread factory) is read across the flow.
 */
public record CanalConfig(
    String name,
    EventHandler handler,
    Source source,
    Tables tables,
    Saving saving,
    TableSchemaCache schemaCache,
    Stream stream,
    Reconnect reconnect,
    Snapshot snapshot,
    ZeroDates zeroDates,
    ThreadFactory threadFactory) {

  /** The server and how to reach it; the password never appears in {@link #toString()}. */
  public record Source(
      String host,
      int port,
      String user,
      String password,
      long serverId,
      Duration connectTimeout,
      Map<String, String> jdbcProperties,
      SslMode sslMode,
      Path trustStore,
      String trustStorePassword) {

    /** {@code host:port}, as messages name the server. */
    public String where() {
      return host + ":" + port;
    }

    /** The JDBC URL for the canal's own queries (server checks, schema reads). */
    public String jdbcUrl() {
      StringBuilder url = new StringBuilder("jdbc:mysql://").append(host).append(':').append(port);
      url.append("/?connectTimeout=").append(connectTimeout.toMillis());
      url.append("&socketTimeout=").append(Math.max(60_000, connectTimeout.toMillis() * 6));
      jdbcProperties.forEach((k, v) -> url.append('&').append(k).append('=').append(v));
      return url.toString();
    }

    @Override
    public String toString() {
      return "server="
          + where()
          + ", user="
          + user
          + ", password=****, serverId="
          + serverId
          + ", ssl="
          + sslMode
          + (trustStore != null ? ", trustStore=" + trustStore : "");
    }
  }

  /** {@code db.table} regexes; see {@link TableFilter}. */
  public record Tables(List<String> includes, List<String> excludes) {
    public TableFilter filter() {
      return new TableFilter(includes, excludes);
    }
  }

  /** Where positions go, when, and what a checkpoint whose binlog was purged means. */
  public record Saving(
      PositionStore store,
      SavePolicy policy,
      boolean manualCommit,
      PurgedBinlogPolicy onPurgedBinlog) {}

  /** The binlog stream's choices. */
  public record Stream(
      Duration heartbeatInterval, boolean allowPartialRowImages, boolean skipUnparseableDdl) {}

  /** The wait after a transient fault: {@code initial}, doubled after each failure up to max. */
  public record Reconnect(Duration initial, Duration max) {
    public Backoff backoff() {
      return new Backoff(initial, max);
    }
  }

  /** How the existing rows are read; {@code afterChunkRead} is a test hook, null in production. */
  public record Snapshot(
      SnapshotMode mode,
      int threads,
      int chunkRows,
      Consumer<SnapshotProgress> progress,
      SnapshotReader reader,
      SnapshotMethod method,
      Duration lockTimeout,
      Path dumpTool,
      Consumer<Chunk> afterChunkRead) {}

  /** Makes the canal's threads, through {@link #threadFactory()} when set. */
  public CanalThreads threads() {
    return new CanalThreads(name, threadFactory);
  }

  /** The log of this canal: lines prefixed with {@code [name] }. */
  public CanalLog log() {
    return CanalLog.of(name);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "canal "
        + name
        + " {server="
        + source.where()
        + ", user="
        + source.user()
        + ", password=****, serverId="
        + source.serverId()
        + ", includes="
        + tables.includes()
        + ", excludes="
        + tables.excludes()
        + ", positionStore="
        + saving.store()
        + ", savePolicy="
        + saving.policy()
        + ", manualCommit="
        + saving.manualCommit()
        + (stream.skipUnparseableDdl() ? ", skipUnparseableDdl" : "")
        + ", snapshot="
        + snapshot.mode()
        + (snapshot.mode() == SnapshotMode.NEVER
            ? ""
            : "/"
                + snapshot.threads()
                + " thread(s)/"
                + snapshot.reader()
                + "/"
                + snapshot.method())
        + ", heartbeat="
        + stream.heartbeatInterval()
        + ", ssl="
        + source.sslMode()
        + (source.trustStore() != null ? ", trustStore=" + source.trustStore() : "")
        + "}";
  }
}
