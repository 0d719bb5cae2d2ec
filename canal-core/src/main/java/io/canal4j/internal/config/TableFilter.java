package io.canal4j.internal.config;

import io.canal4j.schema.TableId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which tables a canal streams: {@code db.table} regexes, full match; exclude wins over include; no
 * include means all. Decisions are memoised, so the per-event cost is one map lookup.
 */
public final class TableFilter {
  private final List<Pattern> includes;
  private final List<Pattern> excludes;
  private final Map<TableId, Boolean> decisions = new ConcurrentHashMap<>();

  public TableFilter(List<String> includes, List<String> excludes) {
    this.includes = includes.stream().map(Pattern::compile).toList();
    this.excludes = excludes.stream().map(Pattern::compile).toList();
  }

  public boolean test(TableId table) {
    return decisions.computeIfAbsent(table, this::decide);
  }

  private boolean decide(TableId table) {
    String name = table.toString();
    for (Pattern p : excludes) {
      if (p.matcher(name).matches()) {
        return false;
      }
    }
    if (includes.isEmpty()) {
      return true;
    }
    for (Pattern p : includes) {
      if (p.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }
}
