package org.hashdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS trust and pinning against a real HTTPS socket with a self-signed certificate made by keytool. */
class TlsPinningTest {
  @TempDir static Path dir;
  private static HttpsServer server;
  private static final AtomicInteger requests = new AtomicInteger();
  private static Path pem;
  private static X509Certificate cert;

  @BeforeAll
  static void start() throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Path ks = dir.resolve("ks.p12");
    pem = dir.resolve("cert.pem");
    exec(keytool, "-genkeypair", "-alias", "s", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
        "-storepass", "changeit", "-keypass", "changeit");
    exec(keytool, "-exportcert", "-rfc", "-alias", "s", "-keystore", ks.toString(), "-storepass", "changeit",
        "-file", pem.toString());
    try (InputStream in = Files.newInputStream(pem)) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext("/", ex -> {
      requests.incrementAndGet();
      byte[] body = "{\"results\":[{\"match\":false,\"matches\":[]}]}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static void exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
  }

  private static HashDbClient.Builder builder() {
    return HashDbClient.builder().baseUrl("https://127.0.0.1:" + server.getAddress().getPort()).apiKey("k")
        .retryPolicy(RetryPolicy.NONE);
  }

  private static LookupResult lookup(HashDbClient c) {
    return c.lookup(HashType.MD5, new byte[16]);
  }

  @Test
  void lookup_trustedCaAndMatchingSpkiPin_succeeds() throws Exception {
    String spki = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
    assertThat(Tls.spkiSha256(cert)).isEqualTo(spki);
    try (HashDbClient c = builder().caCertificates(pem).pinnedCertificate(spki).build()) {
      assertThat(lookup(c).match()).isFalse();
    }
    String der = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    try (HashDbClient c = builder().caCertificates(pem).pinnedCertificate("sha256//" + der).build()) {
      assertThat(lookup(c).match()).isFalse();
    }
  }

  @Test
  void lookup_wrongPin_failsInHandshakeBeforeAnyRequest() {
    int before = requests.get();
    try (HashDbClient c = builder().caCertificates(pem).pinnedCertificate("00".repeat(32)).build()) {
      assertThatThrownBy(() -> lookup(c))
          .isExactlyInstanceOf(HashDbException.class)
          .hasMessageContaining("pinned");
    }
    assertThat(requests.get()).isEqualTo(before); // the API key never left the client
  }

  @Test
  void lookup_untrustedSelfSignedCertificate_fails() {
    try (HashDbClient c = builder().build()) {
      assertThatThrownBy(() -> lookup(c)).isExactlyInstanceOf(HashDbException.class);
    }
  }

  @Test
  void build_sslContextWithPin_isRejected() throws Exception {
    assertThatThrownBy(() -> builder().sslContext(SSLContext.getDefault()).pinnedCertificate("00".repeat(32)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("sslContext");
  }
}
