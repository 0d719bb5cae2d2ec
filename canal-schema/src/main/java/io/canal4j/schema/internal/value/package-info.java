/**
 * Internal: values. The binlog's row images decoded straight from the event's bytes ({@link
 * io.canal4j.schema.internal.value.BinlogCells}, {@link
 * io.canal4j.schema.internal.value.RowImageReader}) and JDBC results read ({@link
 * io.canal4j.schema.internal.value.JdbcValues}) give the same canonical Java values for the same
 * data: the one place where MySQL's and MariaDB's types, charsets, JSON and temporal rules are
 * spelled out. Not an API.
 */
package io.canal4j.schema.internal.value;
