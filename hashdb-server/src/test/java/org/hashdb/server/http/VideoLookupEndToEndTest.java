package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.video.VpdqComparison;
import org.hashdb.core.video.VpdqFrame;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/lookup/video} against a real server holding Meta's three sample videos. */
class VideoLookupEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SAMPLES = Path.of("../hashdb-core/src/test/resources/vpdq");
  private static final String CHAIR_19 = "chair-19-sd-bar.txt";
  private static final String SEPIA = "chair-22-sd-sepia-bar.txt";
  private static final String LOGO = "chair-22-with-large-logo-bar.txt";

  @TempDir Path dir;
  TestServer ts;
  final Map<String, byte[]> canonical = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    ts = new TestServer(dir);
    List<NewEntry> videos = new ArrayList<>();
    for (String f : List.of(CHAIR_19, SEPIA, LOGO)) {
      canonical.put(f, VpdqFrames.canonical(VpdqText.read(SAMPLES.resolve(f)), 50));
      // chair-19 on list-a (visible to listAKey), the others on list-b
      videos.add(NewEntry.video(canonical.get(f), f.equals(CHAIR_19) ? "list-a" : "list-b", "V", f));
    }
    ts.db.add(videos);
  }

  @AfterEach
  void stop() {
    ts.close();
  }

  static String body(List<VpdqFrame> frames, String extra) {
    StringBuilder sb = new StringBuilder("{\"frames\":[");
    for (int i = 0; i < frames.size(); i++) {
      VpdqFrame f = frames.get(i);
      sb.append(i == 0 ? "" : ",").append("{\"frame\":").append(f.frameNumber()).append(",\"pdq\":\"")
          .append(f.hex()).append("\",\"quality\":").append(f.quality()).append(",\"timestamp\":")
          .append(f.timestampSeconds()).append('}');
    }
    return sb.append(']').append(extra).append('}').toString();
  }

  @Test
  void sixHundredFrames_matchWithBothPercentagesAndTheRule() throws Exception {
    List<VpdqFrame> query = VpdqText.read(SAMPLES.resolve(SEPIA)).subList(0, 600);
    HttpResponse<String> r = ts.postJson("/v1/lookup/video", ts.queryKey, body(query, ""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode j = JSON.readTree(r.body());
    byte[] q = VpdqFrames.canonical(query, 50);
    assertThat(j.get("queryFrames").asInt()).isEqualTo(q.length / 32);
    // Every match's percentages are the brute-force ones, and the rule follows from them.
    for (JsonNode m : j.get("matches")) {
      String f = m.get("storedFrames").asInt() == canonical.get(CHAIR_19).length / 32 ? CHAIR_19 : SEPIA;
      VpdqComparison oracle = VpdqComparison.bruteForce(q, canonical.get(f), 31);
      assertThat(m.get("queryPercent").asDouble()).isCloseTo(oracle.queryPercent(), org.assertj.core.data.Offset.offset(0.005));
      assertThat(m.get("storedPercent").asDouble()).isCloseTo(oracle.storedPercent(), org.assertj.core.data.Offset.offset(0.005));
      assertThat(m.get("rule").asText()).isIn("vpdq", "excerpt");
    }
    assertThat(j.get("matches")).hasSize(2); // the sepia video itself and chair-19, not the logo copy
  }

  @Test
  void listVisibility_thresholdsPerRequest_andLimits() throws Exception {
    List<VpdqFrame> query = VpdqText.read(SAMPLES.resolve(CHAIR_19));
    HttpResponse<String> r = ts.postJson("/v1/lookup/video", ts.listAKey, body(query, ""));
    JsonNode j = JSON.readTree(r.body());
    assertThat(j.get("matches")).hasSize(1);
    assertThat(j.at("/matches/0/list").asText()).isEqualTo("list-a");
    assertThat(j.at("/matches/0/rule").asText()).isEqualTo("vpdq");
    assertThat(j.at("/matches/0/storedPercent").asDouble()).isEqualTo(100.0);

    // Thresholds per request: everything sharing a frame matches at 0 %.
    r = ts.postJson("/v1/lookup/video", ts.queryKey, body(query,
        ",\"storedPercent\":0,\"queryPercent\":0,\"excerpt\":false,\"maxDistance\":31"));
    assertThat(JSON.readTree(r.body()).get("matches")).hasSize(3);
    r = ts.postJson("/v1/lookup/video", ts.queryKey, body(query, ",\"maxDistance\":65"));
    assertThat(r.statusCode()).isEqualTo(400);
    r = ts.postJson("/v1/lookup/video", ts.queryKey, body(query, ",\"storedPercent\":101"));
    assertThat(r.statusCode()).isEqualTo(400);
    r = ts.postJson("/v1/lookup/video", ts.queryKey, "{\"frames\":[{\"pdq\":\"zz\",\"quality\":100}]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("frames[0].pdq");
    r = ts.postJson("/v1/lookup/video", ts.queryKey, "{}");
    assertThat(r.statusCode()).isEqualTo(400);

    List<VpdqFrame> many = new ArrayList<>();
    while (many.size() <= 3600) {
      many.addAll(query);
    }
    r = ts.postJson("/v1/lookup/video", ts.queryKey, body(many.subList(0, 3601), ""));
    assertThat(r.statusCode()).isEqualTo(413);
    r = ts.postJson("/v1/lookup/video", null, body(query, ""));
    assertThat(r.statusCode()).isEqualTo(401);
  }
}
