package io.canal4j.dump;

/**
 * A chunk's key bounds do not fit the table's primary key any more: the key changed (columns or
 * types) since the chunk was planned. The chunk cannot be read; the table must be planned again.
 */
public final class ChunkMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  ChunkMismatchException(String message) {
    super(message);
  }
}
