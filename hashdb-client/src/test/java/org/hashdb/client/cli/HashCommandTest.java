package org.hashdb.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the command standalone on a temporary tree. Tests run as root, so permissions cannot
 * make a file unreadable: the unreadable entry is a dangling symbolic link.
 */
class HashCommandTest {
  private static final String BRIDGE_PDQ =
      "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  private static final String C_PNG_PDQ =
      "e64cc9d91c623882f8d1f1d9a398e78c9f199b3bd83924f2b7e11e0bf861b064";

  @TempDir Path root;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void tree() throws Exception {
    Path photos = Files.createDirectories(root.resolve("photos"));
    Files.copy(resource("bridge-1-original.jpg"), photos.resolve("bridge.jpg"));
    Files.copy(resource("c.png"), photos.resolve("c.png"));
    byte[] jpeg = Files.readAllBytes(resource("q1050.jpg"));
    Files.write(photos.resolve("broken.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    Files.writeString(root.resolve("notes.txt"), "hello\n", StandardCharsets.UTF_8);
    Files.write(root.resolve("empty.bin"), new byte[0]);
    // A directory named like an image: must be walked, not hashed.
    Files.writeString(Files.createDirectories(root.resolve("album.jpg")).resolve("z.txt"), "z");
  }

  @Test
  void call_treeOfReadableFiles_textLinesSortedAndExitZero() throws Exception {
    int exit = run(root.toString());
    assertThat(exit).isZero();
    assertThat(err.toString()).isEmpty();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).extracting(l -> l.substring(0, l.indexOf("  "))).containsExactly(
        p("album.jpg/z.txt"), p("empty.bin"), p("notes.txt"), p("photos/bridge.jpg"),
        p("photos/broken.jpg"), p("photos/c.png"));
    assertThat(lines.get(2)).isEqualTo(p("notes.txt") + "  md5=" + digest("MD5", "notes.txt")
        + " sha1=" + digest("SHA-1", "notes.txt") + " sha256=" + digest("SHA-256", "notes.txt"));
    assertThat(lines.get(3)).isEqualTo(p("photos/bridge.jpg")
        + "  md5=" + digest("MD5", "photos/bridge.jpg")
        + " sha1=" + digest("SHA-1", "photos/bridge.jpg")
        + " sha256=" + digest("SHA-256", "photos/bridge.jpg")
        + " pdq=" + BRIDGE_PDQ + " q=100");
    assertThat(lines.get(4)).doesNotContain("pdq=").contains(" sha256=");
    assertThat(lines.get(5)).endsWith(" pdq=" + C_PNG_PDQ + " q=100");
  }

  @Test
  void call_danglingSymlink_reportedOnStderrOthersHashedExitTwo() throws Exception {
    Files.createSymbolicLink(root.resolve("gone.jpg"), root.resolve("no-such-target"));
    int exit = run(root.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().trim())
        .isEqualTo("hash: " + p("gone.jpg") + ": dangling symbolic link");
    assertThat(out.toString().lines()).hasSize(6);
  }

  @Test
  void call_missingArgument_reportedExitTwo() throws Exception {
    int exit = run(root.resolve("nope").toString(), root.resolve("notes.txt").toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains(p("nope")).contains("no such file");
    assertThat(out.toString().lines()).hasSize(1);
  }

  @Test
  void call_symlinkCycle_skippedWithNoteNotFailure() throws Exception {
    Files.createSymbolicLink(root.resolve("photos/loop"), root);
    int exit = run(root.resolve("photos").toString());
    // photos/loop -> root, which contains photos again: walked once, then the cycle stops it.
    assertThat(err.toString()).contains("directory cycle");
    assertThat(exit).isZero();
    assertThat(out.toString().lines()).anyMatch(l -> l.startsWith(p("photos/loop/notes.txt")));
  }

  @Test
  void call_json_oneObjectPerLineWithExpectedKeys() throws Exception {
    int exit = run("--json", root.resolve("photos").toString(), root.resolve("notes.txt").toString());
    assertThat(exit).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(4);
    Map<String, Object> bridge = parse(lines.get(0));
    assertThat(bridge.keySet())
        .containsExactly("file", "size", "md5", "sha1", "sha256", "pdq", "pdqQuality");
    assertThat(bridge.get("file")).isEqualTo(p("photos/bridge.jpg"));
    assertThat(bridge.get("size")).isEqualTo(Files.size(root.resolve("photos/bridge.jpg")));
    assertThat(bridge.get("sha256")).isEqualTo(digest("SHA-256", "photos/bridge.jpg"));
    assertThat(bridge.get("pdq")).isEqualTo(BRIDGE_PDQ);
    assertThat(bridge.get("pdqQuality")).isEqualTo(100L);
    Map<String, Object> broken = parse(lines.get(1));
    assertThat(broken.keySet()).containsExactly("file", "size", "md5", "sha1", "sha256");
    Map<String, Object> notes = parse(lines.get(3));
    assertThat(notes.get("file")).isEqualTo(p("notes.txt"));
    assertThat(notes.get("md5")).isEqualTo(digest("MD5", "notes.txt"));
    assertThat(notes).doesNotContainKeys("pdq", "pdqQuality");
  }

  @Test
  void call_typesSubset_onlyThoseTypes() throws Exception {
    int exit = run("--types", "md5,pdq", "--json", root.resolve("photos/bridge.jpg").toString());
    assertThat(exit).isZero();
    Map<String, Object> obj = parse(out.toString().trim());
    assertThat(obj.keySet()).containsExactly("file", "size", "md5", "pdq", "pdqQuality");
    out.getBuffer().setLength(0);
    assertThat(run("--types", "SHA1", root.resolve("photos/c.png").toString())).isZero();
    assertThat(out.toString().trim())
        .isEqualTo(p("photos/c.png") + "  sha1=" + digest("SHA-1", "photos/c.png"));
  }

  @Test
  void call_unknownType_usageErrorExitTwo() {
    int exit = run("--types", "md5,crc32", root.toString());
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("crc32");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void call_noPaths_usageErrorExitTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("PATH");
  }

  @Test
  void call_help_documentsLineFormat() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("md5=HEX").contains("pdqQuality").contains("Exit status");
  }

  private int run(String... args) {
    CommandLine cl = new CommandLine(new HashCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private String p(String relative) {
    return root.resolve(relative).toString();
  }

  private String digest(String algorithm, String relative) throws Exception {
    byte[] data = Files.readAllBytes(root.resolve(relative));
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  private static Map<String, Object> parse(String line) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    try (JsonParser p = new JsonFactory().createParser(line)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        map.put(name, v == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : p.getText());
      }
      assertThat(p.nextToken()).isNull();
    }
    return map;
  }

  /** The reference images live in the core module's test resources (see NOTICE.md there). */
  private static Path resource(String name) {
    Path file = Path.of(System.getProperty("basedir", "."))
        .resolve("../hashdb-core/src/test/resources/pdq").resolve(name);
    assertThat(file).as("core test resource").isRegularFile();
    return file;
  }
}
