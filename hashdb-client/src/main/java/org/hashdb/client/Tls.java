package org.hashdb.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.hashdb.core.hash.Hex;

/**
 * TLS for the client: trust in the system CAs or CAs from a PEM file, optionally pinned to one
 * server certificate, and optionally a client certificate ({@link ClientCertificate}). Pinning is checked in the trust manager, during the handshake, so the API
 * key is never sent to a server that fails the pin.
 */
final class Tls {
  private Tls() {}

  /**
   * An SSLContext trusting the CAs in {@code caPem} (or the JDK's default CAs when null) and, when
   * {@code pinSha256} is not null, only a server whose leaf certificate hashes to it.
   *
   * @param pinSha256 SHA-256 of the leaf's SubjectPublicKeyInfo or of its DER encoding: 64 hex
   *     digits (colons allowed) or base64, optionally prefixed {@code sha256//} as curl writes it
   */
  public static SSLContext context(Path caPem, String pinSha256) throws IOException, GeneralSecurityException {
    return context(caPem, pinSha256, null);
  }

  /** {@link #context(Path, String)} presenting a client certificate from {@code keyManagers} (or none when null). */
  public static SSLContext context(Path caPem, String pinSha256, KeyManager[] keyManagers)
      throws IOException, GeneralSecurityException {
    X509ExtendedTrustManager base = trustManager(caPem);
    X509ExtendedTrustManager tm = pinSha256 == null ? base : new Pinning(base, parsePin(pinSha256));
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keyManagers, new TrustManager[] {tm}, null);
    return ctx;
  }

  private static X509ExtendedTrustManager trustManager(Path caPem) throws IOException, GeneralSecurityException {
    KeyStore ks = null;
    if (caPem != null) {
      ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      Collection<? extends Certificate> certs;
      try (InputStream in = Files.newInputStream(caPem)) {
        certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certs.isEmpty()) {
        throw new CertificateException("no certificate in " + caPem);
      }
      int i = 0;
      for (Certificate c : certs) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509ExtendedTrustManager from " + tmf.getAlgorithm());
  }

  /** Decodes a pin (see {@link #context}) to its 32 bytes. */
  public static byte[] parsePin(String pin) {
    String p = pin.trim();
    if (p.toLowerCase(Locale.ROOT).startsWith("sha256//")) {
      p = p.substring("sha256//".length());
    }
    String hex = p.replace(":", "");
    if (hex.length() == 64 && Hex.isHex(hex)) {
      return Hex.decode(hex);
    }
    byte[] b;
    try {
      b = Base64.getDecoder().decode(p);
    } catch (IllegalArgumentException e) {
      b = null;
    }
    if (b == null || b.length != 32) {
      throw new IllegalArgumentException("pin must be a SHA-256 as 64 hex digits or base64 (44 characters), got '" + pin + "'");
    }
    return b;
  }

  /** The SPKI pin of a certificate, lowercase hex: what {@link #parsePin} accepts. */
  public static String spkiSha256(X509Certificate cert) {
    return Hex.encode(sha256(cert.getPublicKey().getEncoded()));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Validates the chain with the delegate (hostname included), then the leaf against the pin. */
  private static final class Pinning extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final byte[] pin;

    Pinning(X509ExtendedTrustManager delegate, byte[] pin) {
      this.delegate = delegate;
      this.pin = pin;
    }

    private void checkPin(X509Certificate[] chain) throws CertificateException {
      X509Certificate leaf = chain[0];
      if (!MessageDigest.isEqual(pin, sha256(leaf.getPublicKey().getEncoded()))
          && !MessageDigest.isEqual(pin, sha256(leaf.getEncoded()))) {
        throw new CertificateException(
            "server certificate does not match the pinned SHA-256 (its SPKI SHA-256 is " + spkiSha256(leaf) + ")");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      delegate.checkServerTrusted(chain, authType, socket);
      checkPin(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      delegate.checkServerTrusted(chain, authType, engine);
      checkPin(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate.checkServerTrusted(chain, authType);
      checkPin(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate.getAcceptedIssuers();
    }
  }
}
