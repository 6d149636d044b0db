package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.metrics.ServerMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StartupWarmup}: every warm-up request goes through the server's own pipeline and is
 * answered (HTTP/1.1, and HTTP/2 over a real TLS session), none is counted in the API's
 * metrics, and {@code warmupRequests=0} sends nothing.
 */
class StartupWarmupTest {
  @TempDir Path dir;

  private static long answered(ServerMetrics m, String route, String status) {
    Timer t = m.registry().find("hashdb.http.requests").tag("route", route)
        .tag("status", status).timer();
    return t == null ? 0 : t.count();
  }

  private ApiService api(ServerConfig.Builder b) throws Exception {
    return new ApiService(b.build(), KeyRing.load(dir), AuditLog.disabled());
  }

  @Test
  void http1AndHttp2OverTls_everyRequestAnswered_apiMetricsUntouched() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    TlsHttp2Test.selfSigned(cert, key);
    ServerConfig.Builder b = ServerConfig.builder().tls(cert, key);
    try (ApiService api = api(b)) {
      SslContext ssl = HashDbServer.sslContext(cert, key).build();
      StartupWarmup w = StartupWarmup.run(api, ssl, 256, 60_000);
      for (ServerMetrics m : new ServerMetrics[] {w.http1Metrics, w.http2Metrics}) {
        // a quarter each: /healthz 200, /readyz 503 (no database yet), two 401 lookups
        assertThat(answered(m, "healthz", "200")).isEqualTo(64);
        assertThat(answered(m, "readyz", "503")).isEqualTo(64);
        assertThat(answered(m, "hash", "401") + answered(m, "lookup", "401")).isEqualTo(128);
      }
      assertThat(answered(api.metrics(), "healthz", "200")).isZero();
    }
  }

  @Test
  void cleartext_http1Only() throws Exception {
    try (ApiService api = api(ServerConfig.builder())) {
      StartupWarmup w = StartupWarmup.run(api, null, 64, 60_000);
      assertThat(answered(w.http1Metrics, "healthz", "200")).isEqualTo(16);
      assertThat(answered(w.http2Metrics, "healthz", "200")).isZero();
    }
  }

  @Test
  void zero_sendsNothing() throws Exception {
    try (ApiService api = api(ServerConfig.builder())) {
      StartupWarmup w = StartupWarmup.run(api, null, 0, 60_000);
      assertThat(answered(w.http1Metrics, "healthz", "200")).isZero();
    }
  }
}
