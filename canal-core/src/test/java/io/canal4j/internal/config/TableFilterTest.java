package io.canal4j.internal.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canal4j.schema.TableId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableFilterTest {
  @Test
  void noInclude_meansAll() {
    assertTrue(new TableFilter(List.of(), List.of()).test(TableId.of("a", "b")));
  }

  @Test
  void patterns_matchTheWholeName() {
    TableFilter f = new TableFilter(List.of("shop\\.order"), List.of());
    assertTrue(f.test(TableId.of("shop", "order")));
    assertFalse(f.test(TableId.of("shop", "orders")), "full match, not find");
    assertFalse(f.test(TableId.of("myshop", "order")));
  }

  @Test
  void exclude_winsOverInclude() {
    TableFilter f = new TableFilter(List.of("shop\\..*"), List.of("shop\\.audit"));
    assertTrue(f.test(TableId.of("shop", "orders")));
    assertFalse(f.test(TableId.of("shop", "audit")));
    assertFalse(f.test(TableId.of("other", "orders")));
  }
}
