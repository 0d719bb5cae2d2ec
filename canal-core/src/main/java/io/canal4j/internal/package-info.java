/**
 * The engine behind {@link io.canal4j.Canal}: server checks, binlog streaming on top of
 * mysql-binlog-connector-java, row decoding, transaction and position tracking, position stores.
 * Not an API: everything here may change without notice.
 */
package io.canal4j.internal;
