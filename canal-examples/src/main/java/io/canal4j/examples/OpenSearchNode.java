package io.canal4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.http.HttpServerTransport;

/**
 * A single-node OpenSearch 2.19 cluster inside this JVM, in a temporary directory, started in the
 * background so that the caller can start MariaDB meanwhile. {@link #endpoint()} waits for it;
 * {@link #close()} stops it and deletes its data.
 */
final class OpenSearchNode implements AutoCloseable {
  private final Path dir;
  private final CompletableFuture<Started> started;

  private record Started(OpenSearchRunner runner, String endpoint, Duration took) {}

  private OpenSearchNode(Path dir) {
    this.dir = dir;
    this.started = new CompletableFuture<>();
    Thread t = new Thread(this::run, "opensearch-start");
    t.setDaemon(true);
    t.start();
  }

  /** Starts a node in a new temporary directory; returns at once. */
  static OpenSearchNode startInBackground() throws IOException {
    return new OpenSearchNode(Files.createTempDirectory("canal4j-search-demo-"));
  }

  private void run() {
    long t0 = System.nanoTime();
    OpenSearchRunner runner =
        new OpenSearchRunner() {
          @Override
          public void print(String line) {
            // its directory listing and "Closed all nodes." would clutter the demo's output
          }
        };
    try {
      runner.onBuild(
          (index, settings) ->
              settings
                  .put("discovery.type", "single-node")
                  .put("network.host", "127.0.0.1")
                  // A free port from 9201 up: other nodes (or a real OpenSearch) may hold 9200.
                  .put("http.port", "9201-9299")
                  .put("transport.port", "9301-9399"));
      runner.build(
          OpenSearchRunner.newConfigs()
              .numOfNode(1)
              .clusterName("canal4j-search-demo")
              .basePath(dir.toString())
              // HTTP and the common analyzers only: without painless, ingest, reindex and the
              // other default modules a start takes about 40% less CPU, and the demo uses none
              .moduleTypes(
                  "org.opensearch.transport.Netty4Plugin,"
                      + "org.opensearch.analysis.common.CommonAnalysisPlugin")
              .disableESLogger());
      runner.ensureYellow();
      // The settings hold the range; the transport knows the port it bound.
      InetSocketAddress address =
          runner.getInstance(HttpServerTransport.class).boundAddress().publishAddress().address();
      started.complete(
          new Started(
              runner,
              "http://" + address.getHostString() + ":" + address.getPort(),
              Duration.ofNanos(System.nanoTime() - t0)));
    } catch (RuntimeException | Error e) {
      closeQuietly(runner);
      started.completeExceptionally(e);
    }
  }

  /** The node's HTTP address, e.g. {@code http://127.0.0.1:9201}; waits until it is up. */
  String endpoint() {
    return await().endpoint();
  }

  /** How long the node took to start; waits until it is up. */
  Duration startTime() {
    return await().took();
  }

  private Started await() {
    try {
      return started.join();
    } catch (CompletionException e) {
      throw new IllegalStateException("OpenSearch did not start: " + e.getCause(), e.getCause());
    }
  }

  /** Waits for the start to end, stops the node and deletes its directory. */
  @Override
  public void close() {
    Started s = started.handle((ok, failed) -> ok).join(); // null: the start failed, nothing runs
    try {
      if (s != null) {
        s.runner().close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(dir);
    }
  }

  private static void closeQuietly(OpenSearchRunner runner) {
    try {
      runner.close();
    } catch (IOException | RuntimeException e) {
      // the start failed already; its exception is the one to report
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
