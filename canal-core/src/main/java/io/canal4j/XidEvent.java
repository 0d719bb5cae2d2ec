package io.canal4j;

import io.canal4j.schema.Position;
import java.time.Instant;

/**
 * A transaction committed. Delivered for every commit the server logs, including transactions that
 * changed only excluded tables and MariaDB's commits without an XID (non-transactional tables), so
 * that positions keep moving even when no row reaches the handler.
 *
 * @param transaction the transaction that committed
 * @param xid the server's XID, or -1 for a commit without one
 * @param position the position right after the commit: resuming from it replays nothing of this
 *     transaction
 * @param timestamp when the server wrote the commit
 */
public record XidEvent(TransactionId transaction, long xid, Position position, Instant timestamp) {}
