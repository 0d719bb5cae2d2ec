package io.canal4j.examples;

import io.canal4j.Canal;
import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.RowChange;
import io.canal4j.RowsEvent;
import io.canal4j.XidEvent;
import java.nio.file.Path;

/** The README's quick start, compiled by the build so that it stays true. */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    // --- README quick start begins ---
    Canal canal =
        Canal.builder()
            .name("orders-indexer")
            .host("127.0.0.1")
            .port(3306)
            .user("canal")
            .password(System.getenv("CANAL_PASSWORD"))
            .include("shop\\.orders", "shop\\.order_items") // db.table regexes
            .positionStore(PositionStore.file(Path.of("orders-indexer.pos")))
            .handler(
                new EventHandler() {
                  @Override
                  public void onRow(RowsEvent event) {
                    for (RowChange change : event.changes()) {
                      System.out.printf(
                          "%s %s %s -> %s%n",
                          event.action(), event.tableId(), change.before(), change.after());
                    }
                  }

                  @Override
                  public void onXid(XidEvent commit) {
                    System.out.println("committed " + commit.transaction());
                  }
                })
            .build();
    canal.start(); // returns at once; events arrive on the canal's own thread
    Runtime.getRuntime().addShutdownHook(new Thread(canal::close)); // saves the position
    canal.termination().join(); // waits; throws if the canal failed, with the cause
    // --- README quick start ends ---
  }
}
