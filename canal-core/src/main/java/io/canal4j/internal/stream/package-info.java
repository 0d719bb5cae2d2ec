/**
 * Streaming: one binlog connection at a time (mysql-binlog-connector-java), its events located,
 * decoded into rows with the schema in force at their position, and dispatched to the handler in
 * binlog order, with every transaction end reported to the save tracker. Comes after the start
 * decision and, when one is taken, the snapshot at one point.
 */
package io.canal4j.internal.stream;
