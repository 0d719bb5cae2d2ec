/**
 * Runnable end-to-end benchmarks, not published. {@link
 * io.canal4j.benchmarks.BinlogThroughputBenchmark} drains one binlog range with the bare
 * mysql-binlog-connector-java client and with a {@link io.canal4j.Canal}, and compares their rates.
 * Results and the commands to reproduce them are in {@code BENCHMARKS.md} at the repository root.
 */
package io.canal4j.benchmarks;
