package org.hashdb.server.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;

/**
 * The name a verified client certificate gives its holder: the subject's common name (CN), which
 * on the admin listener must be the name of the key the request presents. Read once per
 * connection (all HTTP/2 streams share their connection's) and kept on the channel.
 */
final class ClientIdentity {
  private static final AttributeKey<String> CN = AttributeKey.valueOf("hashdb.clientCn");

  private ClientIdentity() {}

  /** The CN of the connection's verified client certificate, or null when there is none. */
  static String commonName(Channel ch) {
    Channel conn = ch instanceof Http2StreamChannel s ? s.parent() : ch;
    String cached = conn.attr(CN).get();
    if (cached != null) {
      return cached.isEmpty() ? null : cached;
    }
    String cn = null;
    SslHandler ssl = conn.pipeline().get(SslHandler.class);
    if (ssl != null) {
      try {
        Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
        if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
          cn = commonName(x.getSubjectX500Principal());
        }
      } catch (SSLPeerUnverifiedException e) {
        cn = null; // no certificate: the TLS layer refuses that when one is required
      }
    }
    conn.attr(CN).set(cn == null ? "" : cn);
    return cn;
  }

  /** The single CN of {@code subject}; null when it has none or several (ambiguous). */
  static String commonName(X500Principal subject) {
    String cn = null;
    try {
      for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          if (cn != null) {
            return null;
          }
          cn = String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      return null;
    }
    return cn;
  }
}
