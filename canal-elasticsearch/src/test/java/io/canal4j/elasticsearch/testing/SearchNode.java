package io.canal4j.elasticsearch.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * One in-JVM OpenSearch 2.19 node for the whole test JVM (started on first use, stopped at exit),
 * and the few HTTP calls tests make to it.
 */
public final class SearchNode {
  private static SearchNode shared;

  private final OpenSearchRunner runner;
  private final String url;
  private final HttpClient http = HttpClient.newHttpClient();

  private SearchNode(OpenSearchRunner runner, String url) {
    this.runner = runner;
    this.url = url;
  }

  /** The JVM's node. */
  public static synchronized SearchNode shared() throws IOException {
    if (shared == null) {
      Path dir = Files.createTempDirectory("canal4j-opensearch");
      OpenSearchRunner runner = new OpenSearchRunner();
      runner.onBuild(
          (number, settings) -> {
            settings.put("discovery.type", "single-node");
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
          });
      runner.build(
          OpenSearchRunner.newConfigs()
              .numOfNode(1)
              .clusterName("canal4j-test")
              .basePath(dir.toString())
              .disableESLogger());
      runner.ensureYellow();
      String port = runner.node().settings().get("http.port");
      shared = new SearchNode(runner, "http://127.0.0.1:" + port);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      runner.close();
                      runner.clean();
                    } catch (IOException e) {
                      // the JVM is going anyway
                    }
                  }));
    }
    return shared;
  }

  public String url() {
    return url;
  }

  public int port() {
    return URI.create(url).getPort();
  }

  /** A request; returns the status and body. */
  public Response call(String method, String path, String body) throws IOException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Status and body of a response. */
  public record Response(int status, String body) {}

  public void refresh(String index) throws IOException {
    call("POST", "/" + index + "/_refresh", null);
  }

  public void deleteIndex(String index) throws IOException {
    call("DELETE", "/" + index, null);
  }

  /**
   * Every document of {@code index}, by id, after a refresh. Read with the scroll API: a plain
   * search returns at most 10,000 hits ({@code index.max_result_window}).
   */
  @SuppressWarnings("unchecked")
  public Map<String, Map<String, Object>> documents(String index) throws IOException {
    refresh(index);
    Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
    Response r =
        call("POST", "/" + index + "/_search?scroll=1m&size=5000", "{\"sort\":[\"_doc\"]}");
    if (r.status() == 404) {
      return docs;
    }
    while (true) {
      if (r.status() != 200) {
        throw new IOException("search of " + index + " answered " + r.status() + ": " + r.body());
      }
      Map<String, Object> page = Json.object(r.body());
      List<Object> hits = (List<Object>) ((Map<String, Object>) page.get("hits")).get("hits");
      for (Object h : hits) {
        Map<String, Object> hit = (Map<String, Object>) h;
        docs.put((String) hit.get("_id"), (Map<String, Object>) hit.get("_source"));
      }
      String scroll = (String) page.get("_scroll_id");
      if (hits.isEmpty()) {
        call("DELETE", "/_search/scroll", "{\"scroll_id\":[\"" + scroll + "\"]}");
        return docs;
      }
      r = call("POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\"" + scroll + "\"}");
    }
  }
}
