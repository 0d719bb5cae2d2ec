package io.canal4j.internal.stream;

import io.canal4j.RowChange;
import io.canal4j.error.CanalException;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableSchema;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Something that runs with the stream and sees what it delivers, on the canal thread: the lock-free
 * snapshot today, which reconciles its chunks with the changes the stream passes and delivers them
 * between transactions. The dispatcher calls it; it knows nothing of what is behind it.
 */
public interface StreamTap {
  /** A new binlog connection streams from {@code from}. */
  void sessionStarted(Position from);

  /** Row changes the stream is about to deliver. */
  void rows(TableSchema schema, List<RowChange> changes);

  /** A DDL statement the stream is about to deliver. */
  void ddl(String database, String sql);

  /**
   * The stream is between transactions: the last one ended at {@code committed}, and the stream has
   * {@code reached} the end of the last event (null before it knows, when resumed by GTID); {@code
   * serverIdle} when that event was a heartbeat.
   *
   * @throws CanalException to stop the canal
   */
  void boundary(Position committed, Position reached, boolean serverIdle);

  /** Whether the tap is done: the dispatcher stops calling it. */
  boolean finished();

  /**
   * A new connection was opened; {@code idle} says whether it has nothing left to read for now (the
   * server is idle), for a tap that would otherwise wait for the next event.
   */
  void streamIdle(BooleanSupplier idle);
}
