/**
 * Internal: reading DDL statements. {@link io.canal4j.schema.internal.ddl.DdlParser} applies the
 * statements that change tables to a schema history, the way the server would; {@link
 * io.canal4j.schema.internal.ddl.DdlScope} says which tables or databases any statement may have
 * changed. Not an API.
 */
package io.canal4j.schema.internal.ddl;
