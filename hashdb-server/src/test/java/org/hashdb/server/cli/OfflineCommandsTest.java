package org.hashdb.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import, lookup and stats on a real data directory, through the real command line. */
class OfflineCommandsTest {
  private static final String MD5_A = "d41d8cd98f00b204e9800998ecf8427e";
  private static final String MD5_B = "0cc175b9c0f1b6a831c399e269772661";
  private static final String SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  private static final String PDQ_NEAR = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b25"; // 3 bits off (2 -> 5)

  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void importLookupStats_csv_endToEnd(@TempDir Path tmp) throws IOException {
    Path data = tmp.resolve("data");
    Path csv = tmp.resolve("list.csv");
    Files.writeString(csv, "type,hash,category,source\n"
        + "md5," + MD5_A + ",A1,police\n"
        + "sha1," + SHA1 + ",B1,\n"
        + "pdq," + PDQ + ",A1,,100\n", StandardCharsets.UTF_8);

    CliRun imp = run("import", "--data", data.toString(), "--list", "eokm-nl", csv.toString());
    assertThat(imp.exit()).as(imp.err()).isZero();
    assertThat(imp.out()).contains("added 3, already present 0, rejected 0");

    CliRun again = run("import", "--data", data.toString(), "--list", "eokm-nl", csv.toString());
    assertThat(again.out()).contains("added 0, already present 3");

    CliRun look = run("lookup", "--data", data.toString(), "md5", MD5_A.toUpperCase(), MD5_B);
    assertThat(look.exit()).as(look.err()).isZero();
    assertThat(look.out()).contains(MD5_A + " match list=eokm-nl category=A1 entry=")
        .contains(MD5_B + " no-match");

    CliRun near = run("lookup", "--data", data.toString(), "--json", "pdq", PDQ_NEAR);
    assertThat(near.out()).contains("\"match\":true").contains("\"distance\":3");

    // PDQ is the bridge photo; this is the published hash of the photo rotated 90 degrees
    // (testdata bridge-2-rotate-90.jpg): no match as is, a match through its dihedral variants.
    String rotated = "30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af";
    assertThat(run("lookup", "--data", data.toString(), "pdq", rotated).out()).contains("no-match");
    CliRun rot = run("lookup", "--data", data.toString(), "--dihedral", "pdq", rotated);
    assertThat(rot.out()).contains(rotated + " match list=eokm-nl");
    CliRun noDihedralOnMd5 = run("lookup", "--data", data.toString(), "--dihedral", "md5", MD5_A);
    assertThat(noDihedralOnMd5.exit()).isEqualTo(2);

    CliRun stats = run("stats", "--data", data.toString(), "--json");
    assertThat(stats.exit()).as(stats.err()).isZero();
    assertThat(stats.out()).contains("\"eokm-nl\":3").contains("\"md5\"");
  }

  @Test
  void import_badLines_rejectsWholeFileListingEveryLine(@TempDir Path tmp) throws IOException {
    Path data = tmp.resolve("data");
    Path csv = tmp.resolve("bad.csv");
    Files.writeString(csv, "md5," + MD5_A + "\nmd5,nothex\nsha1," + MD5_B + "\n", StandardCharsets.UTF_8);
    CliRun imp = run("import", "--data", data.toString(), "--list", "l", csv.toString());
    assertThat(imp.exit()).isEqualTo(2);
    assertThat(imp.err()).contains("line 2:").contains("line 3:").contains("2 bad lines; nothing imported");

    // nothing imported, so no database was created: a lookup there is an error, not "no-match"
    CliRun look = run("lookup", "--data", data.toString(), "md5", MD5_A);
    assertThat(look.exit()).isEqualTo(2);
    assertThat(look.out()).doesNotContain("no-match");
    assertThat(look.err()).contains("no HashDB database in " + data);

    CliRun skip = run("import", "--data", data.toString(), "--list", "l", "--skip-invalid", csv.toString());
    assertThat(skip.exit()).isZero();
    assertThat(skip.out()).contains("added 1, already present 0, rejected 2");
  }

  @Test
  void import_hexFormatNeedsType_usageErrors(@TempDir Path tmp) throws IOException {
    Path hex = tmp.resolve("list.txt");
    Files.writeString(hex, MD5_A + "\n" + MD5_B + "\n", StandardCharsets.UTF_8);
    CliRun noType = run("import", "--data", tmp.resolve("d").toString(), "--list", "l", "--format", "hex", hex.toString());
    assertThat(noType.exit()).isEqualTo(2);
    assertThat(noType.err()).contains("--type");
    CliRun ok = run("import", "--data", tmp.resolve("d").toString(), "--list", "l", "--format", "hex", "--type", "md5", hex.toString());
    assertThat(ok.out()).contains("added 2");
    CliRun missing = run("import", "--data", tmp.resolve("d").toString(), hex.toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--list");
  }

  @Test
  void lookup_invalidHash_exit2WithReason(@TempDir Path tmp) {
    CliRun r = run("lookup", "--data", tmp.toString(), "sha256", "abc");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("sha256 hash must have 64 hex digits, got 3");
    CliRun t = run("lookup", "--data", tmp.toString(), "crc32", "abc");
    assertThat(t.err()).contains("unknown hash type");
  }
}
