/**
 * Support code for canal-core's own server-backed tests: canal builders pointed at a sandbox server
 * ({@link io.canal4j.testing.CanalTesting}), a recording handler, a replica applier, the value
 * tests' oracle, and the main classes the crash, memory and time-zone tests run in a forked JVM.
 * Test sources only, not published; tests that need package-private access to {@code io.canal4j}
 * (through {@link io.canal4j.TestHooks}) stay beside the code.
 */
package io.canal4j.testing;
