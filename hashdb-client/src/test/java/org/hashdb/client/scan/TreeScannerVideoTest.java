package org.hashdb.client.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.List;
import org.hashdb.client.EmbeddedHashDb;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.ListFilter;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.video.VideoHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Videos in the scanner when FFmpeg is missing: reported as not checked (errors), never clean. */
class TreeScannerVideoTest {
  @TempDir Path tmp;

  /** The first bytes of an MP4 file (an ISO BMFF "ftyp" box), then junk: a video by content. */
  private static byte[] mp4Header() {
    byte[] b = new byte[512];
    byte[] head = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  @Test
  void withoutFfmpeg_videosAreErrors_otherFilesStillChecked_exactMatchesStillFound() throws Exception {
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    Path video = Files.write(tree.resolve("holiday.jpg"), mp4Header()); // name says image
    Path listed = Files.write(tree.resolve("listed.mkv"), mp4Header().clone());
    Files.write(listed, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(tree.resolve("notes.mp4"), "plain text named .mp4");
    HashDatabase db = HashDatabase.inMemory();
    db.add(List.of(new NewEntry(HashType.SHA256,
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(listed)), "l", "", "")));
    ReportWriter report = new ReportWriter();
    VideoScanning noFfmpeg = new VideoScanning(
        new VideoHasher(tmp.resolve("missing/ffmpeg"), VideoHasher.Options.defaults()), 1, null);
    ScanOptions options = ScanOptions.of(List.of(tree)).withThreads(2)
        .withTypes(EnumSet.of(HashType.SHA256, HashType.VPDQ));
    ScanSummary s;
    try (EmbeddedHashDb lookup = EmbeddedHashDb.wrap(db, ListFilter.all())) {
      s = new TreeScanner(options, lookup, report, null, noFfmpeg).run();
    }
    assertThat(s.errors()).isEqualTo(2); // the two videos, not the text file named .mp4
    assertThat(report.problems()).extracting(p -> p.path().display())
        .containsExactlyInAnyOrder(video.toString(), listed.toString());
    assertThat(report.problems()).allMatch(p -> p.message().startsWith("video not checked: ffmpeg"));
    assertThat(report.matches()).hasSize(1); // the exact copy is still found
    assertThat(report.matches().get(0).type()).isEqualTo(HashType.SHA256);
  }
}
