package org.hashdb.bench.abuse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The server under attack: where it listens, the keys the attacks and the well-behaved client
 * use, a hash on one of its lists (for the audit flood) and, when known, its process id (for
 * the RSS figures). Attack sockets bind to {@code attackerBind} (by default 127.0.0.2 for a
 * loopback server), so per-address caps hit the attacker and not the well-behaved client.
 */
public record AbuseTarget(URI url, String attackKey, String probeKey, String matchSha256,
    long pid, String attackerBind) {

  public String host() {
    return url.getHost();
  }

  public int port() {
    int p = url.getPort();
    return p > 0 ? p : tls() ? 443 : 80;
  }

  public boolean tls() {
    return "https".equalsIgnoreCase(url.getScheme());
  }

  /** The attackers' source address: given, or 127.0.0.2 for a loopback server, else any. */
  InetAddress bindAddress() throws IOException {
    if (attackerBind != null && !attackerBind.isEmpty()) {
      return InetAddress.getByName(attackerBind);
    }
    InetAddress server = InetAddress.getByName(host());
    return server.isLoopbackAddress() && server.getAddress().length == 4
        ? InetAddress.getByName("127.0.0.2") : null;
  }

  /** A plain TCP (or TLS, with {@code alpn}) connection from the attackers' address. */
  Socket connect(int receiveBuffer, String alpn) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    InetAddress bind = bindAddress();
    if (bind != null) {
      s.bind(new InetSocketAddress(bind, 0));
    }
    s.connect(new InetSocketAddress(host(), port()), 10_000);
    if (!tls()) {
      return s;
    }
    SSLSocket t = (SSLSocket) trustAll().getSocketFactory().createSocket(s, host(), port(), true);
    SSLParameters p = t.getSSLParameters();
    p.setApplicationProtocols(new String[] {alpn == null ? "http/1.1" : alpn});
    t.setSSLParameters(p);
    t.startHandshake();
    return t;
  }

  /** Accepts any certificate: the attack tools talk to test servers with self-signed ones. */
  static SSLContext trustAll() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return c;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Resident set size of the server in KiB, or -1 when its pid is unknown. */
  long rssKib() {
    if (pid <= 0) {
      return -1;
    }
    try {
      for (String line : java.nio.file.Files.readAllLines(
          java.nio.file.Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
