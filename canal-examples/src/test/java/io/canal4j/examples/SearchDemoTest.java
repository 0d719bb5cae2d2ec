package io.canal4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search demo the README tells people to run ends with indices equal to their tables. */
class SearchDemoTest {
  @Test
  void searchDemo_afterSnapshotAndBinlogWrites_everyIndexEqualsItsTable() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // at least the shop's whole cycle of ten transactions, deletes included, however slow the
    // machine
    SearchDemo.Result result =
        SearchDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ofSeconds(6));
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertTrue(result.indexEqualsTables(), out);
    assertEquals(
        List.of("customers", "products", "orders"),
        result.checks().stream().map(SearchDemo.IndexCheck::table).toList(),
        out);
    for (SearchDemo.IndexCheck check : result.checks()) {
      assertTrue(check.rows() > 0, check.toString());
      assertEquals(check.rows(), check.documents(), check.toString());
    }
    assertTrue(result.transactions() >= 10, out);
    // 38 snapshot rows, then the binlog's inserts and updates; cancelled orders and removed
    // products were deleted from the index, not only left out of the count
    assertTrue(result.stats().indexed() > 38, out);
    assertTrue(result.stats().deleted() >= 1, out);
    assertEquals(0, result.stats().deadLettered(), out);
    assertTrue(out.contains("\"lamp\": "), out);
    assertTrue(out.contains("every index equals its table"), out);
  }
}
