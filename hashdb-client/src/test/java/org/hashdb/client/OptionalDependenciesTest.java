package org.hashdb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK without its optional jars (Bouncy Castle, RoaringBitmap), in a child JVM whose class
 * path lacks them: hashing and HTTP lookups work, and private lookups and embedded mode fail with
 * an error naming the missing artifact.
 */
class OptionalDependenciesTest {
  @Test
  void withoutOptionalJars_lookupsWork_andPrivateOrEmbeddedNameTheMissingJar(@TempDir Path tmp)
      throws Exception {
    String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
    String classPath = Arrays.stream(entries)
        .filter(e -> !e.contains("bcprov") && !e.toLowerCase().contains("roaringbitmap"))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(classPath.split(File.pathSeparator)).as("jars left out").hasSizeLessThan(entries.length);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
        Child.class.getName(), tmp.toString()));
    Path out = tmp.resolve("out.txt");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).contains("bouncy castle absent", "roaringbitmap absent", "hashed", "looked up: true",
        "privateLookup needs org.bouncycastle:bcprov-jdk18on",
        "embedded mode (EmbeddedHashDb) needs org.roaringbitmap:RoaringBitmap");
  }

  /** Runs in the child JVM. */
  static final class Child {
    public static void main(String[] args) throws Exception {
      System.out.println(absent("org.bouncycastle.math.ec.ECPoint") ? "bouncy castle absent" : "bouncy castle PRESENT");
      System.out.println(absent("org.roaringbitmap.RoaringBitmap") ? "roaringbitmap absent" : "roaringbitmap PRESENT");
      Path file = Path.of(args[0], "upload.bin");
      Files.writeString(file, "benign test content");
      try (FakeApiServer server = new FakeApiServer();
          HashDbClient client = HashDbClient.builder().baseUrl(server.url() + "/")
              .apiKey(FakeApiServer.KEY).build()) {
        ContentCheck check = client.checkFile(file);
        System.out.println("hashed");
        byte[] listed = new byte[32];
        listed[0] = 7;
        server.list(org.hashdb.core.hash.HashType.SHA256, listed);
        System.out.println("looked up: "
            + client.lookup(org.hashdb.core.hash.HashType.SHA256, listed).match() + " " + check.match());
        try {
          client.privateLookup(List.of(Query.of(org.hashdb.core.hash.HashType.SHA256, listed)));
          System.out.println("privateLookup did not fail");
        } catch (IllegalStateException e) {
          System.out.println(e.getMessage());
        }
      }
      try {
        EmbeddedHashDb.open(Path.of(args[0])).close();
        System.out.println("embedded open did not fail");
      } catch (IllegalStateException e) {
        System.out.println(e.getMessage());
      }
    }

    private static boolean absent(String className) {
      try {
        Class.forName(className);
        return false;
      } catch (ClassNotFoundException e) {
        return true;
      }
    }
  }
}
