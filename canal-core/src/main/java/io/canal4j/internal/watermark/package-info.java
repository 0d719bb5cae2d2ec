/**
 * The lock-free snapshot (DBLog's watermarks): chunks read while the stream runs, each reconciled
 * with the binlog changes made while it was read, and delivered between transactions. Taken for
 * {@code SnapshotMethod.WATERMARKS}, for {@code AUTO} when the lock of a snapshot at one point is
 * not allowed, and to finish a snapshot at one point that a crash interrupted.
 */
package io.canal4j.internal.watermark;
