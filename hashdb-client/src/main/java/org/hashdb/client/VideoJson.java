package org.hashdb.client;

import static org.hashdb.client.ResponseJson.expect;
import static org.hashdb.client.ResponseJson.malformed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.hashdb.client.VideoMatch;
import org.hashdb.core.video.VpdqFrame;
import org.hashdb.core.video.VpdqMatchOptions;

/**
 * JSON of {@code POST /v1/lookup/video}: request {@code {"frames":[{"pdq":HEX,"quality":Q},...],
 * "maxDistance":..,...}}, response {@code {"queryFrames":N,"matches":[{entry, list, category,
 * queryPercent, storedPercent, rule}]}}. Frame numbers and timestamps take no part in matching and
 * are not sent.
 */
final class VideoJson {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private VideoJson() {}

  /** The request body; {@code options} null leaves every threshold to the server. */
  public static byte[] encodeRequest(List<VpdqFrame> frames, VpdqMatchOptions options) {
    StringBuilder sb = new StringBuilder(64 + frames.size() * 90).append("{\"frames\":[");
    for (int i = 0; i < frames.size(); i++) {
      VpdqFrame f = frames.get(i);
      sb.append(i == 0 ? "" : ",").append("{\"pdq\":\"").append(f.hex()).append("\",\"quality\":")
          .append(f.quality()).append('}');
    }
    sb.append(']');
    if (options != null) {
      sb.append(",\"maxDistance\":").append(options.maxDistance())
          .append(",\"minQuality\":").append(options.minQuality())
          .append(",\"storedPercent\":").append(num(options.storedPercent()))
          .append(",\"queryPercent\":").append(num(options.queryPercent()))
          .append(",\"excerpt\":").append(options.excerpt())
          .append(",\"excerptQueryPercent\":").append(num(options.excerptQueryPercent()));
    }
    return sb.append('}').toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static String num(double d) {
    return String.format(Locale.ROOT, "%s", d);
  }

  /** Reads the response's matches. */
  public static List<VideoMatch> decodeResponse(byte[] body) {
    try (JsonParser p = JSON.createParser(body)) {
      expect(p.nextToken(), JsonToken.START_OBJECT, "response");
      return ResponseJson.objectArray(p, "matches", VideoJson::readMatch);
    } catch (IOException e) {
      throw malformed(e.getMessage());
    }
  }

  private static VideoMatch readMatch(JsonParser p) throws IOException {
    String entry = null;
    String list = null;
    String category = "";
    String rule = null;
    double q = -1;
    double c = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "entry" -> entry = p.getValueAsString();
        case "list" -> list = p.getValueAsString();
        case "category" -> category = t == JsonToken.VALUE_NULL ? "" : p.getValueAsString();
        case "rule" -> rule = p.getValueAsString();
        case "queryPercent" -> q = p.getValueAsDouble(-1);
        case "storedPercent" -> c = p.getValueAsDouble(-1);
        default -> p.skipChildren();
      }
    }
    if (entry == null || list == null || rule == null || q < 0 || c < 0) {
      throw malformed("a video match lacks entry, list, rule or percentages");
    }
    return new VideoMatch(entry, list, category, q, c, rule);
  }
}
