/**
 * Runnable end-to-end benchmarks, not published. {@link
 * io.canal4j.benchmarks.BinlogThroughputBenchmark} drains one binlog range with the bare
 * mysql-binlog-connector-java client and with a {@link io.canal4j.Canal}, and compares their rates.
 * {@link io.canal4j.benchmarks.SnapshotBenchmark} compares a canal's initial snapshot of one table,
 * with one reader and with several, with a plain streaming JDBC {@code SELECT *} of it. Results and
 * the commands to reproduce them are in {@code BENCHMARKS.md} at the repository root.
 */
package io.canal4j.benchmarks;
