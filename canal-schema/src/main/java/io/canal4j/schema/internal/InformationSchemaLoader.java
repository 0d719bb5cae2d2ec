package io.canal4j.schema.internal;

import static io.canal4j.schema.internal.MysqlErrors.ER_BAD_FIELD_ERROR;

import io.canal4j.error.SchemaException;
import io.canal4j.error.ServerException;
import io.canal4j.schema.Column;
import io.canal4j.schema.ColumnType;
import io.canal4j.schema.ConnectionFactory;
import io.canal4j.schema.Position;
import io.canal4j.schema.TableId;
import io.canal4j.schema.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Reads tables and collations from {@code information_schema}; stateless and thread-safe. */
public final class InformationSchemaLoader {
  private static final String COLUMNS_SQL =
      "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME,"
          + " NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_MAXIMUM_LENGTH"
          + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
          + " ORDER BY ORDINAL_POSITION";
  private static final String PRIMARY_KEY_SQL =
      "SELECT COLUMN_NAME FROM information_schema.STATISTICS"
          + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY'"
          + " ORDER BY SEQ_IN_INDEX";
  private static final String COLLATIONS_SQL =
      "SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATIONS"
          + " WHERE ID IS NOT NULL AND CHARACTER_SET_NAME IS NOT NULL";
  private static final String APPLICABILITY_SQL =
      "SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY";
  private static final String SYSTEM_DATABASES =
      "('mysql', 'information_schema', 'performance_schema', 'sys')";
  private static final String TABLES_SQL =
      "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES"
          + " WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') AND TABLE_SCHEMA NOT IN "
          + SYSTEM_DATABASES;
  private static final String SCHEMATA_SQL =
      "SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA";

  private final ConnectionFactory connections;

  InformationSchemaLoader(ConnectionFactory connections) {
    this.connections = Objects.requireNonNull(connections, "connections");
  }

  /**
   * The table as information_schema has it now, or null when it has no such table.
   *
   * @param position for error messages only; may be null
   */
  TableSchema loadOrNull(TableId id, Position position) {
    try (Connection c = connections.open()) {
      List<Column> columns = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(COLUMNS_SQL)) {
        ps.setString(1, id.database());
        ps.setString(2, id.table());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            columns.add(column(rs, columns.size(), id, position));
          }
        }
      }
      if (columns.isEmpty()) {
        return null;
      }
      List<String> primaryKey = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(PRIMARY_KEY_SQL)) {
        ps.setString(1, id.database());
        ps.setString(2, id.table());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            primaryKey.add(rs.getString(1));
          }
        }
      }
      return new TableSchema(id, columns, primaryKey);
    } catch (SQLException e) {
      throw serverFault("could not read the schema of " + id + " from information_schema", e);
    }
  }

  /** A base table's name and default character set, as information_schema lists it. */
  record TableName(TableId id, String charset) {}

  /** Every base table outside the system databases, with its default character set. */
  List<TableName> baseTables() {
    List<TableName> result = new ArrayList<>();
    try (Connection c = connections.open();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(TABLES_SQL)) {
      while (rs.next()) {
        result.add(
            new TableName(
                TableId.of(rs.getString(1), rs.getString(2)), charsetOfCollation(rs.getString(3))));
      }
    } catch (SQLException e) {
      throw serverFault("could not list the tables in information_schema.TABLES", e);
    }
    return result;
  }

  /** A table's default character set, or null when information_schema has no such table. */
  String tableCharset(TableId id) {
    try (Connection c = connections.open();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT TABLE_COLLATION FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
      ps.setString(1, id.database());
      ps.setString(2, id.table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? charsetOfCollation(rs.getString(1)) : null;
      }
    } catch (SQLException e) {
      throw serverFault("could not read the default charset of " + id, e);
    }
  }

  /** Database name to default character set, for every database. */
  Map<String, String> databaseCharsets() {
    Map<String, String> result = new HashMap<>();
    try (Connection c = connections.open();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(SCHEMATA_SQL)) {
      while (rs.next()) {
        result.put(rs.getString(1), rs.getString(2));
      }
    } catch (SQLException e) {
      throw serverFault("could not read information_schema.SCHEMATA", e);
    }
    return result;
  }

  /**
   * Every table and view of {@code databases} as information_schema has it now, with one query for
   * the columns and one for the primary keys however many tables there are ({@link #baseTables}
   * tells the tables from the views). Tables with a column type canal4j does not support are left
   * out; {@link #loadOrNull} reports them when they are needed.
   */
  Map<TableId, TableSchema> loadDatabases(Collection<String> databases) {
    Map<TableId, TableSchema> result = new HashMap<>();
    if (databases.isEmpty()) {
      return result;
    }
    String in = String.join(", ", Collections.nCopies(databases.size(), "?"));
    Map<TableId, List<Column>> columns = new LinkedHashMap<>();
    Map<TableId, List<String>> keys = new HashMap<>();
    Set<TableId> unsupported = new HashSet<>();
    try (Connection c = connections.open()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME,"
                  + " NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION,"
                  + " CHARACTER_MAXIMUM_LENGTH, TABLE_SCHEMA, TABLE_NAME"
                  + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN ("
                  + in
                  + ") ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION")) {
        bind(ps, databases);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            TableId id = TableId.of(rs.getString(10), rs.getString(11));
            List<Column> list = columns.computeIfAbsent(id, k -> new ArrayList<>());
            try {
              list.add(column(rs, list.size(), id, null));
            } catch (SchemaException e) {
              unsupported.add(id); // left out; reading it alone reports the type
            }
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
                  + " WHERE INDEX_NAME = 'PRIMARY' AND TABLE_SCHEMA IN ("
                  + in
                  + ") ORDER BY TABLE_SCHEMA, TABLE_NAME, SEQ_IN_INDEX")) {
        bind(ps, databases);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            keys.computeIfAbsent(
                    TableId.of(rs.getString(1), rs.getString(2)), k -> new ArrayList<>())
                .add(rs.getString(3));
          }
        }
      }
    } catch (SQLException e) {
      throw serverFault(
          "could not read the tables of " + databases + " from information_schema", e);
    }
    columns.forEach(
        (id, list) -> {
          if (!unsupported.contains(id)) {
            result.put(id, new TableSchema(id, list, keys.getOrDefault(id, List.of())));
          }
        });
    return result;
  }

  private static void bind(PreparedStatement ps, Collection<String> values) throws SQLException {
    int i = 1;
    for (String v : values) {
      ps.setString(i++, v);
    }
  }

  /**
   * The character set of a collation from its name, which starts with the charset's ({@code
   * utf8mb4_0900_ai_ci}, {@code latin1_swedish_ci}, {@code binary}); {@code utf8} is {@code
   * utf8mb3}. Null for a null name.
   */
  static String charsetOfCollation(String collation) {
    if (collation == null) {
      return null;
    }
    int u = collation.indexOf('_');
    String charset = (u < 0 ? collation : collation.substring(0, u)).toLowerCase(Locale.ROOT);
    return charset.equals("utf8") ? "utf8mb3" : charset;
  }

  /**
   * Collation id to character set name, for TABLE_MAP charset metadata. MariaDB 10.10+ lists its
   * charset-independent UCA 14 collations in COLLATIONS without an id; their per-charset ids are in
   * COLLATION_CHARACTER_SET_APPLICABILITY, whose ID column MySQL does not have.
   */
  Map<Integer, String> collations() {
    Map<Integer, String> result = new HashMap<>();
    try (Connection c = connections.open();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(COLLATIONS_SQL)) {
        while (rs.next()) {
          result.put(rs.getInt(1), rs.getString(2));
        }
      }
      try (ResultSet rs = s.executeQuery(APPLICABILITY_SQL)) {
        while (rs.next()) {
          result.putIfAbsent(rs.getInt(1), rs.getString(2));
        }
      } catch (SQLException e) {
        if (e.getErrorCode() != ER_BAD_FIELD_ERROR) {
          throw e;
        }
      }
    } catch (SQLException e) {
      throw serverFault("could not read information_schema.COLLATIONS", e);
    }
    return Map.copyOf(result);
  }

  private static Column column(ResultSet rs, int index, TableId id, Position position)
      throws SQLException {
    String name = rs.getString(1);
    String dataType = rs.getString(2);
    String columnType = rs.getString(3);
    ColumnType type;
    try {
      type = ColumnType.fromDataType(dataType);
    } catch (IllegalArgumentException e) {
      throw new SchemaException(
          "column "
              + name
              + " of "
              + id
              + " has type "
              + columnType
              + ", which canal4j does not support yet",
          id,
          position,
          e);
    }
    boolean nullable = "YES".equalsIgnoreCase(rs.getString(4));
    String charset = rs.getString(5);
    long numericPrecision = rs.getLong(6);
    long numericScale = rs.getLong(7);
    long datetimePrecision = rs.getLong(8);
    long charLength = rs.getLong(9);
    int precision =
        switch (type) {
          case DECIMAL, BIT -> (int) numericPrecision;
          case CHAR, VARCHAR, BINARY, VARBINARY -> (int) Math.min(charLength, Integer.MAX_VALUE);
          default -> 0;
        };
    int scale =
        switch (type) {
          case DECIMAL -> (int) numericScale;
          case DATETIME, TIMESTAMP, TIME -> (int) datetimePrecision;
          default -> 0;
        };
    List<String> labels =
        type == ColumnType.ENUM || type == ColumnType.SET
            ? ColumnTypeText.labels(columnType)
            : List.of();
    boolean unsigned = ColumnTypeText.isUnsigned(columnType);
    return new Column(
        name, index, type, columnType, unsigned, nullable, charset, precision, scale, labels);
  }

  static ServerException serverFault(String what, SQLException e) {
    String state = e.getSQLState();
    boolean transientFault =
        e instanceof SQLTransientException
            || e instanceof SQLRecoverableException
            || (state != null && state.startsWith("08"));
    return new ServerException(
        what + ": " + e.getMessage(), e.getErrorCode(), state, transientFault, e);
  }
}
