package io.canal4j.schema.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnTypeTextTest {
  @Test
  void labels_plain() {
    assertEquals(List.of("a", "b", "c"), ColumnTypeText.labels("enum('a','b','c')"));
    assertEquals(List.of("x"), ColumnTypeText.labels("set('x')"));
  }

  @Test
  void labels_withDoubledQuotesCommasParenthesesAndBackslashes() {
    assertEquals(
        List.of("a'b", "c,d", "e\\f", "g\"h", "(x)", "ü", ""),
        ColumnTypeText.labels("enum('a''b','c,d','e\\\\f','g\"h','(x)','ü','')"));
  }

  @Test
  void labels_withEscapedControlCharacters() {
    assertEquals(List.of("a\nb", "\0", "'"), ColumnTypeText.labels("enum('a\\nb','\\0','\\'')"));
  }

  @Test
  void labels_rejectsTextWithoutList() {
    assertThrows(IllegalArgumentException.class, () -> ColumnTypeText.labels("enum"));
    assertThrows(IllegalArgumentException.class, () -> ColumnTypeText.labels("enum('a"));
    assertThrows(IllegalArgumentException.class, () -> ColumnTypeText.labels("enum(a)"));
  }

  @Test
  void isUnsigned() {
    assertTrue(ColumnTypeText.isUnsigned("int unsigned"));
    assertTrue(ColumnTypeText.isUnsigned("int(10) unsigned zerofill"));
    assertTrue(ColumnTypeText.isUnsigned("DECIMAL(5,2) UNSIGNED"));
    assertFalse(ColumnTypeText.isUnsigned("bigint"));
    assertFalse(ColumnTypeText.isUnsigned("enum('unsigned')"));
  }
}
