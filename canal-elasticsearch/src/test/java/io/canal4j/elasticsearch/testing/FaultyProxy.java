package io.canal4j.elasticsearch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of a search node that misbehaves on cue, the way a loaded cluster does:
 * whole requests answered 429 or 503, or bulk requests whose every n-th item is answered 429
 * (rejected, not applied) while the others are applied. Faults are queued and used up one request
 * at a time; then it forwards everything.
 */
public final class FaultyProxy implements AutoCloseable {
  private sealed interface Fault permits Whole, Items {}

  private record Whole(int status) implements Fault {}

  private record Items(int every) implements Fault {}

  private final HttpServer server;
  private final ExecutorService pool;
  private final String target;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ArrayDeque<Fault> faults = new ArrayDeque<>();
  private final AtomicInteger wholeInjected = new AtomicInteger();
  private final AtomicInteger itemsInjected = new AtomicInteger();

  public FaultyProxy(String target) throws IOException {
    this.target = target;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "faulty-proxy");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The next {@code requests} bulk requests are answered {@code status} and not forwarded. */
  public synchronized FaultyProxy answer(int status, int requests) {
    for (int i = 0; i < requests; i++) {
      faults.add(new Whole(status));
    }
    return this;
  }

  /** In the next {@code requests} bulk requests, every {@code every}-th item is rejected (429). */
  public synchronized FaultyProxy rejectItems(int every, int requests) {
    for (int i = 0; i < requests; i++) {
      faults.add(new Items(every));
    }
    return this;
  }

  public synchronized int faultsLeft() {
    return faults.size();
  }

  public int requestsRejected() {
    return wholeInjected.get();
  }

  public int itemsRejected() {
    return itemsInjected.get();
  }

  private synchronized Fault nextFault(String path) {
    return path.startsWith("/_bulk") ? faults.poll() : null;
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      byte[] body = x.getRequestBody().readAllBytes();
      String path = x.getRequestURI().toString();
      Fault f = nextFault(path);
      if (f instanceof Whole w) {
        wholeInjected.incrementAndGet();
        reply(
            x,
            w.status(),
            "{\"error\":\"injected by the test proxy\",\"status\":" + w.status() + "}");
        return;
      }
      if (f instanceof Items i) {
        reply(x, 200, partial(body, i.every()));
        return;
      }
      HttpResponse<byte[]> r =
          forward(x.getRequestMethod(), path, body, x.getRequestHeaders().getFirst("Content-Type"));
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(r.body());
      }
    }
  }

  private HttpResponse<byte[]> forward(String method, String path, byte[] body, String type)
      throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(target + path))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Forwards the items but every n-th, and answers as the cluster would with those rejected. */
  @SuppressWarnings("unchecked")
  private String partial(byte[] body, int every) throws IOException {
    String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
    StringBuilder kept = new StringBuilder();
    List<String> actions = new ArrayList<>();
    List<Boolean> forwarded = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      String action = Json.object(lines[i]).keySet().iterator().next();
      boolean hasSource = !action.equals("delete");
      boolean keep = (actions.size() + 1) % every != 0;
      actions.add(action);
      forwarded.add(keep);
      if (keep) {
        kept.append(lines[i]).append('\n');
        if (hasSource) {
          kept.append(lines[i + 1]).append('\n');
        }
      }
      if (hasSource) {
        i++;
      }
    }
    List<Object> upstream = List.of();
    if (kept.length() > 0) {
      HttpResponse<byte[]> r =
          forward(
              "POST",
              "/_bulk",
              kept.toString().getBytes(StandardCharsets.UTF_8),
              "application/x-ndjson");
      if (r.statusCode() != 200) {
        return new String(r.body(), StandardCharsets.UTF_8);
      }
      upstream =
          (List<Object>) Json.object(new String(r.body(), StandardCharsets.UTF_8)).get("items");
    }
    List<Object> items = new ArrayList<>();
    int next = 0;
    for (int i = 0; i < actions.size(); i++) {
      if (forwarded.get(i)) {
        items.add(upstream.get(next++));
      } else {
        itemsInjected.incrementAndGet();
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "es_rejected_execution_exception");
        error.put("reason", "rejected by the test proxy");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", new BigDecimal(429));
        result.put("error", error);
        items.add(Map.of(actions.get(i), result));
      }
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("took", new BigDecimal(1));
    response.put("errors", Boolean.TRUE);
    response.put("items", items);
    return Json.write(response);
  }

  private static void reply(HttpExchange x, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
