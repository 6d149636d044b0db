package org.hashdb.core.release;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Layout of a signed list release file ({@code .hdbrel}), described once. All integers are
 * big-endian.
 *
 * <pre>
 * header   magic            8 bytes  "HDBRELv\n" (0x48 0x44 0x42 0x52 0x45 0x4c 0x76 0x0a)
 *          format version   u16      {@value #VERSION} (1 is still read, see below)
 *          kind             u8       1 full (the list's whole content), 2 delta   [version 2 only]
 *          list name length u16      1..{@value #MAX_LIST_NAME_BYTES}
 *          list name        UTF-8    a valid list name (EntryValidator.checkListName)
 *          release number   u64      the supplier's sequence number of this release (&gt;= 0)
 *          created          i64      epoch milliseconds
 *          entry count      u64      rows of entries: a full release's content, a delta's adds
 *          removal count    u64      rows of values to remove after them, 0 for full  [version 2 only]
 *          payload length   u64      bytes
 *          payload SHA-256  32 bytes
 * payload  UTF-8 CSV, one row per entry: type,hash,category,source\n (RFC 4180 quoting where
 *          needed), parsed by {@link ListReader} exactly like an imported CSV list; the entry
 *          rows, then the removal rows (type,hash,,)
 * trailer  key id           8 bytes  first 8 bytes of SHA-256 of the signer's raw public key
 *          signature        64 bytes Ed25519 (RFC 8032, pure) over the header bytes, magic to
 *                                    payload SHA-256 inclusive
 * </pre>
 *
 * <p>The signature covers the header, and the header carries the payload's SHA-256 and length,
 * so the signature binds every byte but the trailer's key id, which only selects the key to try
 * (a wrong key id fails as an unknown key or a bad signature). The file is exactly header +
 * payload + trailer: shorter is truncated, longer is refused. Payload SHA-256 is a separate
 * digest (rather than signing the payload itself) so the signature is checked over a few hundred
 * bytes while the payload is streamed once. Kind, list name and both counts are in the signed
 * header: a delta cannot be passed off as a full release, nor a release of one list as another's.
 *
 * <p>Version 1 (before kinds) has neither kind nor removal count; it is read as a delta without
 * removals, which is what importing it always did. Its signature covers its own version field, so
 * a version 2 header cannot be rewritten as version 1.
 */
public final class ListReleaseFormat {
  /** First 8 bytes of every release file. */
  static final byte[] MAGIC = "HDBRELv\n".getBytes(StandardCharsets.US_ASCII);
  /** The only format version written and read. */
  public static final int VERSION = 2;
  /** The first format version, additive only: still read. */
  static final int VERSION_1 = 1;
  /** Upper bound of the list name (EntryValidator allows 64 ASCII characters). */
  static final int MAX_LIST_NAME_BYTES = 64;
  /** Bytes of the payload digest (SHA-256). */
  static final int DIGEST_BYTES = 32;
  /** Bytes of a key id. */
  public static final int KEY_ID_BYTES = 8;
  /** Bytes of an Ed25519 signature. */
  static final int SIGNATURE_BYTES = 64;
  /** Bytes of the trailer: key id + signature. */
  static final int TRAILER_BYTES = KEY_ID_BYTES + SIGNATURE_BYTES;
  /** Header bytes after the list name (version 1: one u64 fewer). */
  private static final int FIXED_AFTER_NAME = 8 + 8 + 8 + 8 + 8 + DIGEST_BYTES;
  /** Header bytes before the list name (version 1: no kind byte). */
  static final int FIXED_BEFORE_NAME = MAGIC.length + 2 + 1 + 2;
  /** Recommended file name suffix. */
  public static final String SUFFIX = ".hdbrel";

  private ListReleaseFormat() {}

  /**
   * True when {@code file} starts with the release magic: how an import that accepts both plain
   * lists and releases tells them apart (a CSV or hex list cannot start with these bytes).
   */
  public static boolean isRelease(Path file) throws IOException {
    byte[] head = new byte[MAGIC.length];
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(head, 0, head.length) == head.length && Arrays.equals(head, MAGIC);
    }
  }

  /** Header length of {@code version} for a list name of {@code nameBytes} UTF-8 bytes. */
  static int headerLength(int version, int nameBytes) {
    int v1Less = version == VERSION_1 ? 1 + 8 : 0;
    return FIXED_BEFORE_NAME + nameBytes + FIXED_AFTER_NAME - v1Less;
  }

  /** Encodes a header; the result is also the message that is signed. */
  static byte[] encodeHeader(ReleaseHeader h) {
    byte[] name = h.list().getBytes(StandardCharsets.UTF_8);
    boolean v1 = h.version() == VERSION_1;
    ByteBuffer b = ByteBuffer.allocate(headerLength(h.version(), name.length));
    b.put(MAGIC).putShort((short) h.version());
    if (!v1) {
      b.put((byte) h.kind().code);
    }
    b.putShort((short) name.length).put(name)
        .putLong(h.release()).putLong(h.createdMillis()).putLong(h.entryCount());
    if (!v1) {
      b.putLong(h.removeCount());
    }
    b.putLong(h.payloadLength()).put(h.payloadSha256());
    assert !b.hasRemaining();
    return b.array();
  }

  /** The key id of a raw 32-byte Ed25519 public key. */
  static byte[] keyId(byte[] rawPublicKey) {
    return Arrays.copyOf(sha256().digest(rawPublicKey), KEY_ID_BYTES);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
