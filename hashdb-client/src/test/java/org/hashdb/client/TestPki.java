package org.hashdb.client;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away certificate authority for TLS tests (Bouncy Castle PKIX, test scope only). */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  /** A key pair with its certificate, signed by {@code issuer} (or self-signed for a CA). */
  record Issued(KeyPair keys, X509Certificate cert) {
    /** Writes the certificate as PEM. */
    Path writeCert(Path file) throws IOException, GeneralSecurityException {
      Files.writeString(file, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
      return file;
    }

    /** Writes the private key as unencrypted PKCS#8 PEM. */
    Path writeKey(Path file) throws IOException {
      Files.writeString(file, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
      return file;
    }

    /** Writes key and certificate as a PKCS#12 keystore protected by {@code password}. */
    Path writePkcs12(Path file, char[] password) throws IOException, GeneralSecurityException {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", keys.getPrivate(), password, new Certificate[] {cert});
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, password);
      }
      return file;
    }
  }

  private TestPki() {}

  static Issued ca(String name) throws GeneralSecurityException {
    KeyPair kp = ecKeys();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder b = builder(subject, subject, kp);
    extensions(b, true, null);
    return new Issued(kp, sign(b, kp));
  }

  /** A server certificate for 127.0.0.1 and localhost. */
  static Issued server(Issued ca) throws GeneralSecurityException {
    return leaf(ca, "localhost", KeyPurposeId.id_kp_serverAuth, true);
  }

  static Issued client(Issued ca, String name) throws GeneralSecurityException {
    return leaf(ca, name, KeyPurposeId.id_kp_clientAuth, false);
  }

  private static Issued leaf(Issued ca, String cn, KeyPurposeId purpose, boolean san) throws GeneralSecurityException {
    KeyPair kp = ecKeys();
    X509v3CertificateBuilder b = builder(X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded()),
        new X500Name("CN=" + cn), kp);
    try {
      if (san) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      }
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    extensions(b, false, purpose);
    return new Issued(kp, sign(b, ca.keys()));
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair kp) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject, kp.getPublic());
  }

  private static void extensions(X509v3CertificateBuilder b, boolean ca, KeyPurposeId purpose)
      throws GeneralSecurityException {
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(ca
          ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      if (purpose != null) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      }
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
