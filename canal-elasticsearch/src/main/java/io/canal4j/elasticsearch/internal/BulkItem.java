package io.canal4j.elasticsearch.internal;

import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import java.nio.charset.StandardCharsets;

/**
 * One action of a bulk request: its lines (action and, for an index, the document) and what a
 * message about it needs.
 */
public record BulkItem(
    TableId table,
    String index,
    String id,
    boolean delete,
    Position position,
    long version,
    byte[] lines,
    int sourceOffset) {

  public String action() {
    return delete ? "delete" : "index";
  }

  /** The document's JSON, empty for a delete. */
  public String source() {
    if (delete) {
      return "";
    }
    return new String(lines, sourceOffset, lines.length - sourceOffset - 1, StandardCharsets.UTF_8);
  }
}
