/**
 * Internal: the {@code information_schema} schema cache, the binlog's wire decoder ({@link
 * io.canal4j.schema.internal.BinlogCells}) and the JDBC reader ({@link
 * io.canal4j.schema.internal.JdbcValues}), which give the same canonical Java values. Public only
 * because other canal4j modules use it; not an API, and it changes without notice.
 */
package io.canal4j.schema.internal;
