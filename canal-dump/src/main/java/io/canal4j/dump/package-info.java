/**
 * Reading existing rows: consistent snapshot points, primary-key chunking, parallel and resumable
 * table reads. The snapshot capability is delivered by its own issue; this package is the seam the
 * core calls when a canal starts without a saved position and a snapshot is requested.
 *
 * <p>{@link io.canal4j.dump.TableReader} splits a table into {@link io.canal4j.dump.Chunk}s,
 * primary -key ranges of a given number of rows whose one-line text form a checkpoint can record,
 * and streams a chunk's rows as canonical values to a {@link io.canal4j.dump.RowSink}, inside
 * whatever transaction the caller opened.
 */
package io.canal4j.dump;
