package io.canal4j.elasticsearch.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Plain HTTP to the cluster with the JDK's client: the same {@code _bulk} API answers on
 * Elasticsearch 7, 8 and 9 and OpenSearch 1 to 3, where the official clients each refuse the
 * others' servers. Several endpoints are tried in turn when one cannot be reached.
 */
public final class SearchClient {
  /** A response: the status and the body. */
  public record Response(int status, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final List<URI> endpoints;
  private final String authorization; // null: none
  private final Duration requestTimeout;
  private final HttpClient http;
  private final AtomicInteger next = new AtomicInteger();

  public SearchClient(
      List<URI> endpoints,
      String authorization,
      SSLContext ssl,
      Duration connectTimeout,
      Duration requestTimeout) {
    this.endpoints = List.copyOf(endpoints);
    this.authorization = authorization;
    this.requestTimeout = requestTimeout;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    this.http = b.build();
  }

  /** The endpoint requests go to now (for messages). */
  public URI endpoint() {
    return endpoints.get(Math.floorMod(next.get(), endpoints.size()));
  }

  /**
   * Sends a request to the current endpoint; on a transport failure, moves to the next endpoint for
   * the next request and throws.
   */
  public Response send(String method, String path, byte[] body, String contentType)
      throws IOException, InterruptedException {
    int at = next.get();
    URI base = endpoints.get(Math.floorMod(at, endpoints.size()));
    HttpRequest.Builder r =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(requestTimeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      r.header("Content-Type", contentType);
    }
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    try {
      HttpResponse<byte[]> response = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      next.compareAndSet(at, at + 1);
      throw e;
    }
  }
}
