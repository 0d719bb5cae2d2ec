package io.canal4j.elasticsearch;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the rows of a table become documents: the index, the document id, the fields. Immutable;
 * every method returns a new mapping.
 *
 * <pre>{@code
 * IndexMapping.to("{db}-{table}")
 *     .exclude("password_hash")
 *     .rename("cust_id", "customer")
 *     .routing("cust_id")
 * }</pre>
 *
 * <ul>
 *   <li><b>Index</b>: a name, or a template with {@code {db}} and {@code {table}}, which are
 *       replaced by the table's names in lower case (index names must be lower case).
 *   <li><b>Id</b>: the primary key's value as text; a key of several columns joins them with {@code
 *       |}, with {@code \} and {@code |} in the values escaped by a {@code \}, so that two keys
 *       never share an id. {@link #id(String...)} names other columns (a unique key) for a table
 *       without a primary key; without either such a table is refused.
 *   <li><b>Fields</b>: every column by its name, unless {@link #include} or {@link #exclude} say
 *       otherwise; {@link #rename} gives a field another name. Columns added by {@code ALTER TABLE}
 *       flow in as new fields, unless {@code include} lists the columns.
 * </ul>
 */
public final class IndexMapping {
  private static final Pattern INDEX_TEXT = Pattern.compile("[a-z0-9{}][a-z0-9_.{}+-]*");

  private final String index;
  private final List<String> id;
  private final Set<String> include;
  private final Set<String> exclude;
  private final Map<String, String> rename;
  private final String routing;
  private final String pipeline;
  private final Set<String> json;

  private IndexMapping(
      String index,
      List<String> id,
      Set<String> include,
      Set<String> exclude,
      Map<String, String> rename,
      String routing,
      String pipeline,
      Set<String> json) {
    this.index = index;
    this.id = id;
    this.include = include;
    this.exclude = exclude;
    this.rename = rename;
    this.routing = routing;
    this.pipeline = pipeline;
    this.json = json;
  }

  /**
   * Documents go to {@code index}: a name, or a template with {@code {db}} and {@code {table}}.
   *
   * @throws IllegalArgumentException for a name Elasticsearch would refuse (upper case, spaces,
   *     {@code \ / * ? " < > | , #}, a leading {@code _ - +})
   */
  public static IndexMapping to(String index) {
    Objects.requireNonNull(index, "index");
    if (!INDEX_TEXT.matcher(index).matches()
        || index.replace("{db}", "").replace("{table}", "").matches(".*[{}].*")) {
      throw new IllegalArgumentException(
          "index '"
              + index
              + "' is not a valid index name or template: use lower-case letters, digits, _ . + -"
              + " (not first), and the placeholders {db} and {table}");
    }
    return new IndexMapping(index, List.of(), Set.of(), Set.of(), Map.of(), null, null, Set.of());
  }

  /** The document id from these columns (in this order) rather than the primary key. */
  public IndexMapping id(String... columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("id(...) needs at least one column");
    }
    return new IndexMapping(
        index, ordered(columns), include, exclude, rename, routing, pipeline, json);
  }

  /** Only these columns become fields. */
  public IndexMapping include(String... columns) {
    if (!exclude.isEmpty()) {
      throw new IllegalArgumentException("a mapping takes include(...) or exclude(...), not both");
    }
    return new IndexMapping(index, id, names(columns), exclude, rename, routing, pipeline, json);
  }

  /** These columns do not become fields. */
  public IndexMapping exclude(String... columns) {
    if (!include.isEmpty()) {
      throw new IllegalArgumentException("a mapping takes include(...) or exclude(...), not both");
    }
    return new IndexMapping(index, id, include, names(columns), rename, routing, pipeline, json);
  }

  /** Column {@code column} becomes the field {@code field}. */
  public IndexMapping rename(String column, String field) {
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(field, "field");
    if (field.isEmpty() || field.startsWith("_")) {
      throw new IllegalArgumentException(
          "field name '" + field + "' is empty or starts with _ (reserved for metadata)");
    }
    Map<String, String> r = new LinkedHashMap<>(rename);
    if (r.put(column, field) != null) {
      throw new IllegalArgumentException("column " + column + " is renamed twice");
    }
    return new IndexMapping(index, id, include, exclude, Map.copyOf(r), routing, pipeline, json);
  }

  /** The value of {@code column} routes each document to its shard. */
  public IndexMapping routing(String column) {
    Objects.requireNonNull(column, "column");
    return new IndexMapping(index, id, include, exclude, rename, column, pipeline, json);
  }

  /** Documents go through this ingest pipeline. */
  public IndexMapping pipeline(String name) {
    Objects.requireNonNull(name, "name");
    return new IndexMapping(index, id, include, exclude, rename, routing, name, json);
  }

  /**
   * These text columns hold JSON (MariaDB's {@code JSON} type is a {@code LONGTEXT}): their values
   * become JSON values in the document rather than strings. MySQL's {@code JSON} columns are always
   * written so.
   */
  public IndexMapping json(String... columns) {
    return new IndexMapping(index, id, include, exclude, rename, routing, pipeline, names(columns));
  }

  /** The text columns written as JSON values. */
  public Set<String> jsonColumns() {
    return json;
  }

  public String index() {
    return index;
  }

  /** The id columns; empty means the primary key. */
  public List<String> idColumns() {
    return id;
  }

  public Set<String> included() {
    return include;
  }

  public Set<String> excluded() {
    return exclude;
  }

  public Map<String, String> renamed() {
    return rename;
  }

  /** The routing column, or null. */
  public String routingColumn() {
    return routing;
  }

  /** The ingest pipeline, or null. */
  public String pipelineName() {
    return pipeline;
  }

  /** The index for a table of database {@code db}: the template filled in. */
  public String indexFor(String db, String table) {
    return index
        .replace("{db}", db.toLowerCase(Locale.ROOT))
        .replace("{table}", table.toLowerCase(Locale.ROOT));
  }

  private static List<String> ordered(String... columns) {
    names(columns); // checks them
    return List.of(columns);
  }

  private static Set<String> names(String... columns) {
    Set<String> s = new LinkedHashSet<>();
    for (String c : columns) {
      Objects.requireNonNull(c, "column");
      if (!s.add(c)) {
        throw new IllegalArgumentException("column " + c + " is named twice");
      }
    }
    return Set.copyOf(s);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("IndexMapping[").append(index);
    if (!id.isEmpty()) {
      sb.append(", id=").append(id);
    }
    if (!include.isEmpty()) {
      sb.append(", include=").append(include);
    }
    if (!exclude.isEmpty()) {
      sb.append(", exclude=").append(exclude);
    }
    if (!rename.isEmpty()) {
      sb.append(", rename=").append(rename);
    }
    if (routing != null) {
      sb.append(", routing=").append(routing);
    }
    if (pipeline != null) {
      sb.append(", pipeline=").append(pipeline);
    }
    return sb.append(']').toString();
  }
}
