package io.canal4j;

import static io.canal4j.testing.RecordingHandler.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.error.CanalException;
import io.canal4j.error.ConfigurationException;
import io.canal4j.testing.CanalTesting;
import io.canal4j.testing.RecordingHandler;
import io.canal4j.testkit.MySqlSandbox;
import io.canal4j.testkit.SandboxServer;
import io.canal4j.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to the server, binlog stream and JDBC alike, against a MySQL 8.0 sandbox with the self-signed
 * certificates MySQL makes at its first start; the canal's user has exactly README's grants, and
 * its password appears in no log line or exception.
 */
class TlsTest {
  private static final String USER = "tls_canal";
  private static final String PASSWORD = "Tls-Secret-9f3b27"; // grepped for below

  private static SandboxServer server;
  private static TestDatabase db;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    server = MySqlSandbox.builder().name("tls").start();
    db = server.createDatabase();
    try (Connection c = db.connect()) {
      SnapshotTest.prefill(c, "workload_a", 500);
    }
    server.execute(
        "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
        // README's grants, exactly.
        "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO '" + USER + "'@'%'",
        "GRANT RELOAD ON *.* TO '" + USER + "'@'%'");
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static Canal.Builder canal(String name) {
    return Canal.builder()
        .name(name)
        .host(server.host())
        .port(server.port())
        .user(USER)
        .password(PASSWORD)
        .include(db.name() + "\\.workload_a");
  }

  /** The server's CA certificate (ca.pem in its data dir) in a PKCS#12 trust store. */
  private static Path trustStore(String name, Certificate ca) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca);
    Path file = dir.resolve(name + ".p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, "changeit".toCharArray());
    }
    return file;
  }

  private static Certificate serverCa() throws Exception {
    try (InputStream in = Files.newInputStream(server.dataDir().resolve("ca.pem"))) {
      return CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** Runs {@code body} with stderr (where the tests' SLF4J logs go) also copied to a buffer. */
  private static String logsOf(ThrowingRunnable body) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    System.setErr(
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) {
                original.write(b);
                copy.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                copy.write(b, off, len);
              }
            },
            true,
            StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return copy.toString(StandardCharsets.UTF_8);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static void snapshotAndStream(Canal.Builder builder, int id) throws Exception {
    try (Connection c = db.connect()) {
      snapshotAndStream(builder, id, c);
    }
  }

  /** The snapshot's rows, then a row inserted through {@code writer}, streamed. */
  private static void snapshotAndStream(Canal.Builder builder, int id, Connection writer)
      throws Exception {
    RecordingHandler h = new RecordingHandler();
    try (Canal canal = builder.handler(h).build()) {
      canal.start();
      await("the snapshot", Duration.ofSeconds(60), () -> h.rowCount() >= 500);
      writer
          .createStatement()
          .execute(
              "INSERT INTO "
                  + db.name()
                  + ".workload_a VALUES ("
                  + id
                  + ", 1, 'tls', 1.00, NOW(6))");
      await(
          "the streamed insert",
          Duration.ofSeconds(30),
          () -> h.rows.stream().anyMatch(r -> r.action() == RowAction.INSERT));
      assertEquals(CanalState.RUNNING, canal.state());
    }
  }

  @Test
  void requireSecureTransport_disabledIsRefusedNamingTheFix_requiredSnapshotsAndStreams()
      throws Exception {
    // The testkit's own connections are plain: keep one open while the server requires TLS.
    try (Connection admin = server.connect()) {
      admin.createStatement().execute("SET GLOBAL require_secure_transport = ON");
      try {
        String logs =
            logsOf(
                () -> {
                  CanalException e =
                      CanalTesting.failureOf(
                          canal("plain")
                              .sslMode(SslMode.DISABLED)
                              .handler(new RecordingHandler())
                              .build());
                  System.err.println("failure: " + e);
                  assertTrue(e.getMessage().contains("require_secure_transport"), e.getMessage());
                  assertTrue(e.getMessage().contains("sslMode(REQUIRED)"), e.getMessage());
                  assertFalse(e.getMessage().contains(PASSWORD));
                  // TLS on both connections: the server refuses any plain one now.
                  snapshotAndStream(canal("required").sslMode(SslMode.REQUIRED), 1_000_001, admin);
                  snapshotAndStream(canal("preferred"), 1_000_002, admin); // the default
                });
        assertFalse(logs.contains(PASSWORD), "the password is in the logs");
        assertTrue(logs.contains("[required]"), "the logs were captured");
      } finally {
        admin.createStatement().execute("SET GLOBAL require_secure_transport = OFF");
      }
    }
  }

  @Test
  void verifyCa_trustsTheServersCa_refusesAnother_verifyIdentity_checksTheHost() throws Exception {
    Path good = trustStore("server-ca", serverCa());
    String logs =
        logsOf(
            () -> {
              snapshotAndStream(
                  canal("verify-ca").sslMode(SslMode.VERIFY_CA).trustStore(good, "changeit"),
                  1_000_003);

              // A CA that did not sign the server's certificate: one of the JVM's public ones.
              KeyStore jvm = KeyStore.getInstance(KeyStore.getDefaultType());
              try (InputStream in =
                  Files.newInputStream(
                      Path.of(System.getProperty("java.home"), "lib", "security", "cacerts"))) {
                jvm.load(in, null);
              }
              Path other = trustStore("other-ca", jvm.getCertificate(jvm.aliases().nextElement()));
              CanalException e =
                  CanalTesting.failureOf(
                      canal("wrong-ca")
                          .sslMode(SslMode.VERIFY_CA)
                          .trustStore(other, "changeit")
                          .handler(new RecordingHandler())
                          .build());
              System.err.println("failure: " + e);
              assertTrue(e.getMessage().contains("certificate"), e.getMessage());
              assertTrue(e.getMessage().contains(other.toString()), e.getMessage());

              // MySQL's own certificate names no host, so 127.0.0.1 is not its identity.
              CanalException id =
                  CanalTesting.failureOf(
                      canal("identity")
                          .sslMode(SslMode.VERIFY_IDENTITY)
                          .trustStore(good, "changeit")
                          .handler(new RecordingHandler())
                          .build());
              System.err.println("failure: " + id);
              assertTrue(id.getMessage().contains(server.host()), id.getMessage());
              assertTrue(id.getMessage().contains("VERIFY_CA"), id.getMessage());
            });
    assertFalse(logs.contains(PASSWORD), "the password is in the logs");
  }

  @Test
  void settingsThatCannotWork_failAtBuildNamingTheFix() throws Exception {
    Path good = trustStore("build-ca", serverCa());
    String unused = refused(canal("x").sslMode(SslMode.REQUIRED).trustStore(good, "changeit"));
    assertTrue(unused.contains("sslMode(VERIFY_CA)"), unused);
    String missing =
        refused(canal("x").sslMode(SslMode.VERIFY_CA).trustStore(dir.resolve("no.p12"), "x"));
    assertTrue(missing.contains("does not exist"), missing);
    String wrong =
        refused(canal("x").sslMode(SslMode.VERIFY_CA).trustStore(good, "not-the-password"));
    assertTrue(wrong.contains("wrong password"), wrong);
    assertFalse(wrong.contains("not-the-password"), wrong);
    String url = refused(Canal.builder().jdbcUrl("jdbc:mysql://h:3306/?useSSL=false").user("u"));
    assertTrue(url.contains("sslMode(...)"), url);
    String twice =
        refused(
            Canal.builder()
                .jdbcUrl("jdbc:mysql://h:3306/?sslMode=DISABLED")
                .sslMode(SslMode.REQUIRED)
                .user("u"));
    assertTrue(twice.contains("keep one"), twice);
  }

  /** The message of the ConfigurationException that build() throws. */
  private static String refused(Canal.Builder builder) {
    return assertThrows(
            ConfigurationException.class, () -> builder.handler(new RecordingHandler()).build())
        .getMessage();
  }
}
