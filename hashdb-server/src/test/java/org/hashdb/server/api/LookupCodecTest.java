package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.NewEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.hashdb.testing.TestRandom;

class LookupCodecTest {
  private static final String MD5 = "d41d8cd98f00b204e9800998ecf8427e";

  private static LookupBatch parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static LookupBatch parse(byte[] json) {
    LookupBatch b = new LookupBatch();
    ByteBuf buf = Unpooled.wrappedBuffer(json);
    try {
      LookupCodec.parseQueries(buf, b, 100, 31, 64);
    } finally {
      buf.release();
    }
    return b;
  }

  private static void assertRejected(String json, int status, String code, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status().code()).isEqualTo(status);
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.getMessage()).contains(message);
        });
  }

  @Test
  void parseQueries_randomBatches_matchOracle() {
    Random r = TestRandom.random(5);
    HashType[] types = HashType.values();
    for (int round = 0; round < 200; round++) {
      int n = r.nextInt(60);
      StringBuilder sb = new StringBuilder("{\"queries\":[");
      HashType[] t = new HashType[n];
      byte[][] v = new byte[n][];
      int[] d = new int[n];
      for (int i = 0; i < n; i++) {
        t[i] = types[r.nextInt(types.length)];
        v[i] = new byte[t[i].byteLength()];
        r.nextBytes(v[i]);
        d[i] = r.nextBoolean() ? r.nextInt(65) : -1;
        String hex = r.nextBoolean() ? Hex.encode(v[i]) : Hex.encode(v[i]).toUpperCase();
        String fields = r.nextBoolean()
            ? "\"type\":\"" + t[i].apiName() + "\",\"hash\":\"" + hex + "\""
            : "\"hash\":\"" + hex + "\",\"x\":{\"y\":[1,2]},\"type\":\"" + t[i].apiName() + "\"";
        if (d[i] >= 0) {
          fields += ",\"maxDistance\":" + d[i];
        }
        sb.append(i == 0 ? "" : ",").append('{').append(fields).append('}');
      }
      LookupBatch b = parse(sb.append("]}").toString());
      assertThat(b.size()).isEqualTo(n);
      for (int i = 0; i < n; i++) {
        assertThat(b.type(i)).isEqualTo(t[i]);
        byte[] got = java.util.Arrays.copyOfRange(b.values(), i * LookupBatch.STRIDE,
            i * LookupBatch.STRIDE + t[i].byteLength());
        assertThat(got).isEqualTo(v[i]);
        assertThat(b.maxDistance(i)).isEqualTo(d[i] < 0 ? 31 : d[i]);
      }
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"queries\":[{\"type\":\"md5\",\"hash\":\"" + MD5 + "\",\"maxDistance\":\"20\"}]}|400|invalid_request|queries[0].maxDistance: expected an integer",
    "{\"queries\":[{\"type\":\"md5\",\"hash\":\"" + MD5 + "\",\"maxDistance\":1.5}]}|400|invalid_request|queries[0].maxDistance",
    "{\"queries\":[{\"type\":\"md5\",\"hash\":\"" + MD5 + "\",\"maxDistance\":true}]}|400|invalid_request|queries[0].maxDistance",
    "{\"queries\":[{\"type\":\"md5\",\"hash\":\"" + MD5 + "\",\"maxDistance\":65}]}|400|invalid_request|must be in 0..64",
    "{\"queries\":[{\"type\":\"md5\",\"hash\":\"" + MD5 + "\",\"maxDistance\":99999999999999999999}]}|400|invalid_request|maxDistance",
    "{\"queries\":[{\"type\":\"md5\",\"hash\":\"" + MD5 + "\",\"maxDistance\":-1}]}|400|invalid_request|maxDistance",
    "{\"queries\":[{\"type\":5,\"hash\":\"" + MD5 + "\"}]}|400|invalid_request|queries[0].type: expected a string",
    "{\"queries\":[{\"type\":\"md5\",\"hash\":123}]}|400|invalid_request|queries[0].hash: expected a string",
    "{\"queries\":[{\"type\":\"md4\",\"hash\":\"" + MD5 + "\"}]}|400|unknown_hash_type|queries[0].type",
    "{\"queries\":[{\"type\":\"md5\"}]}|400|invalid_request|queries[0].hash: required",
    "{\"queries\":[{\"hash\":\"" + MD5 + "\"}]}|400|invalid_request|queries[0].type: required",
    "{\"queries\":[{\"type\":\"md5\",\"hash\":\"" + MD5 + "0\"}]}|400|invalid_hash|queries[0].hash: md5 hash must have 32 hex digits",
    "{\"queries\":{}}|400|invalid_request|queries: expected an array",
    "{\"queries\":[1]}|400|invalid_request|queries[0]: expected an object",
    "{}|400|invalid_request|queries: required",
    "[]|400|invalid_request|expected a JSON object",
    "{\"queries\":[]} x|400|invalid_json|",
    "{\"queries\":[]}{}|400|invalid_json|data after the JSON value",
    "{\"queries\":[],\"queries\":[]}|400|invalid_json|Duplicate field",
    "{\"queries\":[}|400|invalid_json|",
    "''|400|invalid_json|empty body",
  })
  void parseQueries_badInput_rejectedWithCodeAndPlace(String json, int status, String code,
      String message) {
    assertRejected(json, status, code, message == null ? "" : message);
  }

  @Test
  void parseQueries_moreThanLimit_413() {
    StringBuilder sb = new StringBuilder("{\"queries\":[");
    for (int i = 0; i < 101; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"type\":\"md5\",\"hash\":\"").append(MD5).append("\"}");
    }
    assertRejected(sb + "]}", 413, "payload_too_large", "more than 100 queries");
    assertThat(parse(sb.substring(0, sb.lastIndexOf(",{")) + "]}").size()).isEqualTo(100);
  }

  @Test
  void parseQueries_invalidUtf8AnywhereEvenInSkippedField_400() {
    byte[] prefix = "{\"queries\":[],\"skip\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[][] bad = {{(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xff}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
    for (byte[] b : bad) {
      byte[] json = new byte[prefix.length + b.length + 2];
      System.arraycopy(prefix, 0, json, 0, prefix.length);
      System.arraycopy(b, 0, json, prefix.length, b.length);
      json[json.length - 2] = '"';
      json[json.length - 1] = '}';
      assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(ApiException.class,
          e -> assertThat(e.code()).isEqualTo("invalid_json"));
    }
    byte[] ok = "{\"queries\":[],\"skip\":\"h\u00e9\u20ac\ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(parse(ok).size()).isZero();
  }

  @Test
  void parseEntries_valid_buildsEntries() {
    ByteBuf buf = Unpooled.copiedBuffer("{\"entries\":[{\"type\":\"md5\",\"hash\":\"" + MD5
        + "\",\"list\":\"l\",\"category\":\"A1\",\"source\":null,\"x\":1}]}", StandardCharsets.UTF_8);
    List<NewEntry> e = LookupCodec.parseEntries(buf, 10);
    buf.release();
    assertThat(e).hasSize(1);
    assertThat(e.get(0).value()).isEqualTo(Hex.decode(HashType.MD5, MD5));
    assertThat(e.get(0).category()).isEqualTo("A1");
    assertThat(e.get(0).source()).isEmpty();
  }

  @Test
  void parseEntries_badEntry_namesIndex() {
    ByteBuf buf = Unpooled.copiedBuffer("{\"entries\":[{\"type\":\"md5\",\"hash\":\"" + MD5
        + "\",\"list\":\"l\"},{\"type\":\"md5\",\"hash\":\"" + MD5 + "\"}]}",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> LookupCodec.parseEntries(buf, 10))
        .hasMessage("entries[1].list: required");
    buf.release();
  }
}
