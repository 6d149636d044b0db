package org.hashdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hashdb.core.video.VpdqFrame;
import org.hashdb.core.video.VpdqMatchOptions;
import org.junit.jupiter.api.Test;

/** The JSON of {@code POST /v1/lookup/video} as the HTTP client writes and reads it. */
class VideoJsonTest {
  @Test
  void request_carriesFramesAndOnlyTheThresholdsGiven() {
    byte[] h = new byte[32];
    h[0] = (byte) 0xab;
    List<VpdqFrame> frames = List.of(new VpdqFrame(0, 100, h, 0), new VpdqFrame(25, 40, h, 1));
    String hex = "ab" + "00".repeat(31);
    String plain = new String(VideoJson.encodeRequest(frames, null), StandardCharsets.US_ASCII);
    assertThat(plain).isEqualTo("{\"frames\":[{\"pdq\":\"" + hex + "\",\"quality\":100},{\"pdq\":\"" + hex
        + "\",\"quality\":40}]}");
    String set = new String(VideoJson.encodeRequest(frames, new VpdqMatchOptions(20, 60, 70.5, 10, false, 90)),
        StandardCharsets.US_ASCII);
    assertThat(set).endsWith("],\"maxDistance\":20,\"minQuality\":60,\"storedPercent\":70.5,\"queryPercent\":10.0,"
        + "\"excerpt\":false,\"excerptQueryPercent\":90.0}");
  }

  @Test
  void response_decodesMatches_andRefusesMalformedOnes() {
    String body = "{\"queryFrames\":10,\"matches\":[{\"entry\":\"40000001\",\"list\":\"l\",\"category\":\"A1\","
        + "\"queryPercent\":100.0,\"storedPercent\":50,\"rule\":\"excerpt\",\"storedFrames\":20}]}";
    List<VideoMatch> m = VideoJson.decodeResponse(body.getBytes(StandardCharsets.UTF_8));
    assertThat(m).containsExactly(new VideoMatch("40000001", "l", "A1", 100.0, 50.0, "excerpt"));
    assertThatThrownBy(() -> VideoJson.decodeResponse("{\"matches\":[{\"entry\":\"x\"}]}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(HashDbException.class);
    assertThatThrownBy(() -> VideoJson.decodeResponse("{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(HashDbException.class);
  }
}
