package org.hashdb.bench.abuse;

import java.nio.charset.StandardCharsets;

/**
 * Connections that pipeline {@code GET /openapi.json} (about 23 KB each; with the attacker's key,
 * since without one it is a small 401) as fast as the server takes them and never read an answer, reconnecting at once when the server
 * closes one: a server without back-pressure buffers every response. Runs for the attack's
 * duration with {@code size} connections at any time.
 */
final class PipelinedNonReaders extends ConnectionAttack {
  private final WriterConnections conns;

  PipelinedNonReaders(int connections) {
    this(connections, new WriterConnections());
  }

  private PipelinedNonReaders(int connections, WriterConnections conns) {
    super("pipelined-nonreaders", connections, conns);
    this.conns = conns;
  }

  @Override
  boolean slow() {
    return false; // they reconnect at once: what counts is the memory they cannot grow
  }

  @Override
  void start(AbuseTarget t) {
    byte[] batch = ("GET /openapi.json HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + t.attackKey()
        + "\r\n\r\n").repeat(256).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < size; i++) {
      conns.startReconnecting(() -> t.connect(4096, null), (s, out) -> out.write(batch),
          "abuse-pipeline-" + i);
    }
  }
}
