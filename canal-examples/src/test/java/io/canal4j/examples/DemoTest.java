package io.canal4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The demo the README tells people to run works and prints what it promises. */
class DemoTest {
  @Test
  void demo_printsInsertsUpdateAndDelete() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int changes = Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(4, changes, out);
    assertTrue(
        out.contains(
            "INSERT shop.orders before=null after={id=1, customer=Ada, total=12.50,"
                + " placed=2026-11-21T10:00:00.123}"),
        out);
    assertTrue(out.contains("UPDATE shop.orders before={id=1"), out);
    assertTrue(out.contains("after={id=1, customer=Ada, total=15.00"), out);
    assertTrue(out.contains("DELETE shop.orders before={id=2, customer=Grace"), out);
  }
}
