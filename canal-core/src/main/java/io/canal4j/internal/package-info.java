/**
 * The engine behind {@link io.canal4j.Canal}. Not an API: everything here may change without
 * notice.
 *
 * <p>The root holds the runner, which owns the canal's thread and its lifecycle and drives one
 * start after another through the flow, each step in a package of its own:
 *
 * <ol>
 *   <li>{@code config}: the settings the builder validated, and the table filter;
 *   <li>{@code server}: probing the server (version, binlog settings, GTIDs, purged binlogs) and
 *       turning its errors into exceptions that name the fix;
 *   <li>the start decision (here): resume from the checkpoint, or take a snapshot first;
 *   <li>{@code snapshot}: the snapshot at one point, and how its rows reach the handler;
 *   <li>{@code watermark}: the lock-free snapshot that runs with the stream;
 *   <li>{@code stream}: the binlog connection, its events decoded and dispatched to the handler;
 *   <li>{@code save}: save points and checkpoints, the one writer of the position store.
 * </ol>
 *
 * <p>A package imports only packages later in this order: {@code watermark} → {@code snapshot},
 * {@code stream} → {@code save}, {@code config} → {@code server}.
 */
package io.canal4j.internal;
