/**
 * What a table is and where in the binlog we are: {@link io.canal4j.schema.TableId}, {@link
 * io.canal4j.schema.TableSchema}, {@link io.canal4j.schema.Column}, {@link
 * io.canal4j.schema.Position} and {@link io.canal4j.schema.GtidSet}, and the {@link
 * io.canal4j.schema.TableSchemaCache} SPI that answers "what did this table look like at this
 * position". Nothing here streams the binlog.
 */
package io.canal4j.schema;
