package io.canal4j.testing;

import io.canal4j.Canal;
import io.canal4j.CanalState;
import io.canal4j.EventHandler;
import io.canal4j.Row;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.SnapshotMode;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.internal.InformationSchemaCache;
import io.canal4j.schema.internal.value.JdbcValues;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

/**
 * For {@link io.canal4j.TimeZoneTest}: reads table {@code t (id, ts, dt)} in a JVM whose {@code
 * user.timezone} the test chose, and prints what it read, one line per row image.
 *
 * <p>Args: {@code canal|jdbc host port user password database}.
 *
 * <ul>
 *   <li>{@code canal}: prints {@code zone <zone>}, starts a canal on the table from the server's
 *       current position, prints {@code RUNNING} once it runs, then per row image {@code row
 *       <insert|before|after> <id> ts=<value> tsclass=<class> dt=<value> dtclass=<class>}, until
 *       killed.
 *   <li>{@code jdbc}: prints {@code zone <zone>}, the same for every row read with {@link
 *       JdbcValues} as {@code jdbc <id> ts=...}, then {@code jdbc done}, and exits.
 * </ul>
 */
public final class TimeZoneCanalMain {
  private TimeZoneCanalMain() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String host = args[1];
    int port = Integer.parseInt(args[2]);
    String user = args[3];
    String password = args[4];
    String db = args[5];
    System.out.println("zone " + ZoneId.systemDefault());
    switch (mode) {
      case "canal" -> canal(host, port, user, password, db);
      case "jdbc" -> jdbc(host, port, user, password, db);
      default -> throw new IllegalArgumentException("mode canal or jdbc: " + mode);
    }
  }

  private static void canal(String host, int port, String user, String password, String db)
      throws Exception {
    EventHandler printer =
        new EventHandler() {
          @Override
          public void onRow(RowsEvent event) {
            for (RowChange change : event.changes()) {
              if (change.before() != null && change.after() != null) {
                System.out.println(line("row before", change.before()));
                System.out.println(line("row after", change.after()));
              } else if (change.after() != null) {
                System.out.println(line("row insert", change.after()));
              } else {
                System.out.println(line("row delete", change.before()));
              }
            }
          }
        };
    Canal canal =
        Canal.builder()
            .snapshotMode(SnapshotMode.NEVER) // streaming tests; SnapshotTest covers the snapshot
            .name("timezone")
            .host(host)
            .port(port)
            .user(user)
            .password(password)
            .include(db + "\\.t")
            .handler(printer)
            .build();
    canal.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (canal.state() != CanalState.RUNNING) {
      if (canal.termination().isDone() || System.nanoTime() > deadline) {
        System.out.println("not running: " + canal.state());
        canal.termination().join(); // throws the failure, if any
        System.exit(2);
      }
      Thread.sleep(10); // polling interval, not a timing assumption
    }
    System.out.println("RUNNING");
    canal.termination().join();
  }

  private static void jdbc(String host, int port, String user, String password, String db)
      throws Exception {
    String url = CanalTesting.jdbcUrl(host, port, db);
    TableSchema schema =
        new InformationSchemaCache(() -> DriverManager.getConnection(url, user, password))
            .load(TableId.of(db, "t"));
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      JdbcValues.prepareSession(c);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, ts, dt FROM t ORDER BY id")) {
        while (rs.next()) {
          System.out.println(
              "jdbc "
                  + rs.getInt(1)
                  + " "
                  + values(
                      JdbcValues.read(rs, 2, schema.column("ts")),
                      JdbcValues.read(rs, 3, schema.column("dt"))));
        }
      }
    }
    System.out.println("jdbc done");
  }

  private static String line(String kind, Row row) {
    return kind + " " + row.get("id") + " " + values(row.get("ts"), row.get("dt"));
  }

  private static String values(Object ts, Object dt) {
    return "ts=" + ts + " tsclass=" + className(ts) + " dt=" + dt + " dtclass=" + className(dt);
  }

  private static String className(Object value) {
    return value == null ? "null" : value.getClass().getName();
  }
}
