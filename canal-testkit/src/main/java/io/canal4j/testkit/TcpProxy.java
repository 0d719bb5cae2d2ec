package io.canal4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP forwarder between a client under test and a server, for injecting network faults: point the
 * client at {@code 127.0.0.1:}{@link #port()}, then {@link #cutConnections()} to reset every open
 * connection (the client sees "connection reset", as after a network failure or a server crash,
 * while the server itself stays up) or {@link #setRefusing(boolean)} to make reconnects fail. Like
 * mysql-binlog-connector-java's {@code TCPReverseProxy} test helper.
 *
 * <p>Each connection uses two daemon threads named {@code canal-tcpproxy-<port>-<n>-up/down}; bytes
 * are forwarded unchanged. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket listener;
  private final String prefix;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicInteger linkNumber = new AtomicInteger();
  private volatile boolean refusing;
  private volatile boolean closed;

  private TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.prefix = "tcpproxy " + listener.getLocalPort() + "->" + targetHost + ":" + targetPort;
  }

  /** Starts forwarding from a free port on 127.0.0.1 to {@code targetHost:targetPort}. */
  public static TcpProxy start(String targetHost, int targetPort) throws IOException {
    Objects.requireNonNull(targetHost, "targetHost");
    TcpProxy proxy = new TcpProxy(targetHost, targetPort);
    Thread acceptor = new Thread(proxy::acceptLoop, "canal-tcpproxy-" + proxy.port() + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    log.info("[{}] started", proxy.prefix);
    return proxy;
  }

  /** A proxy in front of a server. */
  public static TcpProxy start(SandboxServer server) throws IOException {
    return start(server.host(), server.port());
  }

  /** The host clients connect to: {@code "127.0.0.1"}. */
  public String host() {
    return "127.0.0.1";
  }

  /** The port clients connect to. */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * Resets every open connection on both sides at once (SO_LINGER 0, so a RST rather than a FIN):
   * the client's next read or write fails. New connections are still accepted.
   *
   * @return how many connections were cut
   */
  public int cutConnections() {
    List<Link> current = List.copyOf(links);
    current.forEach(Link::reset);
    log.info("[{}] cut {} connection(s)", prefix, current.size());
    return current.size();
  }

  /**
   * While {@code true}, new connections are accepted and reset at once, so clients fail to connect;
   * open connections are left alone (combine with {@link #cutConnections()}).
   */
  public void setRefusing(boolean refusing) {
    this.refusing = refusing;
    log.info("[{}] {} new connections", prefix, refusing ? "refusing" : "accepting");
  }

  /** Connections currently open through the proxy. */
  public int connectionCount() {
    return links.size();
  }

  /** Connections forwarded since the proxy started (refused ones excluded); shows reconnects. */
  public long totalConnections() {
    return accepted.get();
  }

  /** Stops listening and resets all connections. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      log.debug("[{}] closing listener: {}", prefix, e.toString());
    }
    List.copyOf(links).forEach(Link::reset);
    log.info("[{}] closed", prefix);
  }

  @Override
  public String toString() {
    return prefix;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("[{}] accept failed; proxy stops: {}", prefix, e.toString());
        }
        return;
      }
      if (refusing) {
        resetQuietly(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MILLIS);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
      } catch (IOException e) {
        log.info("[{}] cannot reach the target: {}", prefix, e.toString());
        resetQuietly(client);
        resetQuietly(upstream);
        continue;
      }
      accepted.incrementAndGet();
      new Link(client, upstream, linkNumber.incrementAndGet()).start();
    }
  }

  private static void resetQuietly(Socket socket) {
    try {
      if (!socket.isClosed()) {
        socket.setSoLinger(true, 0);
      }
    } catch (IOException e) {
      // closing below is all that matters
    }
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  /** One client connection and its upstream twin. */
  private final class Link {
    private final Socket client;
    private final Socket upstream;
    private final int number;
    private final AtomicInteger openDirections = new AtomicInteger(2);

    Link(Socket client, Socket upstream, int number) {
      this.client = client;
      this.upstream = upstream;
      this.number = number;
    }

    void start() {
      links.add(this);
      pump(client, upstream, "up");
      pump(upstream, client, "down");
      log.debug("[{}] connection {} opened", prefix, number);
    }

    private void pump(Socket from, Socket to, String direction) {
      Thread thread =
          new Thread(
              () -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                  InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream();
                  for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                  }
                  to.shutdownOutput(); // pass the FIN on; the other direction may continue
                  if (openDirections.decrementAndGet() == 0) {
                    close();
                  }
                } catch (IOException e) {
                  reset();
                }
              },
              "canal-tcpproxy-" + port() + "-" + number + "-" + direction);
      thread.setDaemon(true);
      thread.start();
    }

    void reset() {
      if (links.remove(this)) {
        log.debug("[{}] connection {} reset", prefix, number);
      }
      resetQuietly(client);
      resetQuietly(upstream);
    }

    private void close() {
      links.remove(this);
      try {
        client.close();
        upstream.close();
      } catch (IOException e) {
        reset();
      }
    }
  }
}
