package org.hashdb.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.hashdb.core.hash.Hex;

/**
 * The server's view of the keys file: an immutable id-to-key map published through a volatile
 * field, replaced by {@link #reloadIfChanged()} when the file's modification time or size
 * changes; a version that does not read keeps the previous keys and is reported by
 * {@link #failure()} (the {@code hashdb_keys_reload_failed} metric and {@code /readyz} show it).
 * {@link #authenticate} may be called from any thread and takes no lock.
 */
public final class KeyRing {
  private static final System.Logger LOG = System.getLogger(KeyRing.class.getName());

  private final KeyFile file;
  private volatile Map<String, Known> byId = Map.of();
  private long seenMtime = Long.MIN_VALUE; // reloader thread only
  private long seenSize = -1;
  private long failedMtime = Long.MIN_VALUE; // the version that failed (not re-read or re-logged)
  private long failedSize = -2;
  private volatile Failure failure;
  private final AtomicLong failures = new AtomicLong();

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private KeyRing(KeyFile file) {
    this.file = file;
  }

  /** Loads the keys of {@code dataDir} (none when there is no keys file yet). */
  public static KeyRing load(Path dataDir) throws IOException {
    KeyRing ring = new KeyRing(new KeyFile(dataDir));
    ring.reloadIfChanged();
    return ring;
  }

  /** The keys file this ring is loaded from. */
  public Path path() {
    return file.path();
  }

  /**
   * The key presented in an {@code Authorization} header value ({@code Bearer <key>}), or null
   * when the header is missing, malformed or names no valid key. Constant-time secret comparison.
   */
  public ApiKey authenticate(CharSequence authorization) {
    if (authorization == null || authorization.length() != 7 + KeyFile.KEY_LENGTH) {
      return null;
    }
    if (!regionMatchesIgnoreCase(authorization, "Bearer ")) {
      return null;
    }
    CharSequence key = authorization.subSequence(7, authorization.length());
    String id = KeyFile.idOf(key);
    if (id == null) {
      return null;
    }
    Known k = byId.get(id);
    if (k == null) {
      return null;
    }
    Scratch s = SCRATCH.get();
    KeyFile.secretOf(key, s.secret);
    s.md.update(k.salt);
    s.md.update(s.secret);
    try {
      s.md.digest(s.digest, 0, s.digest.length);
    } catch (DigestException e) {
      throw new AssertionError(e);
    }
    return MessageDigest.isEqual(s.digest, k.hash) ? k.key : null;
  }

  private static boolean regionMatchesIgnoreCase(CharSequence s, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (Character.toLowerCase(s.charAt(i)) != Character.toLowerCase(prefix.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Re-reads the keys file when its modification time or size changed since the last read.
   * Returns true when the keys were replaced. A file that fails to parse keeps the old keys, so
   * a bad edit never locks everyone out or lets anyone in; it is logged once per version of the
   * file and reported by {@link #failure()} until a good version is read. Only the first read
   * (at start-up) throws.
   */
  public synchronized boolean reloadIfChanged() throws IOException {
    long mtime;
    long size;
    Map<String, Known> next;
    try {
      try {
        BasicFileAttributes a = Files.readAttributes(file.path(), BasicFileAttributes.class);
        mtime = a.lastModifiedTime().toMillis();
        size = a.size();
      } catch (NoSuchFileException e) {
        mtime = -1;
        size = -1;
      }
      if ((mtime == seenMtime && size == seenSize) || (mtime == failedMtime && size == failedSize)) {
        return false;
      }
      // a damaged record is as bad as a damaged file: decoded here, inside the same guard, so
      // a reload keeps the previous keys instead of failing the request that triggered it
      next = decode(file.read());
    } catch (IOException | IllegalArgumentException e) {
      if (seenSize == -1 && seenMtime == Long.MIN_VALUE) {
        throw e instanceof IOException io ? io
            : new IOException(file.path() + ": " + e.getMessage(), e);
      }
      failedMtime = statOrZero(true);
      failedSize = statOrZero(false);
      failures.incrementAndGet();
      failure = new Failure(String.valueOf(e.getMessage()), Instant.now());
      LOG.log(System.Logger.Level.WARNING, "keys file unreadable, keeping previous keys: {0}",
          e.getMessage());
      return false;
    }
    byId = Map.copyOf(next);
    boolean first = seenMtime == Long.MIN_VALUE;
    seenMtime = mtime;
    seenSize = size;
    failedMtime = Long.MIN_VALUE;
    failedSize = -2;
    if (failure != null) {
      failure = null;
      LOG.log(System.Logger.Level.INFO, "keys file readable again");
    }
    if (!first) {
      LOG.log(System.Logger.Level.INFO, "keys reloaded: {0}", describeCounts());
    }
    return true;
  }

  private long statOrZero(boolean mtime) {
    try {
      BasicFileAttributes a = Files.readAttributes(file.path(), BasicFileAttributes.class);
      return mtime ? a.lastModifiedTime().toMillis() : a.size();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Why the keys file last failed to read, while the keys of an earlier version are in force
   * (null when the last read succeeded).
   */
  public Failure failure() {
    return failure;
  }

  /** Versions of the keys file that failed to read since start-up. */
  public long failureCount() {
    return failures.get();
  }

    /**
   * A failed read of the keys file.
   *
   * @param message what is wrong, naming the file
   * @param at when it was found
   */
  public record Failure(String message, Instant at) {}

  private Map<String, Known> decode(List<StoredKey> stored) throws IOException {
    Map<String, Known> old = byId;
    Map<String, Known> next = new HashMap<>();
    for (StoredKey sk : stored) {
      Known prev = old.get(sk.id());
      if (sk.rate() < 0) { // found by KeyFileFuzzTest: RateLimiter refused it, naming no file
        throw new IOException(file.path() + ": key " + sk.id()
            + ": rate must be 0 (no limit) or more, got " + sk.rate());
      }
      RateLimiter limiter;
      if (prev != null && prev.key.rate() == sk.rate()) {
        limiter = prev.key.limiter(); // keep the bucket's state across reloads
      } else {
        limiter = sk.rate() == 0 ? null : new RateLimiter(sk.rate(), sk.rate());
      }
      ApiKey key = new ApiKey(sk.id(), sk.name(), Role.parse(sk.role()), sk.lists(), sk.rate(),
          limiter, sk.distanceCeiling());
      next.put(sk.id(), new Known(key, unhex(sk.salt(), KeyFile.SALT_BYTES),
          unhex(sk.hash(), 32)));
    }
    return next;
  }

  private byte[] unhex(String hex, int bytes) throws IOException {
    if (hex.length() != 2 * bytes) {
      throw new IOException(file.path() + ": expected " + 2 * bytes + " hex digits, got "
          + hex.length());
    }
    byte[] out = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      int hi = Hex.digit(hex.charAt(2 * i));
      int lo = Hex.digit(hex.charAt(2 * i + 1));
      if ((hi | lo) < 0) {
        throw new IOException(file.path() + ": invalid hex digit");
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  /** Number of keys per role. */
  public Map<Role, Integer> countsByRole() {
    Map<Role, Integer> counts = new EnumMap<>(Role.class);
    for (Role r : Role.values()) {
      counts.put(r, 0);
    }
    for (Known k : byId.values()) {
      counts.merge(k.key.role(), 1, Integer::sum);
    }
    return counts;
  }

  /** E.g. {@code 3 keys (query 2, admin 1, replica 0)}. */
  public String describeCounts() {
    Map<Role, Integer> c = countsByRole();
    return byId.size() + " keys (query " + c.get(Role.QUERY) + ", admin " + c.get(Role.ADMIN)
        + ", replica " + c.get(Role.REPLICA) + ")";
  }

  public int size() {
    return byId.size();
  }

  private record Known(ApiKey key, byte[] salt, byte[] hash) {}

  private static final class Scratch {
    final byte[] secret = new byte[KeyFile.SECRET_BYTES];
    final byte[] digest = new byte[32];
    final MessageDigest md;

    Scratch() {
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
  }
}
