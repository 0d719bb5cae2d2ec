package io.canal4j;

/**
 * TLS for the canal's connections to the server, the binlog stream and JDBC alike, with the
 * meanings MySQL's clients give these modes.
 */
public enum SslMode {
  /** Plain TCP; a server with {@code require_secure_transport=ON} refuses it. */
  DISABLED,
  /** TLS when the server offers it, without checking its certificate; else plain TCP (default). */
  PREFERRED,
  /** TLS or fail; the certificate is not checked (encryption, no protection from impostors). */
  REQUIRED,
  /** TLS with a certificate signed by a CA in the trust store (or the JVM's default one). */
  VERIFY_CA,
  /** As {@link #VERIFY_CA}, and the certificate names the host the canal connects to. */
  VERIFY_IDENTITY;

  /** Whether this mode checks the server's certificate. */
  public boolean verifies() {
    return this == VERIFY_CA || this == VERIFY_IDENTITY;
  }
}
