package org.hashdb.bench.abuse;

import org.hashdb.core.hash.Hex;

/**
 * Bulk requests that repeat one matching SHA-256 value {@code copies} times: a server that
 * writes an audit line per matched copy floods its audit trail.
 */
final class AuditFlood extends LoadAttack {
  static final int COPIES = 200_000;
  private byte[] body;

  AuditFlood(int connections) {
    super("audit-flood", connections);
  }

  @Override
  void start(AbuseTarget t) {
    if (t.matchSha256() == null) {
      throw new IllegalArgumentException("the audit flood needs --match-sha256 (a listed hash)");
    }
    byte[] v = Hex.decode(t.matchSha256());
    body = new byte[v.length * COPIES];
    for (int i = 0; i < COPIES; i++) {
      System.arraycopy(v, 0, body, i * v.length, v.length);
    }
    super.start(t);
  }

  @Override
  int request(RawHttpClient c) throws Exception {
    return c.post("/v1/lookup/bulk?type=sha256", "application/octet-stream", body);
  }
}
