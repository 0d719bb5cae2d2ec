/**
 * The first step of every start: what the server is (flavor, version, binlog format and row image,
 * GTID mode, current position, purged binlogs), and what its errors mean. Every permanent error a
 * canal reports about the server is worded here, naming the setting or grant that fixes it. Depends
 * on no other engine package.
 */
package io.canal4j.internal.server;
