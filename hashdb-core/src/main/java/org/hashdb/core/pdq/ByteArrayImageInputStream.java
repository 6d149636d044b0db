package org.hashdb.core.pdq;

import java.util.Objects;
import javax.imageio.stream.ImageInputStreamImpl;

/** An ImageIO stream over a byte array slice, without the copy a memory cache would make. */
final class ByteArrayImageInputStream extends ImageInputStreamImpl {
  private final byte[] data; // not copied: the caller must not change it while decoding
  private final int start;
  private final int length;

  ByteArrayImageInputStream(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    this.data = data;
    this.start = off;
    this.length = len;
  }

  @Override
  public int read() {
    bitOffset = 0;
    if (streamPos >= length) {
      return -1;
    }
    return data[start + (int) streamPos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    bitOffset = 0;
    if (len == 0) {
      return 0;
    }
    if (streamPos >= length) {
      return -1;
    }
    int n = (int) Math.min(len, length - streamPos);
    System.arraycopy(data, start + (int) streamPos, b, off, n);
    streamPos += n;
    return n;
  }

  @Override
  public long length() {
    return length;
  }
}
