package org.hashdb.bench.abuse;

import java.nio.charset.StandardCharsets;

/**
 * Connections that pipeline {@code GET /openapi.json} (no key needed, about 23 KB each) as fast
 * as the server takes them and never read an answer, reconnecting at once when the server
 * closes one: a server without back-pressure buffers every response. Runs for the attack's
 * duration with {@code size} connections at any time.
 */
final class PipelinedNonReaders extends Attack {
  private static final byte[] BATCH = ("GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n").repeat(256)
      .getBytes(StandardCharsets.US_ASCII);
  private final WriterConnections conns = new WriterConnections();

  PipelinedNonReaders(int connections) {
    super("pipelined-nonreaders", connections);
  }

  @Override
  void start(AbuseTarget t) {
    for (int i = 0; i < size; i++) {
      conns.startReconnecting(() -> t.connect(4096, null), (s, out) -> out.write(BATCH),
          "abuse-pipeline-" + i);
    }
  }

  @Override
  int opened() {
    return conns.opened();
  }

  @Override
  int closed() {
    return conns.closed();
  }

  @Override
  public void close() {
    conns.closeAll();
  }
}
