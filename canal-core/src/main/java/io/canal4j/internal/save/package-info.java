/**
 * Save points and checkpoints: when a transaction end becomes a save point the handler is told of
 * ({@code onPosSynced}), what is saved then (the position, the schema history, the snapshot's
 * progress), and the built-in position stores. {@link io.canal4j.internal.save.SaveTracker} is the
 * one writer of checkpoints; the stream and both snapshots report to it.
 */
package io.canal4j.internal.save;
