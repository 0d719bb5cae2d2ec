package io.canal4j.examples;

import io.canal4j.testkit.SandboxServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The demo's shop database: three tables, their first rows, and small transactions like a shop's
 * (orders placed, paid, shipped, cancelled; prices changed; products added and removed).
 *
 * <p>The transactions follow a fixed cycle of ten, so that a few seconds of writing exercise every
 * kind of change, inserts, updates and deletes; a seeded {@link Random} picks the rows.
 */
final class Shop implements AutoCloseable {
  static final List<String> TABLES = List.of("customers", "products", "orders");

  private static final String[] ADJECTIVES = {
    "Oak", "Walnut", "Steel", "Copper", "Bamboo", "Linen", "Wool", "Ceramic", "Brass", "Glass"
  };
  private static final String[] THINGS = {
    "desk lamp",
    "floor lamp",
    "chair",
    "stool",
    "mug",
    "teapot",
    "blanket",
    "cushion",
    "shelf",
    "clock"
  };

  /** Three lamps among them, so that the demo's search for "lamp" finds some from the start. */
  private static final String[] FIRST_PRODUCTS = {
    "Oak desk lamp", "Steel chair", "Ceramic mug", "Copper floor lamp", "Wool blanket",
    "Walnut shelf", "Glass teapot", "Linen cushion", "Brass desk lamp", "Bamboo stool",
    "Steel clock", "Oak chair"
  };

  private static final String[] ROOMS = {"kitchen", "study", "living room", "bedroom", "hallway"};
  private static final String[] CITIES = {"Lyon", "Porto", "Gdansk", "Leeds", "Bergen", "Turin"};
  private static final String[] NAMES = {
    "Ada", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Niklaus", "Margaret"
  };

  private enum Step {
    NEW_ORDER,
    PAY,
    REPRICE,
    NEW_ORDER_2,
    SHIP,
    NEW_PRODUCT,
    CANCEL,
    CUSTOMER,
    DELIVER,
    REMOVE_PRODUCT
  }

  /** How many transactions one cycle of every kind of change takes. */
  static final int CYCLE = Step.values().length;

  private final Connection db;
  private final Random random = new Random(7);
  private int steps;
  private int customersTouched;

  private Shop(Connection db) {
    this.db = db;
  }

  /** Creates database {@code shop} on {@code server} with a few customers, products and orders. */
  static Shop create(SandboxServer server) throws SQLException {
    server.execute(
        "CREATE DATABASE shop",
        "CREATE TABLE shop.customers (id INT AUTO_INCREMENT PRIMARY KEY,"
            + " name VARCHAR(60) NOT NULL, email VARCHAR(100) NOT NULL, city VARCHAR(40),"
            + " joined DATETIME(3) NOT NULL)",
        "CREATE TABLE shop.products (id INT AUTO_INCREMENT PRIMARY KEY,"
            + " name VARCHAR(100) NOT NULL, description VARCHAR(255),"
            + " price DECIMAL(10,2) NOT NULL, stock INT NOT NULL, updated DATETIME(3) NOT NULL)",
        "CREATE TABLE shop.orders (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
            + " customer_id INT NOT NULL, product_id INT NOT NULL, quantity INT NOT NULL,"
            + " total DECIMAL(12,2) NOT NULL,"
            + " status ENUM('placed','paid','shipped','delivered') NOT NULL,"
            + " placed DATETIME(3) NOT NULL)");
    Connection db = server.connect("shop");
    Shop shop = new Shop(db);
    try {
      db.setAutoCommit(false);
      for (int i = 0; i < 6; i++) {
        shop.newCustomer();
      }
      for (String name : FIRST_PRODUCTS) {
        shop.newProduct(name);
      }
      for (int i = 0; i < 20; i++) {
        long order = shop.newOrder();
        String status = new String[] {"placed", "paid", "shipped", "delivered"}[i % 4];
        shop.update("UPDATE orders SET status = ? WHERE id = ?", status, order);
      }
      db.commit();
      return shop;
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /** Runs the next transaction of the cycle and commits it; returns what it did. */
  String writeOne() throws SQLException {
    Step step = Step.values()[steps++ % CYCLE];
    String what =
        switch (step) {
          case NEW_ORDER, NEW_ORDER_2 -> newOrder() > 0 ? "new order" : "new product";
          case PAY -> advance("placed", "paid");
          case SHIP -> advance("paid", "shipped");
          case DELIVER -> advance("shipped", "delivered");
          case CANCEL -> cancel();
          case REPRICE -> reprice();
          case NEW_PRODUCT -> {
            newProduct(pick(ADJECTIVES) + " " + pick(THINGS));
            yield "new product";
          }
          case CUSTOMER -> customersTouched++ % 2 == 0 ? newCustomer() : move();
          case REMOVE_PRODUCT -> removeProduct();
        };
    db.commit();
    return what;
  }

  long count(String table) throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      r.next();
      long n = r.getLong(1);
      db.commit(); // end the read's transaction: the next one sees newer rows
      return n;
    }
  }

  /** The rows of {@code table}: id to the values of {@code columns}, as JDBC reads them. */
  Map<String, Map<String, Object>> rows(String table, List<String> columns) throws SQLException {
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery("SELECT id, " + String.join(", ", columns) + " FROM " + table)) {
      while (r.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String c : columns) {
          row.put(c, r.getObject(c));
        }
        rows.put(r.getString("id"), row);
      }
    }
    db.commit();
    return rows;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }

  // ---- the transactions

  private String newCustomer() throws SQLException {
    String name = pick(NAMES) + " " + (char) ('A' + random.nextInt(26)) + ".";
    update(
        "INSERT INTO customers (name, email, city, joined) VALUES (?, ?, ?, NOW(3))",
        name,
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "")
            + random.nextInt(1000)
            + "@example.com",
        pick(CITIES));
    return "new customer";
  }

  private String move() throws SQLException {
    Long id = pickId("SELECT id FROM customers");
    update("UPDATE customers SET city = ? WHERE id = ?", pick(CITIES), id);
    return "customer moved";
  }

  private void newProduct(String name) throws SQLException {
    update(
        "INSERT INTO products (name, description, price, stock, updated)"
            + " VALUES (?, ?, ?, ?, NOW(3))",
        name,
        "A " + name.toLowerCase(Locale.ROOT) + " for the " + pick(ROOMS),
        BigDecimal.valueOf(990 + random.nextInt(14000), 2),
        1 + random.nextInt(20));
  }

  /** Places an order for a product in stock; returns its id, or 0 (and adds a product) if none. */
  private long newOrder() throws SQLException {
    Long product = pickId("SELECT id FROM products WHERE stock > 0");
    if (product == null) {
      newProduct(pick(ADJECTIVES) + " " + pick(THINGS));
      return 0;
    }
    Long customer = pickId("SELECT id FROM customers");
    int quantity = 1 + random.nextInt(3);
    update(
        "INSERT INTO orders (customer_id, product_id, quantity, total, status, placed)"
            + " SELECT ?, id, LEAST(?, stock), price * LEAST(?, stock), 'placed', NOW(3)"
            + " FROM products WHERE id = ?",
        customer,
        quantity,
        quantity,
        product);
    long order;
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT LAST_INSERT_ID()")) {
      r.next();
      order = r.getLong(1);
    }
    update(
        "UPDATE products p JOIN orders o ON o.product_id = p.id"
            + " SET p.stock = p.stock - o.quantity, p.updated = NOW(3) WHERE o.id = ?",
        order);
    return order;
  }

  private String advance(String from, String to) throws SQLException {
    Long order = pickId("SELECT id FROM orders WHERE status = '" + from + "'");
    if (order == null) {
      return newOrder() > 0 ? "new order" : "new product";
    }
    update("UPDATE orders SET status = ? WHERE id = ?", to, order);
    return to;
  }

  /** Deletes a placed order and puts its items back in stock. */
  private String cancel() throws SQLException {
    Long order = pickId("SELECT id FROM orders WHERE status = 'placed'");
    if (order == null) {
      return reprice();
    }
    update(
        "UPDATE products p JOIN orders o ON o.product_id = p.id"
            + " SET p.stock = p.stock + o.quantity, p.updated = NOW(3) WHERE o.id = ?",
        order);
    update("DELETE FROM orders WHERE id = ?", order);
    return "order cancelled";
  }

  private String reprice() throws SQLException {
    Long product = pickId("SELECT id FROM products");
    BigDecimal factor = BigDecimal.valueOf(90 + random.nextInt(21), 2); // 0.90 .. 1.10
    update(
        "UPDATE products SET price = ROUND(price * ?, 2), updated = NOW(3) WHERE id = ?",
        factor,
        product);
    return "price change";
  }

  /** Deletes a product nobody ordered. */
  private String removeProduct() throws SQLException {
    Long product =
        pickId(
            "SELECT id FROM products p"
                + " WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.product_id = p.id)");
    if (product == null) {
      return reprice();
    }
    update("DELETE FROM products WHERE id = ?", product);
    return "product removed";
  }

  // ---- helpers

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** A random id from the query's rows (in id order, so the seed decides), or null if none. */
  private Long pickId(String query) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery(query + " ORDER BY id")) {
      while (r.next()) {
        ids.add(r.getLong(1));
      }
    }
    return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
  }

  private void update(String sql, Object... values) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      s.executeUpdate();
    }
  }
}
