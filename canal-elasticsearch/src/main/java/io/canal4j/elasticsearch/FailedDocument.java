package io.canal4j.elasticsearch;

import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;

/**
 * A document the cluster refused for good (a 4xx item other than a version conflict): what a {@link
 * DeadLetterSink} receives.
 *
 * @param table the table the row came from
 * @param index the index it was written to
 * @param id the document id
 * @param action {@code index} or {@code delete}
 * @param position the binlog position of the row's event (a snapshot row: the snapshot's point)
 * @param status the item's HTTP status
 * @param reason the cluster's error type and reason, e.g. {@code mapper_parsing_exception: failed
 *     to parse field [total]}
 * @param source the document's JSON (empty for a delete)
 */
public record FailedDocument(
    TableId table,
    String index,
    String id,
    String action,
    Position position,
    int status,
    String reason,
    String source) {}
