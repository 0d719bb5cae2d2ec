package io.canal4j.testing;

import io.canal4j.EventHandler;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.TransactionId;
import io.canal4j.testkit.ReplicaWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Applies row events to twin tables through the testkit's SQL writer (never our converters); the
 * inserted or snapshot rows of one event in multi-row statements.
 */
public class ReplicaApplier implements EventHandler {
  public final ReplicaWriter writer;
  public final List<TransactionId> transactions = new CopyOnWriteArrayList<>();
  public volatile long rowsApplied;

  private final Connection connection;

  public ReplicaApplier(Connection connection, String... tables) throws SQLException {
    this.writer = ReplicaWriter.create(connection, tables);
    this.connection = connection;
  }

  @Override
  public void onRow(RowsEvent event) throws Exception {
    if (transactions.isEmpty()
        || !transactions.get(transactions.size() - 1).equals(event.transaction())) {
      transactions.add(event.transaction());
    }
    apply(writer, event);
    rowsApplied += event.changes().size();
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
  }

  /** Applies one event's rows through {@code writer}, without committing. */
  public static void apply(ReplicaWriter writer, RowsEvent event) throws SQLException {
    String table = event.tableId().table();
    switch (event.action()) {
      case INSERT, SNAPSHOT ->
          writer.insertAll(table, event.changes().stream().map(c -> c.after().toMap()).toList());
      case UPDATE -> {
        for (RowChange c : event.changes()) {
          writer.update(table, c.before().toMap(), c.after().toMap());
        }
      }
      case DELETE -> {
        for (RowChange c : event.changes()) {
          writer.delete(table, c.before().toMap());
        }
      }
    }
  }

  /** Applies each event in one transaction (faster than a commit per row). */
  public ReplicaApplier batched() throws SQLException {
    connection.setAutoCommit(false);
    return this;
  }
}
