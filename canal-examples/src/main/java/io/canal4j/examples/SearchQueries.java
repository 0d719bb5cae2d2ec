package io.canal4j.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few OpenSearch requests the demo makes, over plain HTTP with the JDK's client: what a user
 * would send from any language. A missing index reads as empty (the indexer creates each index with
 * its first document).
 */
final class SearchQueries {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String endpoint;

  SearchQueries(String endpoint) {
    this.endpoint = endpoint;
  }

  /** {@code _search} on {@code index} with {@code body}; the parsed response. */
  Object search(String index, String body) throws IOException, InterruptedException {
    return Json.parse(send("POST", "/" + index + "/_search?ignore_unavailable=true", body));
  }

  /** The documents an index holds for search now (what its last refresh made visible). */
  long count(String index) throws IOException, InterruptedException {
    return Json.number(
        Json.parse(send("GET", "/" + index + "/_count?ignore_unavailable=true", null)), "count");
  }

  /** Makes every document written so far visible to search (OpenSearch does so every second). */
  void refresh(String... indices) throws IOException, InterruptedException {
    send("POST", "/" + String.join(",", indices) + "/_refresh?ignore_unavailable=true", null);
  }

  /** Every document of a small index: id to source. */
  Map<String, Map<String, Object>> documents(String index)
      throws IOException, InterruptedException {
    Object response = search(index, "{\"size\":10000,\"query\":{\"match_all\":{}}}");
    Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
    for (Object hit : Json.array(response, "hits", "hits")) {
      docs.put((String) Json.at(hit, "_id"), Json.object(hit, "_source"));
    }
    return docs;
  }

  private String send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
