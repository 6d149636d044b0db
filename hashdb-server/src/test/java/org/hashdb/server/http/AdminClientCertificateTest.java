package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the admin listener against a real server, with a CA, certificates and CRLs made
 * here (Bouncy Castle PKIX): a current certificate of the CA whose CN names the key sent is
 * served; an expired one, one of another CA, a revoked one and none at all are refused in the
 * handshake; a certificate naming another key is 403; a CRL replaced while the server runs
 * applies to the next connection.
 */
class AdminClientCertificateTest {
  @TempDir Path dir;

  private static HttpResponse<String> get(TestPki pki, TestPki.Issued client, URI uri, String key,
      HttpClient.Version version) throws Exception {
    HttpClient c = HttpClient.newBuilder().sslContext(pki.clientContext(client)).version(version)
        .connectTimeout(Duration.ofSeconds(10)).build();
    return c.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void clientCertificates_expiredWrongCaRevokedAndMissingRefused_goodOneServed() throws Exception {
    TestPki pki = new TestPki("HashDB test admin CA");
    TestPki otherCa = new TestPki("Some other CA");
    Path serverCert = dir.resolve("server.pem");
    Path serverKey = dir.resolve("server.key");
    pki.server().writePem(serverCert, serverKey);
    Path ca = dir.resolve("clients-ca.pem");
    pki.writeCaPem(ca);
    TestPki.Issued good = pki.client("admin"); // TestServer's admin key is named "admin"
    TestPki.Issued expired = pki.client("admin", Instant.now().minus(Duration.ofDays(10)),
        Instant.now().minus(Duration.ofDays(1)));
    TestPki.Issued revoked = pki.client("admin");
    TestPki.Issued foreign = otherCa.client("admin");
    Path crl = dir.resolve("clients.crl");
    pki.writeCrl(crl, revoked.cert());
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    try (TestServer ts = new TestServer(data, b -> b.adminTls(serverCert, serverKey, ca, crl))) {
      URI stats = URI.create("https://127.0.0.1:" + ts.server.adminPort() + "/v1/admin/stats");
      HttpResponse<String> ok = get(pki, good, stats, ts.adminKey, HttpClient.Version.HTTP_2);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(ok.version()).isEqualTo(HttpClient.Version.HTTP_2); // the stream's connection's certificate
      assertThat(ok.body()).contains("\"sequence\"");
      ok = get(pki, good, stats, ts.adminKey, HttpClient.Version.HTTP_1_1);
      assertThat(ok.statusCode()).isEqualTo(200);

      // the certificate names "admin": another key, even one allowed on the route, is refused
      URI changes = URI.create("https://127.0.0.1:" + ts.server.adminPort() + "/v1/admin/changes?since=0");
      HttpResponse<String> other = get(pki, good, changes, ts.replicaKey, HttpClient.Version.HTTP_1_1);
      assertThat(other.statusCode()).isEqualTo(403);
      assertThat(other.body()).contains("client certificate").contains("'replica'");
      // and without a bearer key at all: 401, the certificate alone is not enough
      HttpClient c = HttpClient.newBuilder().sslContext(pki.clientContext(good)).build();
      assertThat(c.send(HttpRequest.newBuilder(stats).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode()).isEqualTo(401);

      for (TestPki.Issued bad : new TestPki.Issued[] {expired, foreign, revoked, null}) {
        String which = bad == expired ? "expired" : bad == foreign ? "other CA" : bad == revoked ? "revoked" : "none";
        assertThatThrownBy(() -> get(pki, bad, stats, ts.adminKey, HttpClient.Version.HTTP_1_1))
            .as(which).isInstanceOf(IOException.class);
      }

      // revoke the good certificate by replacing the CRL: the next connection is refused
      pki.writeCrl(crl, revoked.cert(), good.cert());
      Files.setLastModifiedTime(crl, FileTime.fromMillis(System.currentTimeMillis() + 2000));
      assertThatThrownBy(() -> get(pki, good, stats, ts.adminKey, HttpClient.Version.HTTP_1_1))
          .isInstanceOf(IOException.class);

      // the public listener is not affected: cleartext lookups as before, and no admin route
      assertThat(ts.get("/v1/hashes/md5/" + TestServer.MD5_A, ts.queryKey).statusCode()).isEqualTo(200);
      assertThat(ts.client.send(HttpRequest.newBuilder(ts.publicUri("/v1/admin/stats"))
          .header("Authorization", "Bearer " + ts.adminKey).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void clientCaWithoutAdminTls_refusedAtStart() {
    assertThatThrownBy(() -> org.hashdb.server.ServerConfig.builder()
        .adminTls(null, null, dir.resolve("ca.pem"), null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adminClientCa needs adminTlsCert");
  }
}
