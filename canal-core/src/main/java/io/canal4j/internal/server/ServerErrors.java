package io.canal4j.internal.server;

import static io.canal4j.schema.internal.MysqlErrors.ER_ACCESS_DENIED_ERROR;
import static io.canal4j.schema.internal.MysqlErrors.ER_MASTER_FATAL_ERROR_READING_BINLOG;
import static io.canal4j.schema.internal.MysqlErrors.ER_SPECIFIC_ACCESS_DENIED_ERROR;

import io.canal4j.error.CanalException;
import io.canal4j.error.ServerException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.util.Locale;

/**
 * Turns what JDBC and the binlog connector throw into a {@link ServerException} whose message names
 * the cause and the fix. The raw exception stays attached as the cause.
 */
public final class ServerErrors {

  /** Why a canal stops on a compressed binlog, which the stream cannot decode yet. */
  public static final String COMPRESSED =
      "the server compresses its binlog (binlog_transaction_compression=ON), which this canal4j"
          + " version cannot read yet: set binlog_transaction_compression=OFF";

  private ServerErrors() {}

  /** A failure talking to the server at {@code where} while doing {@code what}. */
  public static CanalException translate(Throwable t, String where, String user, String what) {
    if (t instanceof CanalException c) {
      return c;
    }
    int code = 0;
    String state = null;
    String serverMessage = t.getMessage();
    if (t instanceof SQLException s) {
      code = s.getErrorCode();
      state = s.getSQLState();
    } else if (t instanceof com.github.shyiko.mysql.binlog.network.ServerException s) {
      code = s.getErrorCode();
      state = s.getSqlState();
    }
    if (code == ER_ACCESS_DENIED_ERROR
        || (serverMessage != null && serverMessage.contains("Access denied"))
            && code != ER_SPECIFIC_ACCESS_DENIED_ERROR) {
      return new ServerException(
          "access denied for user '"
              + user
              + "' at "
              + where
              + " while "
              + what
              + ": check the user name and password (server said: "
              + serverMessage
              + ")",
          code,
          state,
          false,
          t);
    }
    if (code == ER_SPECIFIC_ACCESS_DENIED_ERROR) {
      return new ServerException(
          "user '"
              + user
              + "' lacks a privilege at "
              + where
              + " while "
              + what
              + ": grant what the server names, e.g. GRANT REPLICATION SLAVE, REPLICATION CLIENT,"
              + " SELECT ON *.* TO '"
              + user
              + "'@'%' (server said: "
              + serverMessage
              + ")",
          code,
          state,
          false,
          t);
    }
    if (code == ER_MASTER_FATAL_ERROR_READING_BINLOG) {
      String text = serverMessage == null ? "" : serverMessage.toLowerCase(Locale.ROOT);
      String fix;
      if (text.contains("same server_uuid") || text.contains("same server_id")) {
        fix =
            "another replica connected with the same server id; give each canal a unique serverId";
      } else if (text.contains("purged")
          || text.contains("could not find first log")
          || text.contains("could not find gtid")
          || text.contains("not in the master's binlog")
          || text.contains("gtid")) {
        fix =
            "the binlog to resume from is no longer on the server (purged, or the position is"
                + " from another server). Restore a position the server still has, or delete"
                + " the saved position to start from the current one (changes in between are"
                + " then missed); keep binlogs longer with binlog_expire_logs_seconds";
      } else if (text.contains("max_allowed_packet")) {
        fix = "an event is larger than the server's max_allowed_packet; raise max_allowed_packet";
      } else {
        fix =
            "the position is not the start of an event in that binlog file (edited, or from"
                + " another server); restore a position canal4j saved on this server, or delete"
                + " the saved position to start from the current one (changes in between are"
                + " then missed)";
      }
      return new ServerException(
          "the server refused to stream the binlog at "
              + where
              + " while "
              + what
              + ": "
              + fix
              + " (server said: "
              + serverMessage
              + ")",
          code,
          state,
          false,
          t);
    }
    if (serverMessage != null && serverMessage.contains("Public Key Retrieval is not allowed")) {
      return new ServerException(
          "the server at "
              + where
              + " authenticates '"
              + user
              + "' with caching_sha2_password and the connection has no TLS: enable TLS on the"
              + " server, or allow the key exchange with jdbcUrl(...?allowPublicKeyRetrieval=true)",
          code,
          state,
          false,
          t);
    }
    Throwable root = rootCause(t);
    if (root instanceof ConnectException
        || root instanceof UnknownHostException
        || root instanceof NoRouteToHostException
        || root instanceof SocketTimeoutException) {
      return new ServerException(
          "cannot reach the server at "
              + where
              + " while "
              + what
              + " ("
              + root
              + "): check that the server is running and that host and port are right",
          code,
          state,
          true,
          t);
    }
    // An error packet from the server (the connector's ServerException) needs a person; a broken
    // or timed-out connection does not.
    boolean serverSaidNo = t instanceof com.github.shyiko.mysql.binlog.network.ServerException;
    boolean transientFault =
        !serverSaidNo
            && (root instanceof IOException
                || root instanceof EOFException
                || (state != null && state.startsWith("08")));
    return new ServerException(
        "server error at " + where + " while " + what + ": " + t, code, state, transientFault, t);
  }

  public static Throwable rootCause(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r;
  }

  /**
   * Whether {@code e} says the connection broke (SQL state 08, a recoverable or connection
   * exception, a socket error), or is a transient {@link ServerException}: a read worth trying
   * again on a new connection.
   */
  public static boolean isConnectionLost(Exception e) {
    if (e instanceof ServerException se) {
      return se.isTransient(); // e.g. information_schema unreadable because the connection broke
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if ((state != null && state.startsWith("08"))
            || sql instanceof SQLRecoverableException
            || sql instanceof SQLNonTransientConnectionException) {
          return true;
        }
      }
      // Connector/J reports a broken socket while draining a result without a SQL state.
      if (t instanceof IOException
          || t.getClass().getSimpleName().contains("CommunicationsException")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
