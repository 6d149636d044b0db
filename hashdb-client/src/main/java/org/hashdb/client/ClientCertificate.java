package org.hashdb.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * The client certificate and key a client presents for mutual TLS, read with the JDK alone (no
 * Bouncy Castle at run time): a PEM certificate (chain) with an unencrypted PKCS#8 PEM key
 * ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey} writes), or a PKCS#12 keystore.
 */
final class ClientCertificate {
  private ClientCertificate() {}

  /** Key managers presenting the certificate chain in {@code certPem} with the key in {@code keyPem}. */
  static KeyManager[] fromPem(Path certPem, Path keyPem) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> chain;
    try (InputStream in = Files.newInputStream(certPem)) {
      chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (chain.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + certPem);
    }
    X509Certificate leaf = (X509Certificate) chain.iterator().next();
    PrivateKey key = readPkcs8(keyPem, leaf.getPublicKey().getAlgorithm());
    char[] none = new char[0];
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
    return keyManagers(ks, none);
  }

  /** Key managers presenting the (single) key entry of a PKCS#12 keystore. */
  static KeyManager[] fromPkcs12(Path p12, char[] password) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, password);
    }
    boolean hasKey = false;
    for (String alias : java.util.Collections.list(ks.aliases())) {
      hasKey |= ks.isKeyEntry(alias);
    }
    if (!hasKey) {
      throw new GeneralSecurityException(p12 + " holds no private key entry");
    }
    return keyManagers(ks, password);
  }

  private static KeyManager[] keyManagers(KeyStore ks, char[] password) throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    return kmf.getKeyManagers();
  }

  private static PrivateKey readPkcs8(Path keyPem, String algorithm) throws IOException, GeneralSecurityException {
    String text = Files.readString(keyPem, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN PRIVATE KEY-----";
    int from = text.indexOf(begin);
    int to = text.indexOf("-----END PRIVATE KEY-----");
    if (from < 0 || to < from) {
      String hint = text.contains("ENCRYPTED PRIVATE KEY")
          ? "an encrypted key: use a PKCS#12 keystore, whose password is read from a file or the environment"
          : text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
              ? "a traditional (PKCS#1/SEC1) key: convert it with openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8"
              : "no 'BEGIN PRIVATE KEY' block";
      throw new GeneralSecurityException(keyPem + ": not an unencrypted PKCS#8 PEM key (" + hint + ")");
    }
    byte[] der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    try {
      // EdDSA certificates name "Ed25519"/"EdDSA"; the key factory for both is "EdDSA" on JDK 15+.
      String alg = algorithm.startsWith("Ed") ? "EdDSA" : algorithm;
      return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }
}
