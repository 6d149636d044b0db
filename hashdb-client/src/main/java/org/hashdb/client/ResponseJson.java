package org.hashdb.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.client.HashDbException;

/**
 * What the response readers ({@link JsonCodec}, {@link VideoJson}) share: the one way a response
 * that is not what the API promises fails, and reading the array of objects a response is about.
 */
final class ResponseJson {
  private ResponseJson() {}

  /** Reads one object of an array, the parser on its START_OBJECT. */
  interface ObjectReader<T> {
    T read(JsonParser p) throws IOException;
  }

  /**
   * Reads the fields of the response object (the parser after its START_OBJECT): {@code field}
   * must be an array of objects, each read by {@code each}; other fields are skipped.
   */
  static <T> List<T> objectArray(JsonParser p, String field, ObjectReader<T> each)
      throws IOException {
    List<T> out = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (name.equals(field)) {
        expect(t, JsonToken.START_ARRAY, field);
        out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
          out.add(each.read(p));
        }
      } else {
        p.skipChildren();
      }
    }
    if (out == null) {
      throw malformed("no \"" + field + "\" field");
    }
    return out;
  }

  static void expect(JsonToken actual, JsonToken expected, String what) {
    if (actual != expected) {
      throw malformed(what + ": expected " + expected + ", got " + actual);
    }
  }

  static HashDbException malformed(String detail) {
    return new HashDbException("malformed response from server: " + detail);
  }
}
