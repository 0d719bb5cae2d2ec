package io.canal4j.internal.config;

import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.SavePolicy;
import io.canal4j.SnapshotMode;
import io.canal4j.ZeroDates;
import io.canal4j.schema.TableSchemaCache;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/** The validated settings of one canal, as the builder made them. */
public record CanalConfig(
    String name,
    String host,
    int port,
    String user,
    String password,
    long serverId,
    List<String> includes,
    List<String> excludes,
    EventHandler handler,
    PositionStore positionStore,
    TableSchemaCache schemaCache,
    SavePolicy savePolicy,
    boolean manualCommit,
    boolean allowPartialRowImages,
    boolean skipUnparseableDdl,
    Duration connectTimeout,
    Duration heartbeatInterval,
    Duration reconnectInitialBackoff,
    Duration reconnectMaxBackoff,
    ThreadFactory threadFactory,
    Map<String, String> jdbcProperties,
    ZeroDates zeroDates,
    SnapshotMode snapshotMode,
    int snapshotThreads,
    int snapshotChunkRows,
    java.util.function.Consumer<io.canal4j.SnapshotProgress> snapshotProgress,
    io.canal4j.SnapshotReader snapshotReader,
    io.canal4j.SnapshotMethod snapshotMethod,
    Duration snapshotLockTimeout,
    io.canal4j.PurgedBinlogPolicy onPurgedBinlog,
    io.canal4j.SslMode sslMode,
    java.nio.file.Path trustStore,
    String trustStorePassword,
    java.nio.file.Path dumpTool,
    java.util.function.Consumer<io.canal4j.dump.Chunk> afterChunkRead) {

  /** Makes the canal's threads, through {@link #threadFactory()} when set. */
  public CanalThreads threads() {
    return new CanalThreads(name, threadFactory);
  }

  /** The JDBC URL for the canal's own queries (server checks, schema reads). */
  public String jdbcUrl() {
    StringBuilder url = new StringBuilder("jdbc:mysql://").append(host).append(':').append(port);
    url.append("/?connectTimeout=").append(connectTimeout.toMillis());
    url.append("&socketTimeout=").append(Math.max(60_000, connectTimeout.toMillis() * 6));
    jdbcProperties.forEach((k, v) -> url.append('&').append(k).append('=').append(v));
    return url.toString();
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "canal "
        + name
        + " {server="
        + host
        + ":"
        + port
        + ", user="
        + user
        + ", password=****, serverId="
        + serverId
        + ", includes="
        + includes
        + ", excludes="
        + excludes
        + ", positionStore="
        + positionStore
        + ", savePolicy="
        + savePolicy
        + ", manualCommit="
        + manualCommit
        + (skipUnparseableDdl ? ", skipUnparseableDdl" : "")
        + ", snapshot="
        + snapshotMode
        + (snapshotMode == SnapshotMode.NEVER
            ? ""
            : "/" + snapshotThreads + " thread(s)/" + snapshotReader + "/" + snapshotMethod)
        + ", heartbeat="
        + heartbeatInterval
        + ", ssl="
        + sslMode
        + (trustStore != null ? ", trustStore=" + trustStore : "")
        + "}";
  }
}
