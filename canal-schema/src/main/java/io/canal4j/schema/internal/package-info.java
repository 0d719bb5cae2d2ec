/**
 * Internal: the {@code information_schema} schema cache and the converters from raw JDBC and binlog
 * values to canal4j's canonical Java values. Public only because other canal4j modules use it; not
 * an API, and it changes without notice.
 */
package io.canal4j.schema.internal;
