/**
 * The canal's settings, as {@link io.canal4j.Canal.Builder} validated them, read by every later
 * step of the flow: {@link io.canal4j.internal.config.CanalConfig} in one group per concern (which
 * server and how to reach it, TLS trust stores included; which tables; how to save, stream,
 * reconnect and snapshot), each engine class handed the groups it reads. Also the small helpers
 * every step shares: the canal's log ({@code [name] } prefix), its threads, the reconnect backoff,
 * the stop signal and the table filter. Nothing here talks to a server.
 */
package io.canal4j.internal.config;
