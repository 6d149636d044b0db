package org.hashdb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.hashdb.core.hash.HashType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS (issue 13): a JDK HTTPS server that requires a client certificate from a private CA
 * made in the test. Refused without a certificate or with one from another CA; accepted with the
 * PEM pair or the PKCS#12 keystore, and the server sees the client's name.
 */
class ClientCertificateTest {
  @TempDir static Path dir;
  private static HttpsServer server;
  private static final List<String> peers = new CopyOnWriteArrayList<>();
  private static Path caPem;
  private static Path clientCert;
  private static Path clientKey;
  private static Path clientP12;
  private static final char[] P12_PASSWORD = "p12-test-password".toCharArray();
  private static Path strangerCert;
  private static Path strangerKey;

  @BeforeAll
  static void start() throws Exception {
    TestPki.Issued ca = TestPki.ca("Test CA");
    TestPki.Issued serverCert = TestPki.server(ca);
    TestPki.Issued client = TestPki.client(ca, "scanner-1");
    TestPki.Issued stranger = TestPki.client(TestPki.ca("Other CA"), "stranger");
    caPem = ca.writeCert(dir.resolve("ca.pem"));
    clientCert = client.writeCert(dir.resolve("client.pem"));
    clientKey = client.writeKey(dir.resolve("client.key"));
    clientP12 = client.writePkcs12(dir.resolve("client.p12"), P12_PASSWORD);
    strangerCert = stranger.writeCert(dir.resolve("stranger.pem"));
    strangerKey = stranger.writeKey(dir.resolve("stranger.key"));

    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", serverCert.keys().getPrivate(), new char[0], new Certificate[] {serverCert.cert()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.cert());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
      @Override
      public void configure(HttpsParameters params) {
        javax.net.ssl.SSLParameters p = getSSLContext().getDefaultSSLParameters();
        p.setNeedClientAuth(true);
        params.setSSLParameters(p);
      }
    });
    server.createContext("/", ex -> {
      try (ex) {
        try {
          peers.add(((com.sun.net.httpserver.HttpsExchange) ex).getSSLSession().getPeerPrincipal().getName());
        } catch (SSLPeerUnverifiedException e) {
          peers.add("(none)");
        }
        ex.getRequestBody().readAllBytes();
        byte[] body = "{\"results\":[{\"match\":false,\"matches\":[]}]}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      }
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static HashDbClient.Builder builder() {
    return HashDbClient.builder().baseUrl("https://127.0.0.1:" + server.getAddress().getPort())
        .apiKey("k").caCertificates(caPem).retryPolicy(RetryPolicy.NONE);
  }

  private static boolean lookup(HashDbClient c) {
    return c.lookup(HashType.MD5, new byte[16]).match();
  }

  @Test
  void withoutClientCertificate_refused() {
    int before = peers.size();
    try (HashDbClient c = builder().build()) {
      assertThatThrownBy(() -> lookup(c)).isInstanceOf(HashDbException.class);
    }
    assertThat(peers).hasSize(before); // no request reached the handler
  }

  @Test
  void certificateOfAnotherCa_refused() {
    int before = peers.size();
    try (HashDbClient c = builder().clientCertificate(strangerCert, strangerKey).build()) {
      assertThatThrownBy(() -> lookup(c)).isInstanceOf(HashDbException.class);
    }
    assertThat(peers).hasSize(before);
  }

  @Test
  void pemCertificateAndKey_accepted() {
    try (HashDbClient c = builder().clientCertificate(clientCert, clientKey).build()) {
      assertThat(lookup(c)).isFalse();
    }
    assertThat(peers).contains("CN=scanner-1");
  }

  @Test
  void pkcs12Keystore_accepted_wrongPasswordIsAClearError() {
    try (HashDbClient c = builder().clientKeyStore(clientP12, P12_PASSWORD).build()) {
      assertThat(lookup(c)).isFalse();
    }
    assertThatThrownBy(() -> builder().clientKeyStore(clientP12, "wrong".toCharArray()).build())
        .isInstanceOf(HashDbException.class).hasMessageContaining("client.p12");
  }

  @Test
  void traditionalOrMissingKey_clearError() throws Exception {
    Path rsa = Files.writeString(dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> builder().clientCertificate(clientCert, rsa).build())
        .isInstanceOf(HashDbException.class).hasMessageContaining("openssl pkcs8 -topk8");
    assertThatThrownBy(() -> builder().clientCertificate(clientCert, dir.resolve("missing.key")).build())
        .isInstanceOf(HashDbException.class).hasMessageContaining("missing.key");
    assertThatThrownBy(() -> HashDbClient.builder().baseUrl("http://127.0.0.1:1").apiKey("k")
        .clientCertificate(clientCert, clientKey).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("https");
  }

  @Test
  void scanCommand_withClientCertificate_checksTheTree_withoutIsRefused() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Files.write(tree.resolve("a.bin"), new byte[] {1, 2, 3});
    Path password = Files.writeString(dir.resolve("p12.pass"), new String(P12_PASSWORD) + "\n");
    String url = "https://127.0.0.1:" + server.getAddress().getPort();
    List<String> common = List.of(tree.toString(), "--server", url, "--key", "k", "--ca", caPem.toString(),
        "--types", "md5", "--batch-size", "1", "--progress", "never");
    assertThat(scan(common, "--client-cert", clientCert.toString(), "--client-key", clientKey.toString())).isZero();
    assertThat(scan(common, "--client-cert", clientP12.toString(), "--client-cert-password-file", password.toString()))
        .isZero();
    assertThat(scan(common)).isEqualTo(2);
  }

  private static int scan(List<String> common, String... more) {
    List<String> args = new java.util.ArrayList<>(common);
    args.addAll(List.of(more));
    java.io.StringWriter sink = new java.io.StringWriter();
    return new picocli.CommandLine(new org.hashdb.client.cli.ScanCommand()).setOut(new java.io.PrintWriter(sink))
        .setErr(new java.io.PrintWriter(sink)).execute(args.toArray(new String[0]));
  }
}
