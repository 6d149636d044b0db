package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FileWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a self-signed certificate made here: HTTP/2 via ALPN, HTTP/1.1, TLS 1.2+ only. */
class TlsHttp2Test {
  @TempDir Path dir;

  static X509Certificate selfSigned(Path certPem, Path keyPem) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair kp = g.generateKeyPair();
    X500Name name = new X500Name("CN=localhost");
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(
        System.nanoTime()), Date.from(Instant.now().minusSeconds(60)),
        Date.from(Instant.now().plus(Duration.ofDays(1))), name, kp.getPublic());
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    X509CertificateHolder holder =
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(holder.getEncoded()));
    try (JcaPEMWriter w = new JcaPEMWriter(new FileWriter(certPem.toFile()))) {
      w.writeObject(cert);
    }
    try (JcaPEMWriter w = new JcaPEMWriter(new FileWriter(keyPem.toFile()))) {
      w.writeObject(new JcaPKCS8Generator(kp.getPrivate(), null));
    }
    return cert;
  }

  private static SSLContext trusting(X509Certificate cert) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("server", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  void https_http2AndHttp11_serveTheApi_oldTlsRefused() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    X509Certificate x = selfSigned(cert, key);
    Path data = dir.resolve("data");
    java.nio.file.Files.createDirectories(data);
    try (TestServer ts = new TestServer(data, b -> b.tls(cert, key))) {
      SSLContext ssl = trusting(x);
      URI base = URI.create("https://localhost:" + ts.server.port());
      HttpClient h2 = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
      // several concurrent streams on one connection
      List<CompletableFuture<HttpResponse<String>>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        fs.add(h2.sendAsync(HttpRequest.newBuilder(base.resolve("/v1/hashes/md5/" + TestServer.MD5_A))
            .header("Authorization", "Bearer " + ts.queryKey).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> f : fs) {
        HttpResponse<String> r = f.get();
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"match\":true");
      }
      HttpResponse<String> post = h2.send(HttpRequest.newBuilder(base.resolve("/v1/lookup"))
          .header("Authorization", "Bearer " + ts.queryKey).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"queries\":[{\"type\":\"md5\",\"hash\":\""
              + TestServer.MD5_A + "\"}]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(post.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(post.body()).contains("\"match\":true");
      HttpResponse<String> err = h2.send(HttpRequest.newBuilder(base.resolve("/v1/hashes/md5/xx"))
          .header("Authorization", "Bearer " + ts.queryKey).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(err.statusCode()).isEqualTo(400);
      assertThat(err.body()).contains("invalid_hash");

      HttpClient h1 = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> r1 = h1.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(r1.statusCode()).isEqualTo(200);

      try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket("localhost", ts.server.port())) {
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[] {"TLSv1.1"});
        s.setSSLParameters(p);
        boolean refused;
        try {
          s.startHandshake();
          refused = false;
        } catch (SSLHandshakeException | IllegalArgumentException e) {
          refused = true;
        } catch (java.io.IOException e) {
          refused = true;
        }
        assertThat(refused).isTrue();
      }
    }
    // the access log: one line per request, HTTP/2 streams numbered by their stream id
    List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
    for (String l : java.nio.file.Files.readAllLines(data.resolve("access.jsonl"))) {
      lines.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(l));
    }
    assertThat(lines).hasSize(23);
    List<com.fasterxml.jackson.databind.JsonNode> h2Lines =
        lines.stream().filter(l -> l.get("protocol").asText().equals("h2")).toList();
    assertThat(h2Lines).hasSize(22);
    assertThat(h2Lines).filteredOn(l -> l.get("route").asText()
        .equals("GET /v1/hashes/{type}/{hash}")).hasSize(21);
    assertThat(h2Lines).extracting(l -> l.get("conn").asText() + "/" + l.get("req").asLong())
        .doesNotHaveDuplicates();
    assertThat(h2Lines).allSatisfy(l -> assertThat(l.get("req").asLong() % 2).isEqualTo(1));
    assertThat(lines).filteredOn(l -> l.get("protocol").asText().equals("http/1.1"))
        .singleElement().satisfies(l -> assertThat(l.get("route").asText()).isEqualTo("GET /healthz"));
    assertThat(java.nio.file.Files.readString(data.resolve("access.jsonl")))
        .doesNotContain(TestServer.MD5_A).doesNotContain("cd".repeat(16));
  }
}
