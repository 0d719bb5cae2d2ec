package io.canal4j.examples;

import io.canal4j.Canal;
import io.canal4j.CanalState;
import io.canal4j.EventHandler;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.XidEvent;
import io.canal4j.testkit.MariaDbSandbox;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-command tour: starts a private MariaDB sandbox, streams a table's changes with a canal and
 * prints them. Run with {@code mvn -B -ntp -q install -DskipTests && mvn -B -ntp -q -pl
 * canal-examples exec:java}.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
    System.exit(0);
  }

  /** Runs the demo, printing to {@code out}; returns the number of row changes printed. */
  public static int run(PrintStream out) throws Exception {
    try (MariaDbSandbox server = MariaDbSandbox.builder().name("demo").start()) {
      out.println("MariaDB sandbox " + server.version() + " on port " + server.port());
      server.execute(
          "CREATE DATABASE shop",
          "CREATE TABLE shop.orders (id INT PRIMARY KEY, customer VARCHAR(50),"
              + " total DECIMAL(10,2), placed DATETIME(3))");
      int[] changes = {0};
      CountDownLatch commits = new CountDownLatch(3);
      EventHandler printer =
          new EventHandler() {
            @Override
            public void onRow(RowsEvent event) {
              for (RowChange c : event.changes()) {
                out.printf(
                    "%-6s %s before=%s after=%s%n",
                    event.action(), event.tableId(), c.before(), c.after());
                changes[0]++;
              }
            }

            @Override
            public void onXid(XidEvent commit) {
              out.println("COMMIT " + commit.transaction() + " -> resume at " + commit.position());
              commits.countDown();
            }
          };
      try (Canal canal =
          Canal.builder()
              .name("demo")
              .host(server.host())
              .port(server.port())
              .user(server.user())
              .password(server.password())
              .include("shop\\..*")
              .handler(printer)
              .build()) {
        canal.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (canal.state() != CanalState.RUNNING) {
          if (canal.state().isFinal() || System.nanoTime() > deadline) {
            canal.termination().join(); // throws with the reason
            throw new IllegalStateException("canal did not start: " + canal.state());
          }
          Thread.onSpinWait();
        }
        server.execute(
            "INSERT INTO shop.orders VALUES (1, 'Ada', 12.50, '2026-11-21 10:00:00.123'),"
                + " (2, 'Grace', 99.99, '2026-11-21 10:05:00')",
            "UPDATE shop.orders SET total = 15.00 WHERE id = 1",
            "DELETE FROM shop.orders WHERE id = 2");
        if (!commits.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the demo's 3 commits did not arrive");
        }
      }
      out.println("done: " + changes[0] + " row changes");
      return changes[0];
    }
  }
}
