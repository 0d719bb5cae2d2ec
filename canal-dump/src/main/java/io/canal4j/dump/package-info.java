/**
 * Reading existing rows: consistent snapshot points, primary-key chunking, parallel and resumable
 * table reads. The snapshot capability is delivered by its own issue; this package is the seam the
 * core calls when a canal starts without a saved position and a snapshot is requested.
 */
package io.canal4j.dump;
