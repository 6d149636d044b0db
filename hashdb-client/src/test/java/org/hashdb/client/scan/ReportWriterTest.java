package org.hashdb.client.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hashdb.client.Match;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.Test;

class ReportWriterTest {
  private final ScanOptions options = ScanOptions.of(List.of(Path.of("/srv")));
  private final ScanSummary summary =
      new ScanSummary(10, 1000, 8, 2, 1, 1, 1, 1, Duration.ofMillis(1500), null);

  private ReportWriter sample() {
    ReportWriter w = new ReportWriter();
    w.onMatch(new FileMatch(new ReportPath("/srv/a,\"b\".jpg", null), 42, HashType.MD5, "00ff",
        new Match("e1", "test", "=cmd", 0)));
    w.onProblem(new ScanProblem(new ReportPath("/srv/bad\\xffname", "file:///srv/bad%FFname"), "permission denied", true));
    return w;
  }

  @Test
  void write_json_isValidAndCarriesEveryField() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sample().write(out, ReportWriter.Format.JSON, options, summary);
    List<String> fields = new ArrayList<>();
    try (JsonParser p = new JsonFactory().createParser(out.toByteArray())) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME) {
          fields.add(p.currentName());
        }
      }
    }
    assertThat(fields).contains("matches", "path", "size", "type", "hash", "list", "category", "distance", "entry",
        "problems", "pathUri", "summary", "files", "bytes", "errors", "durationMillis", "exitCode");
    String json = out.toString(StandardCharsets.UTF_8);
    assertThat(json).contains("\"path\" : \"/srv/a,\\\"b\\\".jpg\"").contains("\"exitCode\" : 1").contains("file:///srv/bad%FFname");
  }

  @Test
  void write_csv_quotesAndDefusesFormulas() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sample().write(out, ReportWriter.Format.CSV, options, summary);
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\r\n");
    assertThat(lines[0]).isEqualTo("kind,path,path_uri,size,type,hash,list,category,distance,entry,message");
    assertThat(lines[1]).isEqualTo("match,\"/srv/a,\"\"b\"\".jpg\",,42,md5,00ff,test,'=cmd,0,e1,");
    assertThat(lines[2]).isEqualTo("error,/srv/bad\\xffname,file:///srv/bad%FFname,,,,,,,,permission denied");
  }

  @Test
  void write_csv_endsWithTheSummaryRows() throws Exception {
    ScanSummary stopped = new ScanSummary(10, 1000, 8, 2, 3, 1, 0, 0, Duration.ofMillis(1500), "interrupted by SIGINT",
        java.util.Map.of("symbolic link, not followed", 3L));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sample().write(out, ReportWriter.Format.CSV, options, stopped);
    List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\r\n"));
    assertThat(lines.subList(3, lines.size())).contains(
        "summary,files,,,,,,,,,10",
        "summary,skipped,,,,,,,,,3",
        "summary,\"skipped: symbolic link, not followed\",,,,,,,,,3",
        "summary,errors,,,,,,,,,1",
        "summary,complete,,,,,,,,,false",
        "summary,failure,,,,,,,,,interrupted by SIGINT",
        "summary,exitCode,,,,,,,,,2");
    assertThat(lines).allSatisfy(l -> assertThat(l.chars().filter(c -> c == ',').count()).isGreaterThanOrEqualTo(10));
  }

  @Test
  void exitCode_errorsWithoutMatch_isTwo_matchWins_cleanIsZero() {
    Duration d = Duration.ZERO;
    assertThat(new ScanSummary(5, 1, 5, 0, 0, 1, 0, 0, d, null).exitCode()).isEqualTo(2);
    assertThat(new ScanSummary(5, 1, 5, 0, 0, 1, 2, 1, d, null).exitCode()).isEqualTo(1);
    assertThat(new ScanSummary(5, 1, 5, 0, 0, 0, 2, 1, d, "interrupted").exitCode()).isEqualTo(1);
    assertThat(new ScanSummary(5, 1, 5, 0, 0, 0, 0, 0, d, "interrupted").exitCode()).isEqualTo(2);
    assertThat(new ScanSummary(5, 1, 5, 0, 7, 0, 0, 0, d, null).exitCode()).isZero(); // skips are not errors
  }

  @Test
  void decodeEscaped_invalidBytes_becomeHexEscapes() {
    byte[] raw = {'a', (byte) 0xff, (byte) 0xc3, (byte) 0xa9, (byte) 0xc3, 'z'};
    assertThat(ReportPath.decodeEscaped(raw)).isEqualTo("a\\xffé\\xc3z");
  }
}
