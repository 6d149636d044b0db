package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.HashFormatException;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.Hit;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.Hit;
import org.hashdb.core.db.NewEntry;

/**
 * Strict JSON codecs of the lookup and admin bodies. A field of the wrong JSON type, a missing
 * field, data after the value, a duplicate key or invalid UTF-8 is an {@link ApiException}
 * (400) naming the field and index; unknown fields are skipped. Parsing writes into a reusable
 * {@link LookupBatch}, so a batch of queries allocates no object per query.
 */
public final class LookupCodec {
  /** Shared factory: duplicate keys are an error, nothing lenient is enabled. */
  public static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private LookupCodec() {}

  /**
   * Parses {@code {"queries":[{"type":..,"hash":..,"maxDistance":..}, ...]}} into {@code out}.
   *
   * @param maxQueries more queries than this: 413
   * @param defaultDistance maxDistance of pdq queries that give none
   * @param maxDistance largest maxDistance accepted
   */
  public static void parseQueries(ByteBuf body, LookupBatch out, int maxQueries,
      int defaultDistance, int maxDistance) {
    parseQueries(body, out, maxQueries, defaultDistance, maxDistance, maxDistance);
  }

  /**
   * Parses a batch for a key with its own PDQ distance ceiling: a query above it fails the
   * request with 400 naming the ceiling; a query without maxDistance gets the default, capped.
   *
   * @param maxDistance the server's largest maxDistance
   * @param keyCeiling the key's largest maxDistance
   */
  public static void parseQueries(ByteBuf body, LookupBatch out, int maxQueries,
      int defaultDistance, int maxDistance, int keyCeiling) {
    defaultDistance = Math.min(defaultDistance, Math.min(maxDistance, keyCeiling));
    out.clear();
    checkUtf8(body);
    try (JsonParser p = parser(body)) {
      expectStartObject(p);
      boolean seen = false;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if ("queries".equals(field)) {
          if (v != JsonToken.START_ARRAY) {
            throw ApiException.invalidRequest("queries: expected an array");
          }
          seen = true;
          parseQueryArray(p, out, maxQueries, defaultDistance, maxDistance, keyCeiling);
        } else {
          p.skipChildren();
        }
      }
      expectEnd(p);
      if (!seen) {
        throw ApiException.invalidRequest("queries: required");
      }
    } catch (JsonProcessingException e) {
      throw invalidJson(e);
    } catch (IOException e) {
      throw ApiException.badRequest("invalid_json", e.getMessage());
    }
  }

  private static void parseQueryArray(JsonParser p, LookupBatch out, int maxQueries,
      int defaultDistance, int maxDistance, int keyCeiling) throws IOException {
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      int i = out.size();
      if (i >= maxQueries) {
        throw ApiException.tooLarge("more than " + maxQueries + " queries in one request");
      }
      if (t != JsonToken.START_OBJECT) {
        throw ApiException.invalidRequest("queries[" + i + "]: expected an object");
      }
      out.add();
      HashType type = null;
      boolean hashSeen = false;
      char[] hashChars = null;
      int hashOff = 0;
      int hashLen = 0;
      int distance = -1;
      for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "type" -> {
            requireString(v, "queries[" + i + "].type");
            type = HashType.find(CharBuffer.wrap(p.getTextCharacters()), p.getTextOffset(),
                p.getTextOffset() + p.getTextLength());
            if (type == null) {
              throw ApiException.badRequest("unknown_hash_type", "queries[" + i
                  + "].type: unknown hash type (expected md5, sha1, sha256 or pdq)");
            }
          }
          case "hash" -> {
            requireString(v, "queries[" + i + "].hash");
            hashSeen = true;
            // decoded once the type is known; the text must be copied if type comes later
            hashChars = p.getTextCharacters();
            hashOff = p.getTextOffset();
            hashLen = p.getTextLength();
            if (type == null) {
              hashChars = java.util.Arrays.copyOfRange(hashChars, hashOff, hashOff + hashLen);
              hashOff = 0;
            } else {
              decodeHash(type, hashChars, hashOff, hashLen, out, i);
              hashChars = null;
            }
          }
          case "maxDistance" -> distance = distance(p, v, "queries[" + i + "].maxDistance",
              maxDistance, keyCeiling);
          default -> p.skipChildren();
        }
      }
      if (type == null) {
        throw ApiException.invalidRequest("queries[" + i + "].type: required");
      }
      if (!hashSeen) {
        throw ApiException.invalidRequest("queries[" + i + "].hash: required");
      }
      if (hashChars != null) {
        decodeHash(type, hashChars, hashOff, hashLen, out, i);
      }
      out.set(i, type, distance < 0 ? defaultDistance : distance);
    }
  }

  private static void decodeHash(HashType type, char[] chars, int off, int len, LookupBatch out,
      int i) {
    try {
      Hex.decode(type, chars, off, off + len, out.values(), i * LookupBatch.STRIDE);
    } catch (HashFormatException e) {
      throw ApiException.badRequest("invalid_hash", "queries[" + i + "].hash: " + e.getMessage());
    }
  }

  /** A maxDistance value: a JSON integer in 0..max, and not above the key's ceiling. */
  static int distance(JsonParser p, JsonToken v, String where, int max, int keyCeiling)
      throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT) {
      throw ApiException.invalidRequest(where + ": expected an integer");
    }
    if (p.getNumberType() != JsonParser.NumberType.INT) {
      throw ApiException.invalidRequest(where + ": must be in 0.." + Math.min(max, keyCeiling));
    }
    return DistanceCeiling.check(where, p.getIntValue(), max, keyCeiling);
  }

  /**
   * Parses {@code {"entries":[{"type","hash","list","category"?,"source"?}, ...]}}.
   *
   * @param maxEntries more entries than this: 413
   */
  public static List<NewEntry> parseEntries(ByteBuf body, int maxEntries) {
    checkUtf8(body);
    List<NewEntry> entries = null;
    try (JsonParser p = parser(body)) {
      expectStartObject(p);
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if ("entries".equals(field)) {
          if (v != JsonToken.START_ARRAY) {
            throw ApiException.invalidRequest("entries: expected an array");
          }
          entries = parseEntryArray(p, maxEntries);
        } else {
          p.skipChildren();
        }
      }
      expectEnd(p);
    } catch (JsonProcessingException e) {
      throw invalidJson(e);
    } catch (IOException e) {
      throw ApiException.badRequest("invalid_json", e.getMessage());
    }
    if (entries == null) {
      throw ApiException.invalidRequest("entries: required");
    }
    return entries;
  }

  private static List<NewEntry> parseEntryArray(JsonParser p, int maxEntries) throws IOException {
    List<NewEntry> out = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      int i = out.size();
      if (i >= maxEntries) {
        throw ApiException.tooLarge("more than " + maxEntries + " entries in one request");
      }
      if (t != JsonToken.START_OBJECT) {
        throw ApiException.invalidRequest("entries[" + i + "]: expected an object");
      }
      String type = null;
      String hash = null;
      String list = null;
      String category = "";
      String source = "";
      for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        String where = "entries[" + i + "]." + field;
        switch (field) {
          case "type" -> type = string(p, v, where, false);
          case "hash" -> hash = string(p, v, where, false);
          case "list" -> list = string(p, v, where, false);
          case "category" -> category = string(p, v, where, true);
          case "source" -> source = string(p, v, where, true);
          default -> p.skipChildren();
        }
      }
      if (type == null) {
        throw ApiException.invalidRequest("entries[" + i + "].type: required");
      }
      if (hash == null) {
        throw ApiException.invalidRequest("entries[" + i + "].hash: required");
      }
      if (list == null) {
        throw ApiException.invalidRequest("entries[" + i + "].list: required");
      }
      HashType ht;
      try {
        ht = HashType.parse(type);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("unknown_hash_type",
            "entries[" + i + "].type: " + e.getMessage());
      }
      byte[] value = new byte[ht.byteLength()];
      try {
        Hex.decode(ht, hash, value, 0);
      } catch (HashFormatException e) {
        throw ApiException.badRequest("invalid_hash", "entries[" + i + "].hash: " + e.getMessage());
      }
      out.add(new NewEntry(ht, value, list, category == null ? "" : category,
          source == null ? "" : source));
    }
    return out;
  }

  private static String string(JsonParser p, JsonToken v, String where, boolean nullable)
      throws IOException {
    if (v == JsonToken.VALUE_NULL && nullable) {
      return "";
    }
    requireString(v, where);
    return p.getText();
  }

  private static void requireString(JsonToken v, String where) {
    if (v != JsonToken.VALUE_STRING) {
      throw ApiException.invalidRequest(where + ": expected a string");
    }
  }

  static JsonParser parser(ByteBuf body) throws IOException {
    if (body.hasArray()) {
      return JSON.createParser(body.array(), body.arrayOffset() + body.readerIndex(),
          body.readableBytes());
    }
    return JSON.createParser((java.io.InputStream) new ByteBufInputStream(body.duplicate()));
  }

  static void checkUtf8(ByteBuf body) {
    int bad = Utf8.firstInvalid(body);
    if (bad >= 0) {
      throw ApiException.badRequest("invalid_json", "invalid UTF-8 at byte " + bad);
    }
  }

  static void expectStartObject(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw ApiException.badRequest("invalid_json", "empty body, expected a JSON object");
    }
    if (t != JsonToken.START_OBJECT) {
      throw ApiException.invalidRequest("expected a JSON object");
    }
  }

  static void expectEnd(JsonParser p) throws IOException {
    if (p.nextToken() != null) {
      throw ApiException.badRequest("invalid_json", "data after the JSON value");
    }
  }

  static ApiException invalidJson(JsonProcessingException e) {
    String where = e.getLocation() == null ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    return ApiException.badRequest("invalid_json", e.getOriginalMessage() + where);
  }

  /** Writes one match object: entry, list, category, distance. */
  public static void writeMatch(JsonGenerator g, Hit m) throws IOException {
    g.writeStartObject();
    g.writeStringField("entry", m.entry());
    g.writeStringField("list", m.list());
    g.writeStringField("category", m.category());
    g.writeNumberField("distance", m.distance());
    g.writeEndObject();
  }

  /** Writes {@code "match":..,"matches":[..]} of one result (inside an open object). */
  public static void writeMatches(JsonGenerator g, List<Hit> matches) throws IOException {
    g.writeBooleanField("match", !matches.isEmpty());
    g.writeArrayFieldStart("matches");
    for (int i = 0; i < matches.size(); i++) {
      writeMatch(g, matches.get(i));
    }
    g.writeEndArray();
  }

  /**
   * Writes the result of one hash, {@code {"type","hash","match","matches"}}: the response of
   * {@code GET /v1/hashes/{type}/{hash}} and a line of {@code hashdb lookup --json}.
   *
   * @param hex scratch of at least {@code 2 * type.byteLength()} chars, so nothing is allocated
   */
  public static void writeHashResult(JsonGenerator g, HashType type, byte[] value, int off,
      char[] hex, List<Hit> matches) throws IOException {
    Hex.encode(value, off, type.byteLength(), hex, 0);
    g.writeStartObject();
    g.writeStringField("type", type.apiName());
    g.writeFieldName("hash");
    g.writeString(hex, 0, type.hexLength());
    writeMatches(g, matches);
    g.writeEndObject();
  }
}
