package org.hashdb.server.api;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
 * JSON parsers only check the strings they decode; the API rejects invalid UTF-8 anywhere in a
 * body, skipped fields included.
 */
final class Utf8 {
  private Utf8() {}

  /** Index of the first byte of an invalid sequence in {@code buf}'s readable bytes, or -1. */
  static int firstInvalid(ByteBuf buf) {
    // one NIO view instead of per-byte ByteBuf calls (each of which a leak detector may record)
    return firstInvalid(buf.nioBuffer(buf.readerIndex(), buf.readableBytes()));
  }

  /** Index of the first byte of an invalid sequence in {@code bb}'s remaining bytes, or -1. */
  static int firstInvalid(ByteBuffer bb) {
    ByteBuffer buf = bb.slice().order(ByteOrder.LITTLE_ENDIAN);
    int i = 0;
    int end = buf.limit();
    while (i < end) {
      // ASCII fast path, 8 bytes at a time
      while (i + 8 <= end && (buf.getLong(i) & 0x8080808080808080L) == 0) {
        i += 8;
      }
      if (i >= end) {
        break;
      }
      int b = buf.get(i) & 0xff;
      if (b < 0x80) {
        i++;
        continue;
      }
      int need;
      int min;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        min = 0x80;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        min = 0x800;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        min = 0x10000;
      } else {
        return i;
      }
      if (i + need >= end) { // sequence cut off by the end of the body
        return i;
      }
      int cp = b & (0x3f >> need);
      for (int k = 1; k <= need; k++) {
        int c = buf.get(i + k) & 0xff;
        if ((c & 0xc0) != 0x80) {
          return i;
        }
        cp = (cp << 6) | (c & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return i;
      }
      i += need + 1;
    }
    return -1;
  }
}
