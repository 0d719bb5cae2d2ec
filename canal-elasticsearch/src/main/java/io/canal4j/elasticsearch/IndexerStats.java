package io.canal4j.elasticsearch;

/**
 * Counts since the indexer started.
 *
 * @param indexed documents written (created or replaced)
 * @param deleted documents deleted, and deletes of documents that were already gone
 * @param staleSkipped items the cluster refused with a version conflict: it already had the same or
 *     a newer version of the document (a replay after a restart), so they count as applied
 * @param retried items sent again after a 429, a 5xx or a lost connection
 * @param deadLettered documents handed to the {@link DeadLetterSink}
 * @param bulkRequests bulk requests answered
 */
public record IndexerStats(
    long indexed,
    long deleted,
    long staleSkipped,
    long retried,
    long deadLettered,
    long bulkRequests) {}
