package org.hashdb.server.api;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import java.util.concurrent.CompletableFuture;

/**
 * Puts {@code X-HashDB-Sequence} on lookup answers: the sequence of the database state a lookup
 * was answered at (at least). The header value is cached per sequence, so the hot path formats a
 * number only when the list changed.
 */
final class SequenceHeader {
  private static final AsciiString NAME = AsciiString.cached(ApiService.SEQUENCE_HEADER);

  private record Cached(long sequence, AsciiString value) {}

  private volatile Cached cached = new Cached(-1, AsciiString.EMPTY_STRING);

  /** {@code answer} (a response or a future of one) with the header added. */
  Object attach(Object answer, long sequence) {
    AsciiString v = value(sequence);
    if (answer instanceof HttpResponse r) {
      r.headers().set(NAME, v);
      return answer;
    }
    if (answer instanceof CompletableFuture<?> f) {
      return f.thenApply(o -> {
        if (o instanceof HttpResponse r) {
          r.headers().set(NAME, v);
        }
        return o;
      });
    }
    return answer;
  }

  private AsciiString value(long sequence) {
    Cached c = cached;
    if (c.sequence != sequence) {
      c = new Cached(sequence, new AsciiString(Long.toString(sequence)));
      cached = c;
    }
    return c.value;
  }
}
