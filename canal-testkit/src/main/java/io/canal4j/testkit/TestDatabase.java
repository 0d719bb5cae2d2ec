package io.canal4j.testkit;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh database on a {@link SandboxServer}, so that tests sharing a server never see each
 * other's tables (like Debezium's {@code UniqueDatabase}). Names look like {@code t_3_k2x9qa}: the
 * counter orders them within a JVM, the random part keeps parallel JVMs on an external server
 * apart. {@link #close()} drops the database.
 */
public final class TestDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final SandboxServer server;
  private final String name;
  private volatile boolean closed;

  private TestDatabase(SandboxServer server, String name) {
    this.server = server;
    this.name = name;
  }

  static TestDatabase create(SandboxServer server) throws SQLException {
    StringBuilder name = new StringBuilder("t_").append(COUNTER.incrementAndGet()).append('_');
    for (int i = 0; i < 6; i++) {
      name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    server.execute("CREATE DATABASE " + Sql.quote(name.toString()));
    log.debug("[{}] created database {}", server, name);
    return new TestDatabase(server, name.toString());
  }

  /** The database name (no quoting needed: lowercase letters, digits and underscores). */
  public String name() {
    return name;
  }

  /** The server holding this database. */
  public SandboxServer server() {
    return server;
  }

  /** A JDBC URL with this database as the default. */
  public String jdbcUrl() {
    return server.jdbcUrl(name);
  }

  /** A new connection (as the server's admin user) with this database as the default. */
  public Connection connect() throws SQLException {
    return server.connect(name);
  }

  /** Runs statements in order on one connection that uses this database. */
  public void execute(String... sql) throws SQLException {
    try (Connection connection = connect()) {
      Sql.execute(connection, sql);
    }
  }

  /** {@code SELECT COUNT(*)} of a table in this database. */
  public long count(String table) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + Sql.quoteName(table))) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /**
   * Drops the database. Idempotent; if the server is not running (a test killed it) the database is
   * left behind, since the server's data directory is deleted with it anyway.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!server.isRunning()) {
      log.debug("[{}] not running; database {} not dropped", server, name);
      return;
    }
    try {
      server.execute("DROP DATABASE IF EXISTS " + Sql.quote(name));
    } catch (SQLException e) {
      log.warn("[{}] could not drop database {}: {}", server, name, e.getMessage());
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
