package org.hashdb.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** JSON of the private lookup routes, read strictly where the contract fixes a type. */
final class PsiCodec {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private PsiCodec() {}

  static PsiConfig decodeConfig(byte[] body) {
    String suite = null;
    String mode = null;
    int bucketBits = -1;
    int bucketSize = -1;
    int maxQueries = -1;
    String pk = null;
    String previous = null;
    try (JsonParser p = JSON.createParser(body)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, "config is not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        switch (f) {
          case "suite" -> suite = p.getValueAsString();
          case "mode" -> mode = p.getValueAsString();
          case "bucketBits" -> bucketBits = intValue(p, v, f);
          case "bucketSize" -> bucketSize = intValue(p, v, f);
          case "maxQueries" -> maxQueries = intValue(p, v, f);
          case "publicKey" -> pk = p.getValueAsString();
          case "previousPublicKey" -> previous = p.getValueAsString();
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new PrivateLookupException("the server's PSI config is not valid JSON", e);
    }
    expect("P256-SHA256".equals(suite), "unsupported PSI suite " + suite);
    expect("voprf".equals(mode), "unsupported PSI mode " + mode);
    expect(bucketBits >= 0 && bucketBits <= 32, "PSI config: bucketBits out of range");
    expect(bucketSize >= 1 && bucketSize <= 1 << 20, "PSI config: bucketSize out of range");
    expect(maxQueries >= 1, "PSI config: maxQueries out of range");
    expect(pk != null, "PSI config: publicKey missing");
    return new PsiConfig(bucketBits, bucketSize, maxQueries, pk.toLowerCase(java.util.Locale.ROOT),
        previous == null ? null : previous.toLowerCase(java.util.Locale.ROOT));
  }

  /** A decoded lookup answer (hex strings as sent, lowercased). */
  record Answer(List<String> evaluated, String proof, String publicKey,
      Map<Long, List<String>> buckets) {}

  static Answer decodeAnswer(byte[] body, int maxValuesPerBucket) {
    List<String> evaluated = new ArrayList<>();
    String proof = null;
    String pk = null;
    Map<Long, List<String>> buckets = new HashMap<>();
    try (JsonParser p = JSON.createParser(body)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, "answer is not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        switch (f) {
          case "evaluatedElements" -> {
            expect(v == JsonToken.START_ARRAY, "evaluatedElements is not an array");
            while (p.nextToken() != JsonToken.END_ARRAY) {
              evaluated.add(string(p, "evaluatedElements[]"));
            }
          }
          case "proof" -> proof = string(p, "proof");
          case "publicKey" -> pk = string(p, "publicKey");
          case "buckets" -> {
            expect(v == JsonToken.START_OBJECT, "buckets is not an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              long b;
              try {
                b = Long.parseLong(p.currentName());
              } catch (NumberFormatException e) {
                throw new PrivateLookupException("bucket key is not a number");
              }
              expect(p.nextToken() == JsonToken.START_ARRAY, "bucket " + b + " is not an array");
              List<String> values = new ArrayList<>();
              while (p.nextToken() != JsonToken.END_ARRAY) {
                expect(values.size() < maxValuesPerBucket, "bucket " + b + " is too large");
                String s = string(p, "bucket value");
                expect(s.length() == 64, "bucket " + b + ": value is not 32 bytes");
                values.add(s);
              }
              buckets.put(b, values);
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new PrivateLookupException("the server's private lookup answer is not valid JSON", e);
    }
    expect(proof != null && pk != null, "answer lacks proof or publicKey");
    return new Answer(evaluated, proof, pk, buckets);
  }

  private static String string(JsonParser p, String what) throws IOException {
    expect(p.currentToken() == JsonToken.VALUE_STRING, what + " is not a string");
    return p.getText().toLowerCase(java.util.Locale.ROOT);
  }

  private static int intValue(JsonParser p, JsonToken v, String f) throws IOException {
    expect(v == JsonToken.VALUE_NUMBER_INT, "PSI config: " + f + " is not an integer");
    long x = p.getLongValue();
    expect(x >= 0 && x <= Integer.MAX_VALUE, "PSI config: " + f + " out of range");
    return (int) x;
  }

  private static void expect(boolean ok, String message) {
    if (!ok) {
      throw new PrivateLookupException(message);
    }
  }
}
