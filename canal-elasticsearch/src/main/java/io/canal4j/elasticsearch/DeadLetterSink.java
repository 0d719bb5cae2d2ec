package io.canal4j.elasticsearch;

/**
 * Where documents the cluster refused for good go, instead of stopping the canal. Called on one of
 * the indexer's sender threads; a document handed here counts as written, so the position moves
 * past it. An exception thrown here stops the indexer as a refused document would have.
 */
@FunctionalInterface
public interface DeadLetterSink {
  void accept(FailedDocument document) throws Exception;
}
