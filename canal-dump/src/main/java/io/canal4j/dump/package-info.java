/**
 * Reading existing rows, for the core's snapshots: consistent snapshot points, primary-key chunking
 * and chunk reads, and the server's dump tool as an alternative reader. The core calls it when a
 * canal starts with a snapshot.
 *
 * <p>{@link io.canal4j.dump.SnapshotSession} opens reader connections that all see the database at
 * one binlog position. {@link io.canal4j.dump.TableReader} splits a table into {@link
 * io.canal4j.dump.Chunk}s, primary-key ranges of a given number of rows whose one-line text form a
 * checkpoint can record, and streams a chunk's rows as canonical values to a {@link
 * io.canal4j.dump.RowSink}, inside whatever transaction the caller opened. {@link
 * io.canal4j.dump.DumpToolReader} instead runs {@code mariadb-dump} or {@code mysqldump} once for
 * all tables and hands the parsed rows, as the same canonical values, to a {@link
 * io.canal4j.dump.TableRowSink}, with the binlog position the tool printed.
 */
package io.canal4j.dump;
