package io.canal4j.testkit;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a new JDBC connection that the caller closes; {@code testDatabase::connect} and {@code
 * server::connect} are the usual implementations. Exists because {@code Supplier} cannot throw
 * {@link SQLException} and {@code DataSource} is far larger than tests need.
 */
@FunctionalInterface
public interface ConnectionSupplier {
  /** A new connection, owned (and closed) by the caller. */
  Connection get() throws SQLException;
}
