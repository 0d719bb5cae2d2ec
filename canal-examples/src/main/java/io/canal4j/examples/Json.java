package io.canal4j.examples;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the search responses into maps, lists, strings, {@link java.math.BigDecimal}s and booleans,
 * with jackson-core's streaming parser (which the indexer already brings), so that the demo needs
 * no JSON library of its own.
 */
final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  static Object parse(String text) {
    try (JsonParser p = FACTORY.createParser(text)) {
      p.nextToken();
      return value(p);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  /** The value at {@code path} (object keys) in {@code root}, or null where it is missing. */
  static Object at(Object root, String... path) {
    Object v = root;
    for (String key : path) {
      if (!(v instanceof Map<?, ?> m)) {
        return null;
      }
      v = m.get(key);
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object root, String... path) {
    Object v = at(root, path);
    return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
  }

  static List<?> array(Object root, String... path) {
    Object v = at(root, path);
    return v instanceof List<?> l ? l : List.of();
  }

  static long number(Object root, String... path) {
    Object v = at(root, path);
    return v instanceof Number n ? n.longValue() : 0;
  }

  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          p.nextToken();
          m.put(key, value(p));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return p.getDecimalValue();
      }
      case VALUE_TRUE -> {
        return true;
      }
      case VALUE_FALSE -> {
        return false;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected " + t);
    }
  }
}
