package org.hashdb.core.content;

import org.hashdb.core.hash.HashType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.hashdb.core.pdq.PdqHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hashdb.testing.TestRandom;

class FileHasherTest {
  private static final Set<HashType> ALL = EnumSet.allOf(HashType.class);
  private static final String BRIDGE_PDQ =
      "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  @Test
  void hash_knownVectors_matchPublishedDigests() throws IOException {
    FileHasher hasher = new FileHasher(ALL);
    FileHashes empty = hasher.hash(new ByteArrayInputStream(new byte[0]));
    assertThat(empty.size()).isZero();
    assertThat(empty.hex(HashType.MD5)).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(empty.hex(HashType.SHA1)).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assertThat(empty.hex(HashType.SHA256))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(empty.pdq()).isNull();
    assertThat(empty.pdqQuality()).isEqualTo(-1);
    FileHashes abc = hasher.hash(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)));
    assertThat(abc.size()).isEqualTo(3);
    assertThat(abc.hex(HashType.MD5)).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(abc.hex(HashType.SHA1)).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    assertThat(abc.hex(HashType.SHA256))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void hash_randomContentInRandomChunks_matchesMessageDigest() throws Exception {
    Random random = TestRandom.random(1234);
    FileHasher hasher = new FileHasher(EnumSet.of(HashType.MD5, HashType.SHA1, HashType.SHA256));
    for (int round = 0; round < 40; round++) {
      int len = round < 5 ? round : random.nextInt(300_000);
      byte[] data = new byte[len];
      random.nextBytes(data);
      FileHashes h = hasher.hash(new ChunkyStream(data, TestRandom.random(round)));
      assertThat(h.size()).isEqualTo(len);
      assertThat(h.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(data));
      assertThat(h.sha1()).isEqualTo(MessageDigest.getInstance("SHA-1").digest(data));
      assertThat(h.sha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
      assertThat(h.pdq()).isNull();
    }
  }

  @Test
  void hash_onlyRequestedTypes_othersNull() throws Exception {
    byte[] data = Files.readAllBytes(resource("bridge-1-original.jpg"));
    FileHashes h = new FileHasher(EnumSet.of(HashType.SHA1)).hash(new ByteArrayInputStream(data));
    assertThat(h.md5()).isNull();
    assertThat(h.sha256()).isNull();
    assertThat(h.pdq()).isNull();
    assertThat(h.sha1()).isEqualTo(MessageDigest.getInstance("SHA-1").digest(data));
    FileHashes none = new FileHasher(Set.of()).hash(new ByteArrayInputStream(data));
    assertThat(none.size()).isEqualTo(data.length);
    assertThat(none.md5()).isNull();
    assertThat(none.pdq()).isNull();
  }

  @Test
  void hash_imageFile_addsPdqAndDigests() throws Exception {
    Path file = resource("bridge-1-original.jpg");
    byte[] data = Files.readAllBytes(file);
    FileHashes h = new FileHasher(ALL).hash(file);
    assertThat(h.size()).isEqualTo(data.length);
    assertThat(h.hex(HashType.PDQ)).isEqualTo(BRIDGE_PDQ);
    assertThat(h.pdqQuality()).isEqualTo(100);
    assertThat(h.sha256()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    assertThat(h.md5()).isEqualTo(MessageDigest.getInstance("MD5").digest(data));
    // The same through a stream that returns tiny reads.
    assertThat(new FileHasher(ALL).hash(new ChunkyStream(data, TestRandom.random(3)))).isEqualTo(h);
  }

  @Test
  void hash_imageFormatsByMagic_getPdq() throws Exception {
    FileHasher hasher = new FileHasher(EnumSet.of(HashType.PDQ));
    for (String f : new String[] {"c.png", "LA.png", "modes/PA.webp", "wee.jpg"}) {
      FileHashes h = hasher.hash(resource(f));
      assertThat(h.pdq()).as(f).hasSize(32);
      assertThat(h.pdqQuality()).as(f).isEqualTo(100);
    }
  }

  @Test
  void hash_imageOverByteCap_noPdqButDigests() throws Exception {
    Path file = resource("bridge-1-original.jpg");
    long size = Files.size(file);
    FileHasher cappedHasher = new FileHasher(ALL, size - 1, new PdqHasher());
    FileHashes capped = cappedHasher.hash(file);
    assertThat(cappedHasher.imageProblem()).contains("not decoded for PDQ");
    assertThat(capped.pdq()).isNull();
    assertThat(capped.pdqQuality()).isEqualTo(-1);
    assertThat(capped.sha256()).isEqualTo(new FileHasher(ALL).hash(file).sha256());
    assertThat(new FileHasher(ALL, size, new PdqHasher()).hash(file).hex(HashType.PDQ))
        .isEqualTo(BRIDGE_PDQ);
  }

  @Test
  void hash_imageOverPixelCap_noPdq() throws Exception {
    FileHasher hasher = new FileHasher(ALL, FileHasher.DEFAULT_MAX_IMAGE_BYTES, new PdqHasher(1000));
    FileHashes h = hasher.hash(resource("bridge-1-original.jpg"));
    assertThat(h.pdq()).isNull();
    assertThat(h.md5()).hasSize(16);
    assertThat(hasher.imageProblem()).contains("1600x1004").contains("more than the limit of 1000");
  }

  @Test
  void hash_imageOverDecodeByteBudget_noPdqAndTheProblemSaysWhy() throws Exception {
    // 1600 x 1004 RGB decodes to 3 bytes per pixel: 4,819,200 bytes; a budget one byte short refuses it
    FileHasher hasher = new FileHasher(ALL, FileHasher.DEFAULT_MAX_IMAGE_BYTES,
        new PdqHasher(PdqHasher.DEFAULT_MAX_PIXELS, 1600L * 1004 * 3 - 1));
    FileHashes h = hasher.hash(resource("bridge-1-original.jpg"));
    assertThat(h.pdq()).isNull();
    assertThat(hasher.imageProblem()).contains("decode budget");
    FileHasher enough = new FileHasher(ALL, FileHasher.DEFAULT_MAX_IMAGE_BYTES,
        new PdqHasher(PdqHasher.DEFAULT_MAX_PIXELS, 1600L * 1004 * 3));
    assertThat(enough.hash(resource("bridge-1-original.jpg")).hex(HashType.PDQ)).isEqualTo(BRIDGE_PDQ);
    assertThat(enough.imageProblem()).isNull();
    assertThat(hasher.hash(new ByteArrayInputStream(new byte[] {1, 2, 3})).md5()).hasSize(16);
    assertThat(hasher.imageProblem()).as("reset for the next file").isNull();
  }

  @Test
  void hash_corruptImageWithImageMagic_noPdqNoError() throws Exception {
    byte[] data = Files.readAllBytes(resource("bridge-1-original.jpg"));
    byte[] truncated = Arrays.copyOf(data, data.length / 3);
    FileHasher hasher = new FileHasher(ALL);
    FileHashes h = hasher.hash(new ByteArrayInputStream(truncated));
    assertThat(h.pdq()).isNull();
    assertThat(hasher.imageProblem()).isNull();
    assertThat(h.pdqQuality()).isEqualTo(-1);
    assertThat(h.sha1()).isEqualTo(MessageDigest.getInstance("SHA-1").digest(truncated));
  }

  @Test
  void hash_imageBytesWithoutMagic_notDecoded() throws Exception {
    // A JPEG behind one junk byte: ImageIO might still find it, but only magic bytes count.
    byte[] data = Files.readAllBytes(resource("q1050.jpg"));
    byte[] shifted = new byte[data.length + 1];
    System.arraycopy(data, 0, shifted, 1, data.length);
    assertThat(new FileHasher(ALL).hash(new ByteArrayInputStream(shifted)).pdq()).isNull();
  }

  @Test
  void hash_sameHasherManyFiles_independentResults() throws Exception {
    FileHasher hasher = new FileHasher(ALL);
    FileHashes image = hasher.hash(resource("q1050.jpg"));
    FileHashes text = hasher.hash(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)));
    assertThat(hasher.hash(resource("q1050.jpg"))).isEqualTo(image);
    assertThat(text.pdq()).isNull();
    assertThat(text.hex(HashType.MD5)).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
  }

  @Test
  void hash_directoryOrMissing_throwsIoException(@TempDir Path dir) {
    FileHasher hasher = new FileHasher(ALL);
    assertThatThrownBy(() -> hasher.hash(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("directory");
    assertThatThrownBy(() -> hasher.hash(dir.resolve("nope"))).isInstanceOf(IOException.class);
    Path devNull = Path.of("/dev/null");
    if (Files.exists(devNull)) {
      assertThatThrownBy(() -> hasher.hash(devNull)).isInstanceOf(IOException.class)
          .hasMessageContaining("not a regular file");
    }
  }

  @Test
  void constructor_badCap_throws() {
    assertThatThrownBy(() -> new FileHasher(ALL, -1, new PdqHasher()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxImageBytes");
  }

  @Test
  void looksLikeImage_magicBytes_recognised() {
    assertThat(magic(0xff, 0xd8, 0xff, 0xe0)).isTrue();
    assertThat(magic(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)).isTrue();
    assertThat(magic('G', 'I', 'F', '8', '9', 'a')).isTrue();
    assertThat(magic('G', 'I', 'F', '8', '7', 'a')).isTrue();
    assertThat(magic('B', 'M', 0, 0)).isTrue();
    assertThat(magic('R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'E', 'B', 'P')).isTrue();
    assertThat(magic('I', 'I', 42, 0)).isTrue();
    assertThat(magic('M', 'M', 0, 42)).isTrue();
    assertThat(magic('R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'A', 'V', 'E')).isFalse();
    assertThat(magic(0x89, 'P', 'N', 'G')).isFalse();
    assertThat(magic('G', 'I', 'F', '9', '0', 'a')).isFalse();
    assertThat(magic('%', 'P', 'D', 'F')).isFalse();
    assertThat(magic(0xff, 0xd8)).isFalse();
    assertThat(magic()).isFalse();
  }

  private static boolean magic(int... bytes) {
    byte[] b = new byte[Math.max(bytes.length, ImageMagic.HEAD_BYTES)];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return ImageMagic.looksLikeImage(b, bytes.length);
  }

  static Path resource(String name) throws URISyntaxException {
    return Path.of(FileHasherTest.class.getResource("/pdq/" + name).toURI());
  }

  /** Returns the data in random short reads, as sockets and pipes do. */
  private static final class ChunkyStream extends FilterInputStream {
    private final Random random;

    ChunkyStream(byte[] data, Random random) {
      super(new ByteArrayInputStream(data));
      this.random = random;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1 + random.nextInt(5000)));
    }
  }
}
