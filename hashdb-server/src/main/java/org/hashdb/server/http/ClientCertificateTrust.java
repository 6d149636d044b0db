package org.hashdb.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies the client certificates of the admin listener with the JDK's PKIX validation: a chain
 * to one of the CA certificates of {@code adminClientCa}, every certificate within its validity
 * period, and, with {@code adminCrl}, none revoked by a CRL of that file. Revocation is checked
 * against that file only (no OCSP, no download), and fails closed: a CA without a current CRL
 * there (missing, or past its next update) refuses every certificate it issued. The CRL file is
 * re-read at the first handshake after it changes; one that does not parse keeps the previous
 * CRLs (logged). Server certificates are never checked here.
 */
final class ClientCertificateTrust extends X509ExtendedTrustManager {
  private static final System.Logger LOG =
      System.getLogger(ClientCertificateTrust.class.getName());

  private final Set<TrustAnchor> anchors;
  private final X509Certificate[] issuers;
  private final Path crlFile; // null: no revocation check
  private volatile X509ExtendedTrustManager delegate;
  private long crlMtime; // guarded by this
  private long crlSize = -1;

  private ClientCertificateTrust(List<X509Certificate> cas, Path crlFile)
      throws IOException, GeneralSecurityException {
    this.anchors = new HashSet<>();
    for (X509Certificate ca : cas) {
      anchors.add(new TrustAnchor(ca, null));
    }
    this.issuers = cas.toArray(X509Certificate[]::new);
    this.crlFile = crlFile;
    this.delegate = build(crlFile == null ? null : readCrls());
  }

  /** Trust in the CA certificates of {@code caFile} (PEM), revocation from {@code crlFile}. */
  static TrustManager open(Path caFile, Path crlFile) throws IOException {
    List<X509Certificate> cas = new ArrayList<>();
    try (InputStream in = Files.newInputStream(caFile)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        cas.add((X509Certificate) c);
      }
    } catch (CertificateException e) {
      throw new IOException(caFile + ": not PEM certificates: " + e.getMessage(), e);
    }
    if (cas.isEmpty()) {
      throw new IOException(caFile + ": no CA certificate in it");
    }
    try {
      return new ClientCertificateTrust(cas, crlFile);
    } catch (GeneralSecurityException e) {
      throw new IOException("client certificate checks: " + e.getMessage(), e);
    }
  }

  private Collection<? extends CRL> readCrls() throws IOException {
    BasicFileAttributes a = Files.readAttributes(crlFile, BasicFileAttributes.class);
    Collection<? extends CRL> crls;
    try (InputStream in = Files.newInputStream(crlFile)) {
      crls = CertificateFactory.getInstance("X.509").generateCRLs(in);
    } catch (GeneralSecurityException e) {
      throw new IOException(crlFile + ": not a CRL (PEM or DER): " + e.getMessage(), e);
    }
    if (crls.isEmpty()) {
      throw new IOException(crlFile + ": no CRL in it");
    }
    crlMtime = a.lastModifiedTime().toMillis();
    crlSize = a.size();
    return crls;
  }

  private X509ExtendedTrustManager build(Collection<? extends CRL> crls)
      throws GeneralSecurityException {
    PKIXBuilderParameters p = new PKIXBuilderParameters(anchors, new X509CertSelector());
    p.setRevocationEnabled(false);
    if (crls != null) {
      p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
      PKIXRevocationChecker rc =
          (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX").getRevocationChecker();
      // the operator's CRL file only: no OCSP, no fetching, and no soft failure
      rc.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
          PKIXRevocationChecker.Option.NO_FALLBACK));
      p.addCertPathChecker(rc);
    }
    TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
    f.init(new CertPathTrustManagerParameters(p));
    for (TrustManager tm : f.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no PKIX trust manager in this JDK");
  }

  /** The checks in force, after re-reading the CRL file if it changed. */
  private X509ExtendedTrustManager current() {
    if (crlFile == null) {
      return delegate;
    }
    synchronized (this) {
      try {
        BasicFileAttributes a = Files.readAttributes(crlFile, BasicFileAttributes.class);
        if (a.lastModifiedTime().toMillis() != crlMtime || a.size() != crlSize) {
          delegate = build(readCrls());
          LOG.log(System.Logger.Level.INFO, "admin client CRL reloaded from {0}", crlFile);
        }
      } catch (IOException | GeneralSecurityException e) {
        LOG.log(System.Logger.Level.WARNING,
            "admin client CRL unreadable, keeping the previous one: {0}", e.getMessage());
      }
      return delegate;
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    current().checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    current().checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    current().checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("the admin listener checks client certificates only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the admin listener checks client certificates only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("the admin listener checks client certificates only");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return issuers.clone();
  }
}
