package io.canal4j.elasticsearch;

/**
 * The indexer cannot go on: a document the cluster refused, a mapping that does not fit the table,
 * credentials the cluster does not take. Thrown from the handler's methods, so the canal stops
 * (state FAILED) without saving a position past the documents not written; the message names the
 * document, the table, the binlog position, the cluster's reason and the fix.
 */
public class IndexerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IndexerException(String message) {
    super(message);
  }

  public IndexerException(String message, Throwable cause) {
    super(message, cause);
  }
}
