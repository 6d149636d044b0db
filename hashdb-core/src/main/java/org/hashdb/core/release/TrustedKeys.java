package org.hashdb.core.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.hashdb.core.db.EntryValidator;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.hashdb.core.hash.Hex;

/**
 * The public keys whose list releases may be imported, each with the lists it may sign. Trust
 * file format, UTF-8, one key a line: {@code ed25519:<base64 of the raw 32-byte key> [name]
 * lists=<list>[,<list>...]} ({@code lists=*}: every list); blank lines and lines starting with
 * {@code #} are skipped. A line without {@code lists=} (a {@code .pub} file as {@code release
 * keygen} writes it) loads, but every release it signed is refused with a message saying how to
 * scope it: trusting a key for every list must be written down. Immutable and thread-safe.
 */
public final class TrustedKeys {
  static final String PREFIX = "ed25519:";
  private static final PublicKeyLines LINES = new PublicKeyLines(PREFIX,
      Ed25519KeyPair.PRIVATE_PREFIX, "this is a private key; trust the .pub file", null, null, false);

  /**
   * One trusted key.
   *
   * @param id key id, 16 hex digits (first 8 bytes of SHA-256 of the raw key)
   * @param name a label from the trust file (may be empty)
   * @param publicKey the raw 32-byte key (not copied)
   * @param lists the lists it may sign ({@code *}: all), or null when its line names none
   * @param origin where it was read, e.g. {@code "trust.keys line 3"}
   */
  public record Key(String id, String name, byte[] publicKey, Set<String> lists, String origin) {
    @Override
    public String toString() {
      return name.isEmpty() ? id : id + " (" + name + ")";
    }

    /** Whether this key may sign releases of {@code list}. */
    public boolean maySign(String list) {
      return lists != null && (lists.contains(ALL) || lists.contains(list));
    }
  }

  /** The scope that allows every list. */
  public static final String ALL = "*";
  private static final String SCOPE = "lists=";

  private final List<Key> keys;

  private TrustedKeys(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  /** Loads and merges trust files; a malformed line fails the load naming file and line. */
  public static TrustedKeys load(Collection<Path> files) throws IOException {
    List<Key> all = new ArrayList<>();
    for (Path f : files) {
      all.addAll(parse(Files.readString(f, StandardCharsets.UTF_8), f.toString()).keys);
    }
    return new TrustedKeys(all);
  }

  /** Loads and merges trust files. */
  public static TrustedKeys load(Path... files) throws IOException {
    return load(Arrays.asList(files));
  }

  /** Parses trust file text; {@code origin} names it in error messages. */
  public static TrustedKeys parse(String text, String origin) {
    List<Key> keys = new ArrayList<>();
    LINES.forEach(text, origin, l -> keys.add(scoped(l)));
    return new TrustedKeys(keys);
  }

  /** Trusts the given raw 32-byte public keys, unnamed, for every list. */
  public static TrustedKeys of(byte[]... rawPublicKeys) {
    return forLists(Set.of(ALL), rawPublicKeys);
  }

  /** Trusts the given raw 32-byte public keys, unnamed, for {@code lists} (null: unscoped). */
  public static TrustedKeys forLists(Set<String> lists, byte[]... rawPublicKeys) {
    List<Key> keys = new ArrayList<>();
    for (byte[] k : rawPublicKeys) {
      keys.add(key(k.clone(), "", lists == null ? null : Set.copyOf(lists), "key: "));
    }
    return new TrustedKeys(keys);
  }

  /** A key line's key, with the {@code lists=} token taken out of its name. */
  private static Key scoped(PublicKeyLines.Line l) {
    Set<String> lists = null;
    StringBuilder name = new StringBuilder();
    for (String token : l.name().split("\\s+")) {
      if (token.startsWith(SCOPE)) {
        if (lists != null) {
          throw new IllegalArgumentException(l.where() + "more than one " + SCOPE);
        }
        lists = new TreeSet<>();
        for (String list : token.substring(SCOPE.length()).split(",", -1)) {
          if (!list.equals(ALL)) {
            try {
              EntryValidator.checkListName(list);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(l.where() + SCOPE + ": " + e.getMessage());
            }
          }
          lists.add(list);
        }
      } else if (!token.isEmpty()) {
        name.append(name.length() == 0 ? "" : " ").append(token);
      }
    }
    String where = l.where();
    return key(l.raw(), name.toString(), lists == null ? null : Set.copyOf(lists),
        where.substring(0, Math.max(0, where.length() - 2)));
  }

  private static Key key(byte[] raw, String name, Set<String> lists, String where) {
    if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException(where + "an ed25519 public key has 32 bytes, got " + raw.length);
    }
    try {
      new Ed25519PublicKeyParameters(raw, 0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "not a valid ed25519 public key");
    }
    return new Key(Hex.encode(ListReleaseFormat.keyId(raw)), name, raw, lists, where);
  }

  /** One trust file line for a key. */
  static String format(byte[] rawPublicKey, String name) {
    String line = PREFIX + Base64.getEncoder().encodeToString(rawPublicKey);
    return name == null || name.isBlank() ? line : line + " " + name.strip();
  }

  /**
   * Refuses a release of {@code list} signed by {@code key} unless the key's line names the list.
   */
  void checkScope(Key key, String list) throws ReleaseVerificationException {
    if (key.lists() == null) {
      throw new ReleaseVerificationException(ReleaseVerificationException.Reason.UNSCOPED_KEY,
          "trusted key " + key + " (" + key.origin() + ") names no lists it may sign; add "
              + SCOPE + list + " (or " + SCOPE + ALL + " for every list) to the end of its line");
    }
    if (!key.maySign(list)) {
      throw new ReleaseVerificationException(ReleaseVerificationException.Reason.LIST_NOT_ALLOWED,
          "release is of list '" + list + "', but trusted key " + key + " may sign only "
              + String.join(",", new TreeSet<>(key.lists())) + " (" + key.origin() + ")");
    }
  }

  /** The trusted keys, in file order. */
  public List<Key> keys() {
    return keys;
  }

  /** The key with this raw key id, or null. */
  Key find(byte[] keyId) {
    String id = Hex.encode(keyId);
    for (Key k : keys) {
      if (k.id().equals(id)) {
        return k;
      }
    }
    return null;
  }

  /** True when {@code signature} is {@code key}'s Ed25519 signature of {@code message}. */
  static boolean verify(Key key, byte[] message, byte[] signature) {
    Objects.requireNonNull(key, "key");
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, new Ed25519PublicKeyParameters(key.publicKey(), 0));
    v.update(message, 0, message.length);
    return v.verifySignature(signature);
  }

  @Override
  public String toString() {
    return keys.toString();
  }
}
