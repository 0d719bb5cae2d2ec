/**
 * The snapshot at one point: the tables read at the binlog position where the stream will start,
 * chunk by chunk, by one or several readers (or by {@code mariadb-dump}), and delivered to the
 * handler as SNAPSHOT rows with positions a handler can commit. Runs after the start decision and
 * before the stream.
 */
package io.canal4j.internal.snapshot;
