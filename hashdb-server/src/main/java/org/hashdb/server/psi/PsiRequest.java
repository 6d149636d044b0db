package org.hashdb.server.psi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import org.hashdb.core.psi.Voprf;
import org.hashdb.server.ApiException;

/**
 * A parsed {@code POST /v1/psi/lookup} body: {@code {"queries":[{"bucket":n,"blindedElement":
 * "<66 hex>"}, ...], "publicKey":"<66 hex>"?}}. Checks shape, counts, bucket ranges and hex
 * lengths; points are checked on the curve later, off the event loop. Blinded elements live
 * only in this object for the duration of one request: never logged, never stored.
 */
public final class PsiRequest {
  final long[] buckets;
  final byte[][] blinded;
  final byte[] publicKey; // null: the current key

  PsiRequest(long[] buckets, byte[][] blinded, byte[] publicKey) {
    this.buckets = buckets;
    this.blinded = blinded;
    this.publicKey = publicKey;
  }

  public int size() {
    return buckets.length;
  }

  /**
   * Parses a request body (UTF-8 already checked by the caller).
   *
   * @throws ApiException 400 {@code invalid_json} for malformed JSON, 400 {@code
   *     invalid_request} naming the field, 413 for too many queries
   */
  public static PsiRequest parse(JsonFactory json, InputStream body, int bucketBits,
      int maxQueries) {
    long[] buckets = new long[Math.min(maxQueries, 64)];
    byte[][] blinded = new byte[buckets.length][];
    int n = 0;
    byte[] pk = null;
    boolean sawQueries = false;
    try (JsonParser p = json.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw badJson("empty body, expected a JSON object");
      }
      expect(first == JsonToken.START_OBJECT, "body: must be a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("queries")) {
          expect(v == JsonToken.START_ARRAY, "queries: must be an array");
          sawQueries = true;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == maxQueries) {
              throw new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                  "payload_too_large", "queries: more than " + maxQueries + " in one request");
            }
            if (n == buckets.length) {
              buckets = java.util.Arrays.copyOf(buckets, Math.min(maxQueries, n * 2));
              blinded = java.util.Arrays.copyOf(blinded, buckets.length);
            }
            parseQuery(p, n, bucketBits, buckets, blinded);
            n++;
          }
        } else if (field.equals("publicKey")) {
          expect(v == JsonToken.VALUE_STRING, "publicKey: must be a string");
          pk = hex(p.getText(), Voprf.ELEMENT_BYTES, "publicKey");
        } else {
          p.skipChildren(); // unknown fields are ignored (API conventions)
        }
      }
      expect(p.currentToken() == JsonToken.END_OBJECT, "body: must be a JSON object");
      if (p.nextToken() != null) {
        throw badJson("data after the JSON value");
      }
    } catch (IOException e) {
      throw badJson("not valid JSON" + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
          && j.getLocation() != null ? " at line " + j.getLocation().getLineNr() + ", column "
          + j.getLocation().getColumnNr() : ""));
    }
    expect(sawQueries, "queries: required");
    expect(n > 0, "queries: must hold at least one query");
    return new PsiRequest(java.util.Arrays.copyOf(buckets, n), java.util.Arrays.copyOf(blinded, n),
        pk);
  }

  private static void parseQuery(JsonParser p, int i, int bucketBits, long[] buckets,
      byte[][] blinded) throws IOException {
    String where = "queries[" + i + "]";
    expect(p.currentToken() == JsonToken.START_OBJECT, where + ": must be an object");
    boolean sawBucket = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("bucket")) {
        long limit = 1L << bucketBits;
        expect(v == JsonToken.VALUE_NUMBER_INT, where + ".bucket: must be an integer in 0.."
            + (limit - 1));
        boolean fits = p.getNumberType() == JsonParser.NumberType.INT
            || p.getNumberType() == JsonParser.NumberType.LONG;
        long b = fits ? p.getLongValue() : -1;
        expect(b >= 0 && b < limit, where + ".bucket: must be an integer in 0.." + (limit - 1));
        buckets[i] = b;
        sawBucket = true;
      } else if (field.equals("blindedElement")) {
        expect(v == JsonToken.VALUE_STRING, where + ".blindedElement: must be a string");
        blinded[i] = hex(p.getText(), Voprf.ELEMENT_BYTES, where + ".blindedElement");
      } else {
        p.skipChildren(); // unknown fields are ignored (API conventions)
      }
    }
    expect(sawBucket, where + ".bucket: required");
    expect(blinded[i] != null, where + ".blindedElement: required");
  }

  private static byte[] hex(String s, int bytes, String where) {
    if (s.length() != 2 * bytes) {
      throw invalid(where + ": must be " + 2 * bytes + " hex digits, got " + s.length());
    }
    byte[] out = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      int hi = hexDigit(s.charAt(2 * i));
      int lo = hexDigit(s.charAt(2 * i + 1));
      if (hi < 0 || lo < 0) {
        throw invalid(where + ": not hexadecimal");
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static void expect(boolean ok, String message) {
    if (!ok) {
      throw invalid(message);
    }
  }

  private static ApiException badJson(String message) {
    return new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_json", message);
  }

  static ApiException invalid(String message) {
    return new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid_request", message);
  }
}
