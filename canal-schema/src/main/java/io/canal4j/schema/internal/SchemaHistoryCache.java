package io.canal4j.schema.internal;

import io.canal4j.error.SchemaException;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableMap;
import io.canal4j.schema.TableSchema;
import io.canal4j.schema.TableSchemaCache;
import io.canal4j.schema.internal.ddl.DdlParser;
import io.canal4j.schema.internal.ddl.DdlScope;
import io.canal4j.schema.internal.ddl.DdlTarget;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TableSchemaCache} that keeps a schema history: the definition of every streamed table
 * (and of every table in their databases, so that a copy-and-rename migration keeps its columns) as
 * it is at the position of the last event read. It is seeded from information_schema when a canal
 * starts without a saved history, advanced by every DDL statement in the stream through {@link
 * DdlParser}, and saved with each checkpoint ({@link #history()}), so a canal that resumes from an
 * old position names the columns of old events as they were then. Internal: built by {@link
 * TableSchemaCache#history}.
 *
 * <p>Every TABLE_MAP is checked against the history's version of its table. A table the history
 * does not know (one created by a statement skipped as unparseable, or a history started from a
 * checkpoint that had none) is read from information_schema and checked the same way. Where the
 * server writes {@code binlog_row_metadata=FULL}, the TABLE_MAP's own names, keys, labels and
 * charsets win, as in {@link InformationSchemaCache}.
 *
 * <p>Canal thread only.
 *
 * <p>Size: one cache's state and its two contracts ({@code TableSchemaCache} for the stream, {@code
 * DdlTarget} for the parser); the server reads are in {@code ServerStatus}, the misfit messages in
 * {@code SchemaMisfits}, the codec in {@code SchemaHistoryCodec}.
 */
public final class SchemaHistoryCache implements TableSchemaCache, DdlTarget {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaHistoryCache.class);

  private final ConnectionFactory connections;
  private final String prefix;
  private final InformationSchemaLoader loader;
  private final boolean skipUnparseable;
  private final Map<TableId, Table> tables = new HashMap<>();
  private final Map<String, SchemaHistoryCodec.Database> databases = new HashMap<>();
  private final Map<TableId, Answer> answers = new HashMap<>();

  /** Tables forgotten since the start: they may exist, in a version the history does not know. */
  private final Set<TableId> forgotten = new HashSet<>();

  private final Set<String> forgottenDatabases = new HashSet<>();
  private boolean forgottenEverything;

  private Predicate<TableId> streamed = t -> true;
  private DdlParser parser;
  private final FullMetadata fullMetadata;
  private String text; // the encoded history; null when it changed since it was last encoded
  private String lastText; // the last encoded history, handed out again while equal
  private Position horizon; // the server's position when the seed was read; null once passed
  private boolean exactNames = true; // lower_case_table_names=0: table names are case-sensitive

  /** The last TABLE_MAP answered for a table, and the answer. */
  private record Answer(TableMap map, TableSchema schema) {}

  /**
   * @param connections opens connections to the server whose binlog is read
   * @param skipUnparseable whether a DDL statement that cannot be parsed is skipped with a warning
   *     (its tables are then read from information_schema when next needed) instead of stopping
   */
  public SchemaHistoryCache(ConnectionFactory connections, boolean skipUnparseable) {
    this(connections, skipUnparseable, "");
  }

  /**
   * @param logPrefix starts every log line, e.g. {@code "[orders] "} for the canal's name
   */
  public SchemaHistoryCache(
      ConnectionFactory connections, boolean skipUnparseable, String logPrefix) {
    this.prefix = logPrefix;
    this.connections = connections;
    this.loader = new InformationSchemaLoader(connections);
    this.skipUnparseable = skipUnparseable;
    this.fullMetadata = new FullMetadata(loader);
  }

  @Override
  public void start(Position position, String history, Predicate<TableId> streamedTables) {
    this.streamed = streamedTables;
    if (parser == null) {
      parser = probeServer();
    }
    tables.clear();
    databases.clear();
    answers.clear();
    forgotten.clear();
    forgottenDatabases.clear();
    forgottenEverything = false;
    if (history != null) {
      SchemaHistoryCodec.State state;
      try {
        state = SchemaHistoryCodec.decode(history);
      } catch (IllegalArgumentException e) {
        throw new SchemaException(
            "the schema history saved with the checkpoint at "
                + position
                + " cannot be read ("
                + e.getMessage()
                + "). Restore the checkpoint and its schema history file together from a backup,"
                + " or delete both to start again from the server's current position (changes"
                + " made since the checkpoint are then missed)",
            null,
            position,
            e);
      }
      state.databases().forEach(d -> databases.put(d.name(), d));
      state.tables().forEach(t -> tables.put(t.schema().id(), t));
      horizon = state.horizon() == null ? null : Position.parse(state.horizon());
      text = history;
      lastText = history;
      LOG.info(
          "{}schema history at {}: {} tables restored from the checkpoint",
          prefix,
          position,
          tables.size());
      return;
    }
    seed();
    horizon = serverPosition(position);
    text = null;
    LOG.info(
        "{}schema history at {}: seeded from information_schema with {} tables of {}",
        prefix,
        position,
        tables.size(),
        databases.values().stream()
            .filter(SchemaHistoryCodec.Database::whole)
            .map(d -> d.name())
            .sorted()
            .toList());
  }

  @Override
  public String history() {
    String t = text;
    if (t == null) {
      t = SchemaHistoryCodec.encode(databases, tables, horizon == null ? null : horizon.format());
      if (t.equals(lastText)) {
        t = lastText; // unchanged content: the same instance, so nothing is saved again
      }
      text = t;
      lastText = t;
    }
    return t;
  }

  /**
   * The server's binlog position now, right after the seed was read. A DDL statement the stream
   * meets before it may or may not show in what was read, so it is not applied: the tables it names
   * are forgotten and read again from information_schema when next needed.
   */
  private Position serverPosition(Position start) {
    try (Connection c = connections.open()) {
      return ServerStatus.binlogPosition(c, start);
    } catch (SQLException e) {
      throw InformationSchemaLoader.serverFault("could not read the server's binlog position", e);
    }
  }

  /** Every table of each database that holds a streamed table, and every database's charset. */
  private void seed() {
    Set<String> whole = new HashSet<>();
    Map<TableId, String> charsets = new HashMap<>();
    for (InformationSchemaLoader.TableName t : loader.baseTables()) {
      charsets.put(t.id(), t.charset());
      if (streamed.test(t.id())) {
        whole.add(t.id().database());
      }
    }
    loader
        .databaseCharsets()
        .forEach(
            (db, charset) ->
                databases.put(
                    db, new SchemaHistoryCodec.Database(db, charset, whole.contains(db))));
    loader
        .loadDatabases(whole)
        .forEach(
            (id, schema) -> {
              if (charsets.containsKey(id)) { // a base table, not a view
                tables.put(id, new Table(schema, charsets.get(id)));
              }
            });
  }

  private DdlParser probeServer() {
    try (Connection c = connections.open()) {
      ServerStatus.Version v = ServerStatus.version(c);
      exactNames = v.exactNames();
      return new DdlParser(v.flavor(), v.numeric());
    } catch (SQLException e) {
      throw InformationSchemaLoader.serverFault("could not read the server's version", e);
    }
  }

  private boolean kept(TableId id) {
    if (streamed.test(id)) {
      return true;
    }
    SchemaHistoryCodec.Database d = databases.get(id.database());
    return d != null && d.whole();
  }

  // --- TableSchemaCache

  @Override
  public TableSchema schemaAt(TableMap tableMap, Position position) {
    TableId id = tableMap.table();
    Answer last = answers.get(id);
    if (last != null && TableMapFit.sameShape(last.map, tableMap)) {
      return last.schema;
    }
    Table known = get(id);
    boolean fromServer = false;
    if (known == null) {
      TableSchema loaded = loader.loadOrNull(id, position);
      if (loaded != null) {
        known = new Table(loaded, loader.tableCharset(id));
        fromServer = true;
        LOG.info(
            "{}table {} at {} is not in the schema history; read from information_schema and"
                + " checked against the binlog",
            prefix,
            id,
            position);
      }
    }
    TableSchema schema = known == null ? null : known.schema();
    String misfit = schema == null ? null : TableMapFit.misfit(tableMap, schema);
    TableSchema answer;
    if (schema != null && misfit == null) {
      if (fromServer) {
        put(known); // kept only when it fits: a version known to be wrong would misname later
      }
      answer = tableMap.hasColumnNames() ? fullMetadata.merge(tableMap, schema, position) : schema;
    } else if (tableMap.hasColumnNames()) {
      answer = fullMetadata.fromTableMap(tableMap, position, "the schema history");
      LOG.warn(
          "{}table {} at {}: the {} version does not fit the TABLE_MAP ({}); using the TABLE_MAP's"
              + " FULL metadata",
          prefix,
          id,
          position,
          fromServer ? "information_schema" : "schema history's",
          schema == null ? "no table" : misfit);
    } else {
      throw SchemaMisfits.unfit(
          id,
          position,
          schema == null ? null : misfit,
          fromServer,
          horizon != null && atOrBeforeHorizon(position) ? horizon : null);
    }
    answers.put(id, new Answer(TableMapFit.copy(tableMap), answer));
    return answer;
  }

  /**
   * Whether {@code position} is at or before the horizon. With GTIDs on both sides, by GTID set:
   * after a fail-over the horizon's file and offset are the old server's, which mean nothing on the
   * new one (a DDL there was judged to precede the horizon by its offset while its GTID came
   * after).
   */
  private boolean atOrBeforeHorizon(Position position) {
    if (position.gtids() != null && horizon.gtids() != null) {
      return horizon.gtids().containsAll(position.gtids());
    }
    return position.compareTo(horizon) <= 0;
  }

  @Override
  public void applyDdl(String database, String statement, Position position) {
    answers.clear();
    if (horizon != null) {
      if (atOrBeforeHorizon(position)) {
        DdlScope touched = DdlScope.of(database, statement);
        if (!touched.isNothing()) {
          LOG.info(
              "{}DDL at {} precedes {}, where the schema history was read from information_schema,"
                  + " which may already show it; {} will be read again when next needed",
              prefix,
              position,
              horizon,
              describe(touched));
          forget(touched);
        }
        return;
      }
      horizon = null;
      text = null;
    }
    try {
      List<TableId> changed = parser.apply(database, statement, this);
      if (!changed.isEmpty()) {
        LOG.debug("{}DDL at {} changed {}", prefix, position, changed);
      }
    } catch (RuntimeException e) { // DdlException, or a definition the parser could not build
      DdlScope touched = DdlScope.of(database, statement);
      boolean relevant =
          touched.everything()
              || touched.tables().stream().anyMatch(t -> kept(t) || get(t) != null)
              || touched.databases().stream().anyMatch(databases::containsKey);
      if (!relevant) {
        LOG.debug(
            "{}DDL at {} not understood but touches no kept table: {}",
            prefix,
            position,
            statement);
        return;
      }
      if (!skipUnparseable) {
        throw new SchemaException(
            "canal4j cannot apply the DDL statement at "
                + position
                + " ("
                + e.getMessage()
                + "): it cannot parse it, or the statement does not fit the schema history (a"
                + " column it names is missing or already there: the history has diverged from"
                + " the server). So it cannot tell how the statement changed "
                + describe(touched)
                + ". Statement: "
                + statement
                + " -- To go on knowingly, build the canal with skipUnparseableDdl(): the"
                + " tables the statement names are then read from information_schema when next"
                + " needed (checked against the binlog, but a replay of older events could"
                + " misname renamed columns). If canal4j cannot parse a valid statement, please"
                + " report it",
            touched.tables().isEmpty() ? null : touched.tables().iterator().next(),
            position,
            e);
      }
      LOG.warn(
          "{}skipping a DDL statement at {} that canal4j cannot understand ({}), as"
              + " skipUnparseableDdl() allows; {} will be read from information_schema when next"
              + " needed. Statement: {}",
          prefix,
          position,
          e.getMessage(),
          describe(touched),
          statement);
      forget(touched);
    }
  }

  private void forget(DdlScope touched) {
    text = null;
    if (touched.everything()) {
      tables.keySet().forEach(forgotten::add);
      tables.clear();
      forgottenEverything = true;
      return;
    }
    forgottenDatabases.addAll(touched.databases());
    tables.keySet().removeIf(id -> touched.databases().contains(id.database()));
    for (TableId t : touched.tables()) {
      unknown(t);
    }
  }

  private static String describe(DdlScope touched) {
    if (touched.everything()) {
      return "any table";
    }
    if (!touched.databases().isEmpty()) {
      return "the tables of " + touched.databases();
    }
    return touched.tables().toString();
  }

  // --- DdlTarget

  @Override
  public Table get(TableId id) {
    Table t = tables.get(id);
    if (t != null || exactNames) {
      return t;
    }
    for (Map.Entry<TableId, Table> e : tables.entrySet()) {
      TableId k = e.getKey();
      if (k.database().equalsIgnoreCase(id.database()) && k.table().equalsIgnoreCase(id.table())) {
        return e.getValue();
      }
    }
    return null;
  }

  @Override
  public void put(Table table) {
    TableId id = table.schema().id();
    remove(id);
    if (kept(id)) {
      tables.put(id, table);
    }
    text = null;
  }

  @Override
  public void remove(TableId id) {
    Table t = get(id);
    if (t != null) {
      tables.remove(t.schema().id());
      answers.remove(t.schema().id());
      text = null;
    }
  }

  @Override
  public void unknown(TableId id) {
    remove(id);
    forgotten.add(id);
  }

  @Override
  public boolean mayExist(TableId id) {
    return forgottenEverything
        || forgotten.contains(id)
        || forgottenDatabases.contains(id.database());
  }

  @Override
  public String databaseCharset(String database) {
    SchemaHistoryCodec.Database d = databases.get(database);
    if (d == null) {
      String charset = loader.databaseCharsets().get(database);
      if (charset == null) {
        return null;
      }
      d = new SchemaHistoryCodec.Database(database, charset, false);
      databases.put(database, d);
      text = null;
    }
    return d.charset();
  }

  @Override
  public void databaseCharset(String database, String charset) {
    SchemaHistoryCodec.Database d = databases.get(database);
    databases.put(
        database, new SchemaHistoryCodec.Database(database, charset, d != null && d.whole()));
    text = null;
  }

  @Override
  public void dropDatabase(String database) {
    databases.remove(database);
    tables
        .keySet()
        .removeIf(
            id ->
                exactNames
                    ? id.database().equals(database)
                    : id.database().equalsIgnoreCase(database));
    answers.clear();
    text = null;
  }
}
