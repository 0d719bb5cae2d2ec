package io.canal4j.schema;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens JDBC connections to the source server, for reading {@code information_schema} and table
 * rows. Each call opens a new connection, which the caller closes; implementations may hand out
 * pooled connections whose {@code close()} returns them to the pool.
 */
@FunctionalInterface
public interface ConnectionFactory {

  /**
   * Opens a new connection that the caller closes.
   *
   * @throws SQLException when the server cannot be reached or refuses the login
   */
  Connection open() throws SQLException;
}
