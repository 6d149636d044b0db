package org.hashdb.core.disk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * A master key held in a PKCS#11 token (an HSM, or SoftHSM2 for tests), used through the JDK's
 * {@code SunPKCS11} provider. The key is an AES key object in the token; the data keys are
 * wrapped and unwrapped by the token (AES-GCM), so the master key itself never leaves it.
 *
 * <p>URI (RFC 7512 path attributes, plus query attributes):
 * {@code pkcs11:token=<token label>;object=<key label>?module-path=<library>&pin-source=<file>}
 * or {@code ...&pin-env=<VARIABLE>}. The PIN comes from a file (first line) or an environment
 * variable, never from the URI itself ({@code pin-value} is refused), so it does not show up in
 * {@code ps} or shell history. The token is found by trying the token slots in order: the first
 * one the PIN logs into that holds an AES key labelled {@code object} is used ({@code
 * slot-index=N} picks a slot list index directly). Values may be percent-encoded.
 */
final class Pkcs11MasterKeys {
  private Pkcs11MasterKeys() {}

  /** Slots tried when none is given; SoftHSM2 and most HSMs have far fewer. */
  private static final int MAX_SLOTS = 32;

  static MasterKey load(String uri) throws IOException {
    Map<String, String> attrs = parse(uri);
    String token = attrs.get("token");
    String object = attrs.get("object");
    String module = attrs.get("module-path");
    if (object == null || module == null) {
      throw new MasterKeyException("pkcs11 URI " + redact(uri) + " needs object=<key label> and"
          + " ?module-path=<PKCS#11 library>, e.g. pkcs11:token=hashdb;object=master"
          + "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/etc/hashdb/pin");
    }
    if (attrs.containsKey("pin-value")) {
      throw new MasterKeyException("pkcs11 URI: pin-value is refused (it would be visible in ps"
          + " and shell history); use pin-source=<file> or pin-env=<VARIABLE>");
    }
    char[] pin = pin(attrs);
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new MasterKeyException("this JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
    }
    String source = "pkcs11:" + (token == null ? "" : "token=" + token + ";") + "object=" + object;
    int from = 0;
    int to = MAX_SLOTS;
    if (attrs.containsKey("slot-index")) {
      from = Integer.parseInt(attrs.get("slot-index"));
      to = from + 1;
    }
    GeneralSecurityException last = null;
    for (int slot = from; slot < to; slot++) {
      String config = "--name=hashdb-" + slot + "\nlibrary=" + module + "\nslotListIndex=" + slot
          + "\n";
      Provider p;
      try {
        p = base.configure(config);
      } catch (RuntimeException e) {
        if (slot == from && last == null) {
          last = new GeneralSecurityException(e.getMessage(), e);
        }
        break; // no such slot (or the library does not load): stop trying
      }
      try {
        KeyStore ks = KeyStore.getInstance("PKCS11", p);
        ks.load(null, pin);
        Key k = ks.getKey(object, null);
        if (k instanceof SecretKey sk) {
          return new MasterKey(id(token, object), sk, p, source);
        }
      } catch (GeneralSecurityException | IOException e) {
        last = e instanceof GeneralSecurityException g ? g : new GeneralSecurityException(e);
      }
    }
    throw new MasterKeyException("no token reachable through " + module + " holds an AES key"
        + " labelled '" + object + "' that the PIN opens (" + source + ")"
        + (last == null ? "" : ": " + last.getMessage()), last);
  }

  /** The id written into file headers: labels, hashed so it is short and printable. */
  static String id(String token, String object) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(("pkcs11\n" + (token == null ? "" : token) + "\n" + object)
          .getBytes(StandardCharsets.UTF_8));
      return "p11-" + HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static char[] pin(Map<String, String> attrs) throws IOException {
    String file = attrs.get("pin-source");
    String env = attrs.get("pin-env");
    if (file != null) {
      if (file.startsWith("file:")) {
        file = file.substring("file:".length());
      }
      Path p = Path.of(file);
      if (!Files.isRegularFile(p)) {
        throw new MasterKeyException("pkcs11 PIN file " + p + " does not exist");
      }
      String s = Files.readString(p, StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      return (nl < 0 ? s : s.substring(0, nl)).strip().toCharArray();
    }
    if (env != null) {
      String v = System.getenv(env);
      if (v == null || v.isEmpty()) {
        throw new MasterKeyException("pkcs11 PIN variable " + env + " is not set");
      }
      return v.toCharArray();
    }
    throw new MasterKeyException("pkcs11 URI needs pin-source=<file> or pin-env=<VARIABLE>");
  }

  static Map<String, String> parse(String uri) throws MasterKeyException {
    if (!uri.startsWith("pkcs11:")) {
      throw new MasterKeyException("not a pkcs11 URI");
    }
    String rest = uri.substring("pkcs11:".length());
    String path = rest;
    String query = "";
    int q = rest.indexOf('?');
    if (q >= 0) {
      path = rest.substring(0, q);
      query = rest.substring(q + 1);
    }
    Map<String, String> out = new HashMap<>();
    put(out, path, ";", uri);
    put(out, query, "&", uri);
    return out;
  }

  private static void put(Map<String, String> out, String s, String sep, String uri)
      throws MasterKeyException {
    for (String part : s.split(sep)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new MasterKeyException("pkcs11 URI " + redact(uri) + ": '" + part
            + "' is not name=value");
      }
      out.put(part.substring(0, eq), decode(part.substring(eq + 1)));
    }
  }

  private static String decode(String v) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '%' && i + 2 < v.length()) {
        b.write(Integer.parseInt(v.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] bs = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        b.write(bs, 0, bs.length);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  /** The URI without a pin-value, for messages. */
  private static String redact(String uri) {
    return uri.replaceAll("pin-value=[^&;]*", "pin-value=...");
  }
}
