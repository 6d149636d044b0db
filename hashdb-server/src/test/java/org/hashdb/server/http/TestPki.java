package org.hashdb.server.http;

import java.io.FileWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made in the test with Bouncy Castle PKIX: server and client
 * certificates (valid, expired), CRLs, PEM files, and client {@link SSLContext}s. EC P-256.
 */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate with its private key. */
  record Issued(X509Certificate cert, KeyPair keys) {
    void writePem(Path certPem, Path keyPem) throws IOException {
      try (JcaPEMWriter w = new JcaPEMWriter(new FileWriter(certPem.toFile()))) {
        w.writeObject(cert);
      }
      try (JcaPEMWriter w = new JcaPEMWriter(new FileWriter(keyPem.toFile()))) {
        w.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
      }
    }
  }

  final Issued ca;
  private final X500Name name;

  TestPki(String cn) throws Exception {
    name = new X500Name("CN=" + cn);
    KeyPair kp = newKeys();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
        Date.from(Instant.now().minus(Duration.ofDays(2))),
        Date.from(Instant.now().plus(Duration.ofDays(30))), name, kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
    ca = new Issued(new JcaX509CertificateConverter().getCertificate(b.build(signer(kp))), kp);
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  private static ContentSigner signer(KeyPair kp) throws Exception {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate());
  }

  /** A server certificate for localhost and 127.0.0.1. */
  Issued server() throws Exception {
    return issue("localhost", Instant.now().minus(Duration.ofMinutes(5)),
        Instant.now().plus(Duration.ofDays(1)), KeyPurposeId.id_kp_serverAuth, true);
  }

  /** A client certificate whose CN is {@code cn}, valid from {@code from} to {@code to}. */
  Issued client(String cn, Instant from, Instant to) throws Exception {
    return issue(cn, from, to, KeyPurposeId.id_kp_clientAuth, false);
  }

  /** A client certificate valid from a minute ago for a day. */
  Issued client(String cn) throws Exception {
    return client(cn, Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plus(Duration.ofDays(1)));
  }

  private Issued issue(String cn, Instant from, Instant to, KeyPurposeId purpose, boolean san)
      throws Exception {
    KeyPair kp = newKeys();
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
        Date.from(from), Date.from(to), new X500Name("CN=" + cn), kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    if (san) {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    }
    return new Issued(new JcaX509CertificateConverter().getCertificate(b.build(signer(ca.keys))), kp);
  }

  /** A CRL of this CA revoking {@code revoked}, current for a day, written as PEM to {@code file}. */
  X509CRL writeCrl(Path file, X509Certificate... revoked) throws Exception {
    Date now = new Date();
    X509v2CRLBuilder b = new JcaX509v2CRLBuilder(ca.cert, now);
    b.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(1))));
    for (X509Certificate c : revoked) {
      b.addCRLEntry(c.getSerialNumber(), now, CRLReason.keyCompromise);
    }
    X509CRL crl = new JcaX509CRLConverter().getCRL(b.build(signer(ca.keys)));
    try (JcaPEMWriter w = new JcaPEMWriter(new FileWriter(file.toFile()))) {
      w.writeObject(crl);
    }
    return crl;
  }

  /** The CA certificate as PEM. */
  void writeCaPem(Path file) throws IOException {
    try (JcaPEMWriter w = new JcaPEMWriter(new FileWriter(file.toFile()))) {
      w.writeObject(ca.cert);
    }
  }

  /** A client TLS context trusting this CA's server certificates, presenting {@code client} (or none). */
  SSLContext clientContext(Issued client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca.cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pw = "test".toCharArray();
      ks.setKeyEntry("client", client.keys.getPrivate(), pw, new X509Certificate[] {client.cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
