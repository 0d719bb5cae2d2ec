package io.canal4j.elasticsearch.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The item results of a {@code _bulk} response, read with the streaming parser, in order. */
public final class BulkResponse {
  /** One item's result: its status and, for a failure, the error's type and reason. */
  public record Item(int status, String errorType, String reason) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public String describe() {
      return status
          + (errorType == null ? "" : " " + errorType)
          + (reason == null ? "" : ": " + reason);
    }
  }

  private BulkResponse() {}

  public static List<Item> items(JsonFactory json, byte[] body) throws IOException {
    List<Item> items = new ArrayList<>();
    try (JsonParser p = json.createParser(body)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("items")) {
          p.skipChildren();
          continue;
        }
        expect(p.currentToken(), JsonToken.START_ARRAY);
        while (p.nextToken() == JsonToken.START_OBJECT) {
          expect(p.nextToken(), JsonToken.FIELD_NAME); // the action: index, delete, ...
          expect(p.nextToken(), JsonToken.START_OBJECT);
          items.add(item(p));
          expect(p.nextToken(), JsonToken.END_OBJECT);
        }
      }
    }
    return items;
  }

  private static Item item(JsonParser p) throws IOException {
    int status = 0;
    String type = null;
    String reason = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("status")) {
        status = p.getIntValue();
      } else if (field.equals("error") && t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          p.nextToken();
          if (f.equals("type")) {
            type = p.getText();
          } else if (f.equals("reason")) {
            reason = p.getText();
          } else if (f.equals("caused_by") && p.currentToken() == JsonToken.START_OBJECT) {
            String cause = causedBy(p);
            if (cause != null) {
              reason = (reason == null ? "" : reason + "; caused by ") + cause;
            }
          } else {
            p.skipChildren();
          }
        }
      } else if (field.equals("error")) {
        reason = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return new Item(status, type, reason);
  }

  private static String causedBy(JsonParser p) throws IOException {
    String type = null;
    String reason = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      if (f.equals("type")) {
        type = p.getText();
      } else if (f.equals("reason")) {
        reason = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return type == null && reason == null ? null : type + ": " + reason;
  }

  private static void expect(JsonToken got, JsonToken want) throws IOException {
    if (got != want) {
      throw new IOException("unexpected bulk response: " + got + " where " + want + " belongs");
    }
  }
}
