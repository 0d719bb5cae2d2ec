package io.canal4j.internal.stream;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.DefaultSSLSocketFactory;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import io.canal4j.error.CanalException;
import io.canal4j.internal.config.CanalConfig;
import io.canal4j.internal.config.CanalLog;
import io.canal4j.internal.config.CanalThreads;
import io.canal4j.internal.config.TrustStores;
import io.canal4j.internal.server.ServerErrors;
import io.canal4j.internal.server.ServerInfo;
import io.canal4j.schema.Position;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One binlog connection, read on the calling (canal) thread until it ends. The connector's own
 * reconnect thread is off: reconnecting is the runner's job, from the last transaction end.
 */
public final class BinlogSession {
  private final EventDispatcher dispatcher;
  private final BinaryLogClient client;
  private final CanalLog log;
  private final AtomicReference<Exception> fault = new AtomicReference<>();
  private volatile boolean connected;
  private volatile Socket socket;

  /**
   * @param source the server and how to reach it
   * @param heartbeatInterval how often an idle server sends a heartbeat (zero: never)
   */
  public BinlogSession(
      CanalConfig.Source source,
      CanalThreads threads,
      CanalLog log,
      EventDispatcher dispatcher,
      ServerInfo server,
      Duration heartbeatInterval) {
    this.dispatcher = dispatcher;
    this.log = log.under(BinlogSession.class);
    BinaryLogClient c =
        new BinaryLogClient(source.host(), source.port(), source.user(), source.password());
    c.setServerId(source.serverId());
    c.setSSLMode(SSLMode.valueOf(source.sslMode().name()));
    if (source.trustStore() != null) {
      // The connector checks the chain with the context its factory makes, and the host name
      // itself under VERIFY_IDENTITY.
      Path store = source.trustStore();
      String password = source.trustStorePassword();
      c.setSslSocketFactory(
          new DefaultSSLSocketFactory() {
            @Override
            protected void initSSLContext(SSLContext sc) throws GeneralSecurityException {
              TrustManagerFactory tmf =
                  TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
              tmf.init(TrustStores.load(store, password));
              sc.init(null, tmf.getTrustManagers(), null);
            }
          });
    }
    // Positions are counted by event lengths where the server writes end_log_pos 0 (MariaDB
    // 11.4+): Annotate_rows events, skipped otherwise, must come too, or the count falls short.
    c.setUseSendAnnotateRowsEvent(server != null && server.zeroEndPositions());
    c.setKeepAlive(false);
    c.setBlocking(true);
    c.setConnectTimeout(source.connectTimeout().toMillis());
    long heartbeat = heartbeatInterval.toMillis();
    c.setHeartbeatInterval(heartbeat);
    // Without keep-alive, a dead peer is noticed by a read timeout: three missed heartbeats.
    int readTimeout = heartbeat > 0 ? (int) Math.max(heartbeat * 3, 1000) : 0;
    c.setSocketFactory(
        () -> {
          Socket s = new Socket();
          s.setSoTimeout(readTimeout);
          s.setTcpNoDelay(true);
          socket = s;
          return s;
        });
    c.setThreadFactory(r -> threads.helper(r, "connect-timer"));
    c.setEventDeserializer(BinlogDeserializers.create(dispatcher::decoderFor));
    c.registerEventListener(dispatcher);
    c.registerLifecycleListener(
        new BinaryLogClient.AbstractLifecycleListener() {
          @Override
          public void onConnect(BinaryLogClient client) {
            connected = true;
          }

          @Override
          public void onCommunicationFailure(BinaryLogClient client, Exception ex) {
            fault.compareAndSet(null, ex);
          }

          @Override
          public void onEventDeserializationFailure(BinaryLogClient client, Exception ex) {
            if (ServerErrors.rootCause(ex) instanceof IOException) {
              // A read timeout or reset in the middle of an event: a connection fault.
              fault.compareAndSet(null, ex);
              closeSocket();
              return;
            }
            // The connector would skip the event and go on: that would lose data.
            dispatcher.fail(
                new CanalException(
                    "cannot decode a binlog event after "
                        + dispatcher.committed()
                        + ": "
                        + ex.getMessage(),
                    ex));
          }
        });
    this.client = c;
  }

  /**
   * Streams from {@code from} until the connection ends.
   *
   * @param onConnected runs once the server accepted the dump request
   * @return the fault that ended the connection, or null when it was closed on purpose
   */
  public Exception run(Position from, boolean byGtid, Runnable onConnected) {
    dispatcher.beginSession(client, from, byGtid);
    if (byGtid) {
      client.setGtidSet(from.gtids().toString());
    } else {
      client.setBinlogFilename(from.file());
      client.setBinlogPosition(from.offset());
    }
    client.registerLifecycleListener(
        new BinaryLogClient.AbstractLifecycleListener() {
          @Override
          public void onConnect(BinaryLogClient c) {
            log.info("streaming from {}{}", from, byGtid ? " (by GTID)" : " (by file/offset)");
            onConnected.run();
          }
        });
    try {
      client.connect();
    } catch (IOException | RuntimeException e) {
      return e;
    }
    return fault.get();
  }

  /** Whether the connection has no bytes waiting to be read (false when unknown). */
  public boolean idle() {
    Socket s = socket;
    if (s == null || s.isClosed()) {
      return false;
    }
    try {
      return s.getInputStream().available() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  public boolean connected() {
    return connected;
  }

  /**
   * Ends the connection by closing its socket, from any thread: the read loop on the canal thread
   * then ends. (The connector's disconnect() waits on its connect lock and swallows the caller's
   * interrupt, so it is not used from other threads.) A connection still being opened notices at
   * its first event, through the dispatcher's stop flag.
   */
  public void disconnect() {
    closeSocket();
  }

  private void closeSocket() {
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        log.debug("closing the binlog socket: {}", e.toString());
      }
    }
  }
}
