package org.hashdb.core.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.db.NewEntry;
import org.junit.jupiter.api.Test;

class ListReaderTest {
  private static final String MD5 = "d41d8cd98f00b204e9800998ecf8427e";
  private static final String SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static List<NewEntry> readAll(ListReader r, List<LineError> errors) throws IOException {
    List<NewEntry> out = new ArrayList<>();
    while (r.next(out, 2, errors::add)) {
      // batches of 2 exercise the batch boundary
    }
    return out;
  }

  @Test
  void csv_headerQuotesCommentsAndCrlf_parsed() throws IOException {
    String csv = "type,hash,category,source\r\n"
        + "# a comment\n"
        + "\n"
        + "MD5," + MD5.toUpperCase() + ",A1,police\r\n"
        + "sha1," + SHA1 + ",\"B, with comma\",\"said \"\"x\"\"\"\n"
        + "pdq," + PDQ + ",,,100"; // no final newline
    List<LineError> errors = new ArrayList<>();
    try (ListReader r = ListReader.builder(text(csv), "eokm-nl").category("default").build()) {
      List<NewEntry> rows = readAll(r, errors);
      assertThat(errors).isEmpty();
      assertThat(rows).hasSize(3);
      assertThat(rows.get(0).type()).isEqualTo(HashType.MD5);
      assertThat(Hex.encode(rows.get(0).value())).isEqualTo(MD5);
      assertThat(rows.get(0).category()).isEqualTo("A1");
      assertThat(rows.get(1).category()).isEqualTo("B, with comma");
      assertThat(rows.get(1).source()).isEqualTo("said \"x\"");
      assertThat(rows.get(2).category()).isEqualTo("default");
      assertThat(rows).allSatisfy(e -> assertThat(e.list()).isEqualTo("eokm-nl"));
      assertThat(r.lineNumber()).isEqualTo(6);
    }
  }

  @Test
  void csv_badLines_reportedWithNumbersAndReadingContinues() throws IOException {
    String csv = "md5," + MD5 + "\n"
        + "md5,xyz\n"
        + "crc32," + MD5 + "\n"
        + "sha1," + MD5 + "\n"
        + "pdq," + PDQ + ",,,12\n"
        + "md5\n"
        + "md5," + MD5.replace('d', 'e') + "\n";
    List<LineError> errors = new ArrayList<>();
    try (ListReader r = ListReader.builder(text(csv), "l").build()) {
      List<NewEntry> rows = readAll(r, errors);
      assertThat(rows).hasSize(2);
      assertThat(errors).extracting(LineError::line).containsExactly(2L, 3L, 4L, 5L, 6L);
      assertThat(errors.get(0).reason()).contains("32 hex digits");
      assertThat(errors.get(1).reason()).contains("unknown hash type");
      assertThat(errors.get(2).reason()).contains("40 hex digits");
      assertThat(errors.get(3).reason()).contains("quality 12 is below 50");
      assertThat(errors.get(4).reason()).contains("got 1 fields");
    }
  }

  @Test
  void csv_lowQualityPdqForced_accepted() throws IOException {
    List<LineError> errors = new ArrayList<>();
    try (ListReader r = ListReader.builder(text("pdq," + PDQ + ",,,12\n"), "l").allowLowQuality(true).build()) {
      assertThat(readAll(r, errors)).hasSize(1);
      assertThat(errors).isEmpty();
    }
  }

  @Test
  void hex_needsType_andParsesLines() throws IOException {
    assertThatThrownBy(() -> ListReader.builder(text(""), "l").format(ListFormat.HEX).build())
        .hasMessageContaining("--type");
    List<LineError> errors = new ArrayList<>();
    try (ListReader r = ListReader.builder(text(MD5 + "\n  " + MD5.toUpperCase() + "  \nzz\n"), "l")
        .format(ListFormat.HEX).type(HashType.MD5).build()) {
      assertThat(readAll(r, errors)).hasSize(2);
      assertThat(errors).extracting(LineError::line).containsExactly(3L);
    }
  }

  @Test
  void overlongLine_rejectedWithoutBufferingIt() throws IOException {
    String huge = "md5," + "a".repeat(1_000_000) + "\nmd5," + MD5 + "\n";
    List<LineError> errors = new ArrayList<>();
    try (ListReader r = ListReader.builder(text(huge), "l").build()) {
      assertThat(readAll(r, errors)).hasSize(1);
      assertThat(errors).singleElement().satisfies(e -> {
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.reason()).contains("longer than");
      });
    }
  }

  @Test
  void invalidUtf8_failsNamingLine() {
    byte[] bad = ("md5," + MD5 + "\nmd5,\u00e9").getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> {
      try (ListReader r = ListReader.builder(new ByteArrayInputStream(bad), "l").build()) {
        readAll(r, new ArrayList<>());
      }
    }).isInstanceOf(CharacterCodingException.class).hasMessageContaining("line 2").hasMessageContaining("UTF-8");
  }
}
