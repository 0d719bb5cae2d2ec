/**
 * The canal's settings, as {@link io.canal4j.Canal.Builder} validated them, read by every later
 * step of the flow: which server and how to reach it (TLS trust stores included), which tables, how
 * to snapshot, save and reconnect. Nothing here talks to a server.
 */
package io.canal4j.internal.config;
