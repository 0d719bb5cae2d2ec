package io.canal4j.elasticsearch.internal;

import com.fasterxml.jackson.core.JsonFactory;
import io.canal4j.elasticsearch.DeadLetterSink;
import io.canal4j.elasticsearch.FailedDocument;
import io.canal4j.elasticsearch.IndexerException;
import io.canal4j.elasticsearch.IndexerStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * Sends one batch until every item is applied, set aside or refused for good.
 *
 * <ul>
 *   <li>A lost connection, a timeout, or a whole request answered 429 or 5xx: the batch again,
 *       after a backoff that doubles up to its maximum, for as long as it takes (a cluster that is
 *       down makes the canal wait, it loses nothing).
 *   <li>Items answered 429 or 5xx: those items alone again, after the backoff.
 *   <li>A version conflict (409): the cluster has this version of the document or a newer one, so
 *       the item counts as applied. A delete of a document that is not there (404) is done.
 *   <li>Any other item error (a mapping or parse error, an id too long): to the dead-letter sink if
 *       there is one, else an {@link IndexerException} naming the document and the fix.
 * </ul>
 *
 * A batch's items are sent in order and one batch at a time per lane, so the versions the cluster
 * sees for a document only grow, except for a retried item, which the version check then settles.
 */
public final class BulkSender {
  private static final String NDJSON = "application/x-ndjson";

  /** The indexer's counters, shared by its lanes. */
  public static final class Counters {
    final AtomicLong indexed = new AtomicLong();
    final AtomicLong deleted = new AtomicLong();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong requests = new AtomicLong();

    public IndexerStats snapshot() {
      return new IndexerStats(
          indexed.get(),
          deleted.get(),
          stale.get(),
          retried.get(),
          deadLettered.get(),
          requests.get());
    }
  }

  private final SearchClient client;
  private final JsonFactory json;
  private final DeadLetterSink deadLetters; // null: fail-stop
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Counters counters;
  private final Logger log;
  private final String prefix;

  public BulkSender(
      SearchClient client,
      JsonFactory json,
      DeadLetterSink deadLetters,
      Duration initialBackoff,
      Duration maxBackoff,
      Counters counters,
      Logger log,
      String name) {
    this.client = client;
    this.json = json;
    this.deadLetters = deadLetters;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.counters = counters;
    this.log = log;
    this.prefix = "[" + name + "] ";
  }

  /**
   * Sends {@code items} until each is done.
   *
   * @param stopping true once the indexer is closing without waiting: then retries give up
   * @throws IndexerException for a document refused for good (without a dead-letter sink) or a
   *     request the cluster will never take (credentials, size)
   * @throws InterruptedException when interrupted while waiting, or stopping
   */
  public void send(List<BulkItem> items, BooleanSupplier stopping) throws InterruptedException {
    List<BulkItem> pending = items;
    int attempt = 0;
    while (!pending.isEmpty()) {
      if (stopping.getAsBoolean()) {
        throw new InterruptedException("the indexer is closing");
      }
      SearchClient.Response r;
      try {
        r = client.send("POST", "/_bulk", body(pending), NDJSON);
      } catch (IOException e) {
        attempt =
            retry(
                attempt,
                pending.size(),
                "the cluster at " + client.endpoint() + " could not be reached: " + e);
        continue;
      }
      counters.requests.incrementAndGet();
      int status = r.status();
      if (status == 429 || status >= 500) {
        attempt =
            retry(attempt, pending.size(), "the cluster answered " + status + ": " + snippet(r));
        continue;
      }
      if (status != 200) {
        throw new IndexerException(requestRefused(status, r, pending));
      }
      List<BulkResponse.Item> results;
      try {
        results = BulkResponse.items(json, r.body());
      } catch (IOException e) {
        throw new IndexerException(
            "the cluster's bulk response could not be read (" + e.getMessage() + "): " + snippet(r),
            e);
      }
      if (results.size() != pending.size()) {
        throw new IndexerException(
            "the cluster answered "
                + results.size()
                + " items to a bulk request of "
                + pending.size());
      }
      List<BulkItem> again = new ArrayList<>();
      BulkResponse.Item lastRetried = null;
      for (int i = 0; i < results.size(); i++) {
        BulkItem item = pending.get(i);
        BulkResponse.Item result = results.get(i);
        if (result.ok()) {
          (item.delete() ? counters.deleted : counters.indexed).incrementAndGet();
        } else if (result.status() == 404 && item.delete()) {
          counters.deleted.incrementAndGet(); // already gone
        } else if (result.status() == 409
            && "version_conflict_engine_exception".equals(result.errorType())) {
          counters.stale.incrementAndGet(); // the cluster holds this version or a newer one
        } else if (result.status() == 429 || result.status() >= 500) {
          again.add(item);
          lastRetried = result;
        } else {
          refused(item, result);
        }
      }
      if (!again.isEmpty()) {
        counters.retried.addAndGet(again.size());
        attempt =
            retry(
                attempt,
                again.size(),
                again.size()
                    + " of "
                    + pending.size()
                    + " items were answered "
                    + lastRetried.describe());
      } else {
        attempt = 0;
      }
      pending = again;
    }
  }

  private int retry(int attempt, int items, String why) throws InterruptedException {
    long delay =
        Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt, 20));
    if (attempt == 0 || attempt % 10 == 0) {
      log.warn(
          "{}bulk request not done: {}; sending {} items again in {} ms (attempt {})",
          prefix,
          why,
          items,
          delay,
          attempt + 1);
    } else {
      log.debug(
          "{}bulk request not done: {}; again in {} ms (attempt {})",
          prefix,
          why,
          delay,
          attempt + 1);
    }
    Thread.sleep(delay);
    return attempt + 1;
  }

  private void refused(BulkItem item, BulkResponse.Item result) {
    FailedDocument doc =
        new FailedDocument(
            item.table(),
            item.index(),
            item.id(),
            item.action(),
            item.position(),
            result.status(),
            (result.errorType() == null ? "" : result.errorType() + ": ") + result.reason(),
            item.source());
    if (deadLetters == null) {
      throw new IndexerException(
          "the cluster refused to "
              + item.action()
              + " document "
              + item.id()
              + " of table "
              + item.table()
              + " in index "
              + item.index()
              + " (binlog position "
              + item.position()
              + "): "
              + result.describe()
              + ". Fix the index's mapping or the column's values (a field mapped as another type, a"
              + " value out of range, an id over 512 bytes), or give the indexer a deadLetters(...)"
              + " sink to set such documents aside. The canal saved no position past this document,"
              + " so a restart writes it again");
    }
    try {
      deadLetters.accept(doc);
    } catch (Exception e) {
      throw new IndexerException(
          "the dead-letter sink failed on document "
              + item.id()
              + " of table "
              + item.table()
              + ": "
              + e,
          e);
    }
    counters.deadLettered.incrementAndGet();
    log.warn(
        "{}document {} of {} refused by the cluster ({}) and handed to the dead-letter sink ({} so far)",
        prefix,
        item.id(),
        item.table(),
        result.describe(),
        counters.deadLettered.get());
  }

  private String requestRefused(int status, SearchClient.Response r, List<BulkItem> pending) {
    String what =
        "the cluster at "
            + client.endpoint()
            + " refused a bulk request of "
            + pending.size()
            + " items with "
            + status
            + ": "
            + snippet(r)
            + ". ";
    if (status == 401 || status == 403) {
      return what
          + "Check the indexer's credentials (basicAuth or apiKey) and that the user may"
          + " write to the indices (privileges: index, delete, create_index)";
    }
    if (status == 413) {
      return what
          + "The request is larger than the cluster takes (http.max_content_length):"
          + " lower bulkBytes(...)";
    }
    return what + "Check the endpoint: it must be the cluster's HTTP address";
  }

  private static String snippet(SearchClient.Response r) {
    String t = r.text();
    return t.length() <= 500 ? t : t.substring(0, 500) + "...";
  }

  private static byte[] body(List<BulkItem> items) {
    int size = 0;
    for (BulkItem i : items) {
      size += i.lines().length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    for (BulkItem i : items) {
      out.writeBytes(i.lines());
    }
    return out.toByteArray();
  }
}
