package org.hashdb.client;

import static org.hashdb.client.ResponseJson.expect;
import static org.hashdb.client.ResponseJson.malformed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.client.LookupResult;
import org.hashdb.client.Match;
import org.hashdb.client.Query;

/**
 * JSON of the lookup API (API.md, "Lookups") with jackson-core's streaming parser. Requests are
 * written by hand: they hold only ASCII names, hex and integers. Responses are read strictly
 * where the contract fixes a type and leniently about unknown fields, which are skipped.
 */
final class JsonCodec {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private JsonCodec() {}

  /** The server's error object: {@code {"error":{"code":..,"message":..}}}. */
  public record ErrorBody(String code, String message) {}

  /** Upper bound of the encoded size of one query, for splitting batches by body size. */
  public static int maxEncodedQueryBytes() {
    // {"type":"sha256","hash":"<64>","maxDistance":64},
    return 100;
  }

  /** {@code {"queries":[...]}} for {@code queries[from..to)}. */
  public static byte[] encodeQueries(List<Query> queries, int from, int to) {
    StringBuilder sb = new StringBuilder(16 + (to - from) * 90);
    sb.append("{\"queries\":[");
    for (int i = from; i < to; i++) {
      Query q = queries.get(i);
      if (i > from) {
        sb.append(',');
      }
      sb.append("{\"type\":\"").append(q.type().apiName()).append("\",\"hash\":\"").append(q.hex()).append('"');
      if (q.maxDistance() != Query.DEFAULT_DISTANCE) {
        sb.append(",\"maxDistance\":").append(q.maxDistance());
      }
      sb.append('}');
    }
    sb.append("]}");
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads {@code {"results":[...]}} answering {@code queries[from..to)}. */
  public static List<LookupResult> decodeResults(byte[] body, List<Query> queries, int from, int to) {
    try (JsonParser p = JSON.createParser(body)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, "response");
      int[] next = {from};
      List<LookupResult> out = ResponseJson.objectArray(p, "results", r -> {
        if (next[0] >= to) {
          throw malformed("more results than the " + (to - from) + " queries sent");
        }
        return readResult(r, queries.get(next[0]++));
      });
      if (next[0] != to) {
        throw malformed((next[0] - from) + " results for " + (to - from) + " queries");
      }
      return out;
    } catch (IOException e) {
      throw malformed(e.getMessage());
    }
  }

  /** Reads the answer to {@code GET /v1/hashes/{type}/{hex}}. */
  public static LookupResult decodeSingle(byte[] body, Query query) {
    try (JsonParser p = JSON.createParser(body)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, "response");
      return readResult(p, query);
    } catch (IOException e) {
      throw malformed(e.getMessage());
    }
  }

  /** Reads the result object the parser is in (after its START_OBJECT) up to its END_OBJECT. */
  private static LookupResult readResult(JsonParser p, Query query) throws IOException {
    Boolean match = null;
    List<Match> matches = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "match" -> {
          if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw malformed("\"match\" is not a boolean");
          }
          match = t == JsonToken.VALUE_TRUE;
        }
        case "matches" -> {
          expect(t, JsonToken.START_ARRAY, "matches");
          matches = new ArrayList<>(2);
          while (p.nextToken() == JsonToken.START_OBJECT) {
            matches.add(readMatch(p));
          }
        }
        default -> p.skipChildren();
      }
    }
    if (match == null || matches == null) {
      throw malformed("a result lacks \"match\" or \"matches\"");
    }
    if (match != !matches.isEmpty()) {
      throw malformed("\"match\" is " + match + " with " + matches.size() + " matches");
    }
    return new LookupResult(query.type(), query.hex(), matches);
  }

  private static Match readMatch(JsonParser p) throws IOException {
    String entry = null;
    String list = null;
    String category = "";
    int distance = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "entry" -> entry = string(p, t, name);
        case "list" -> list = string(p, t, name);
        case "category" -> category = t == JsonToken.VALUE_NULL ? "" : string(p, t, name);
        case "distance" -> {
          expect(t, JsonToken.VALUE_NUMBER_INT, "distance");
          distance = p.getIntValue();
        }
        default -> p.skipChildren();
      }
    }
    if (entry == null || list == null || distance < 0) {
      throw malformed("a match lacks \"entry\", \"list\" or a non-negative \"distance\"");
    }
    return new Match(entry, list, category, distance);
  }

  /** Parses an error body; null when it is not the API's error shape. */
  public static ErrorBody decodeError(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if ("error".equals(name) && t == JsonToken.START_OBJECT) {
          String code = null;
          String message = null;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if ("code".equals(f) && v == JsonToken.VALUE_STRING) {
              code = p.getText();
            } else if ("message".equals(f) && v == JsonToken.VALUE_STRING) {
              message = p.getText();
            } else {
              p.skipChildren();
            }
          }
          return code == null ? null : new ErrorBody(code, message == null ? code : message);
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String string(JsonParser p, JsonToken t, String field) throws IOException {
    expect(t, JsonToken.VALUE_STRING, field);
    return p.getText();
  }
}
