package io.canal4j.elasticsearch;

import io.canal4j.BinlogGap;
import io.canal4j.Canal;
import io.canal4j.Committer;
import io.canal4j.DdlEvent;
import io.canal4j.EventHandler;
import io.canal4j.PositionStore;
import io.canal4j.RotateEvent;
import io.canal4j.RowsEvent;
import io.canal4j.XidEvent;
import io.canal4j.schema.Position;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The process {@link IndexerCrashTest} kills: a canal with the indexer and a file position store,
 * printing how far it got ("snapshot rows N", "snapshot done", "commits N") so the test can kill it
 * at a chosen moment.
 *
 * <p>Args: host port user password database positionFile searchUrl.
 */
public final class IndexerCrashMain {
  private IndexerCrashMain() {}

  public static void main(String[] args) throws Exception {
    String db = args[4];
    ElasticsearchIndexer indexer =
        ElasticsearchIndexer.builder()
            .endpoint(args[6])
            .index(Pattern.quote(db) + "\\..*", "{db}-{table}")
            .bulkActions(200)
            .flushInterval(Duration.ofMillis(200))
            .build();
    Canal canal =
        Canal.builder()
            .name("es-crash")
            .host(args[0])
            .port(Integer.parseInt(args[1]))
            .user(args[2])
            .password(args[3])
            .include(Pattern.quote(db) + "\\..*")
            .positionStore(PositionStore.file(Path.of(args[5])))
            .snapshotChunkRows(1000)
            .snapshotProgress(
                p -> {
                  System.out.println("snapshot rows " + p.rows());
                  if (p.done()) {
                    System.out.println("snapshot done");
                  }
                })
            .handler(new Printing(indexer))
            .manualCommit()
            .build();
    canal.start();
    canal.termination().join();
  }

  /** The indexer, with a line per 100 commits. */
  private static final class Printing implements EventHandler {
    private final EventHandler inner;
    private long commits;

    Printing(EventHandler inner) {
      this.inner = inner;
    }

    @Override
    public void onStart(Committer committer) throws Exception {
      inner.onStart(committer);
    }

    @Override
    public void onRow(RowsEvent event) throws Exception {
      inner.onRow(event);
    }

    @Override
    public void onXid(XidEvent event) throws Exception {
      inner.onXid(event);
      if (++commits % 100 == 0) {
        System.out.println("commits " + commits);
      }
    }

    @Override
    public void onRotate(RotateEvent event) throws Exception {
      inner.onRotate(event);
    }

    @Override
    public void onDdl(DdlEvent event) throws Exception {
      inner.onDdl(event);
    }

    @Override
    public void onBinlogGap(BinlogGap gap) throws Exception {
      inner.onBinlogGap(gap);
    }

    @Override
    public void onPosSynced(Position position, boolean force) throws Exception {
      inner.onPosSynced(position, force);
    }
  }
}
