/**
 * Internal: the schema caches behind {@link io.canal4j.schema.TableSchemaCache} (the schema history
 * kept from the binlog's DDL, and the {@code information_schema} cache), and how a table map is
 * fitted to a table's columns. The caches build on two sub-packages: {@code ddl}, which reads DDL
 * statements, and {@code value}, which turns binlog cells and JDBC results into the same canonical
 * Java values. Public only because other canal4j modules use it; not an API, and it changes without
 * notice.
 */
package io.canal4j.schema.internal;
