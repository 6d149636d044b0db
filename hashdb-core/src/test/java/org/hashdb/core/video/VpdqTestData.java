package org.hashdb.core.video;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/** The vPDQ sample files in {@code src/test/resources/vpdq} (see NOTICE.md there). */
public final class VpdqTestData {
  public static final String CHAIR_19 = "chair-19-sd-bar.txt";
  public static final String CHAIR_22_SEPIA = "chair-22-sd-sepia-bar.txt";
  public static final String CHAIR_22_LOGO = "chair-22-with-large-logo-bar.txt";

  private VpdqTestData() {}

  public static Path file(String name) {
    URL url = VpdqTestData.class.getResource("/vpdq/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no test resource vpdq/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<VpdqFrame> frames(String name) throws IOException {
    return VpdqText.read(file(name));
  }

  public static byte[] canonical(String name) throws IOException {
    return VpdqFrames.canonical(frames(name), VpdqFrames.DEFAULT_MIN_QUALITY);
  }
}
