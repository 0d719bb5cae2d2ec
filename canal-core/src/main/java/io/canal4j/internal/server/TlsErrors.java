package io.canal4j.internal.server;

import static io.canal4j.schema.internal.MysqlErrors.ER_SECURE_TRANSPORT_REQUIRED;

import io.canal4j.SslMode;
import io.canal4j.error.ServerException;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.sql.SQLException;

/**
 * Failures of TLS between the canal and its server, told in the canal's settings: which mode, which
 * trust store, and what to change. Connector/J and the binlog client report these as a lost link
 * with the handshake's exception somewhere in the causes.
 */
public final class TlsErrors {

  private TlsErrors() {}

  /**
   * A message for {@code t} if TLS explains it, else null.
   *
   * @param mode the canal's {@code sslMode}
   * @param trustStore the canal's {@code trustStore}, or null for the JVM's default
   * @param host the host the canal connects to
   */
  public static ServerException explain(
      Throwable t, SslMode mode, Path trustStore, String host, String where) {
    String trust =
        trustStore != null
            ? "trustStore(" + trustStore + ")"
            : "the JVM's default trust store (no trustStore(...) set)";
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = String.valueOf(c.getMessage());
      if ((c instanceof SQLException s && s.getErrorCode() == ER_SECURE_TRANSPORT_REQUIRED)
          || m.contains("insecure transport are prohibited")) {
        return permanent(
            "the server at "
                + where
                + " accepts only TLS connections (require_secure_transport=ON), and sslMode("
                + mode
                + ") connects without: set sslMode(REQUIRED) or stronger",
            t);
      }
      if (m.contains("identity check failed")
          || m.contains("No subject alternative")
          || m.contains("doesn't match")
          || m.contains("does not match")) {
        return permanent(
            "the certificate of the server at "
                + where
                + " does not name the host "
                + host
                + ", which sslMode(VERIFY_IDENTITY) requires: connect by a name the certificate"
                + " holds, give the server a certificate for this host, or use sslMode(VERIFY_CA)"
                + " (the CA is still checked) ["
                + m
                + "]",
            t);
      }
      if (c instanceof CertPathValidatorException
          || c instanceof CertPathBuilderException
          || m.contains("PKIX path")) {
        return permanent(
            "the certificate of the server at "
                + where
                + " is not signed by a CA in "
                + trust
                + ", which sslMode("
                + mode
                + ") requires: import the CA that signed it (MySQL's own: ca.pem in its data"
                + " dir) into the trust store, or use sslMode(REQUIRED) to encrypt without"
                + " checking",
            t);
      }
      if (m.contains("does not support SSL")
          || m.contains("not support SSL")
          || m.contains("SSL connection required")) {
        return permanent(
            "the server at "
                + where
                + " offers no TLS, which sslMode("
                + mode
                + ") requires: configure TLS on the server (ssl_cert, ssl_key) or use"
                + " sslMode(PREFERRED)",
            t);
      }
    }
    return null;
  }

  private static ServerException permanent(String message, Throwable cause) {
    return new ServerException(message, 0, null, false, cause);
  }
}
