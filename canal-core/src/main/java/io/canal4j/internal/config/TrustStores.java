package io.canal4j.internal.config;

import io.canal4j.error.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;

/**
 * The trust store of {@code trustStore(...)}: loaded once at build() to fail early, and for TLS.
 */
public final class TrustStores {
  private TrustStores() {}

  /** The store's type by its name: JKS for {@code *.jks}, else PKCS12. */
  public static String type(Path path) {
    return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jks")
        ? "JKS"
        : "PKCS12";
  }

  /**
   * Loads the store.
   *
   * @throws ConfigurationException naming the file and what is wrong with it (never the password)
   */
  public static KeyStore load(Path path, String password) {
    if (!Files.isReadable(path)) {
      throw new ConfigurationException("trustStore " + path + " does not exist or is not readable");
    }
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance(type(path));
      store.load(in, password.toCharArray());
      if (store.size() == 0) {
        throw new ConfigurationException(
            "trustStore " + path + " holds no certificate: import the server's CA certificate");
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigurationException(
          "trustStore "
              + path
              + " cannot be read as "
              + type(path)
              + " (a wrong password, or another format; *.jks files are read as JKS): "
              + e.getMessage(),
          e);
    }
  }
}
