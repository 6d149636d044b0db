package org.hashdb.server.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.disk.PrivateFiles;
import org.hashdb.core.db.EntryValidator;

/**
 * The keys file of a data directory ({@code keys.json}): create, list and revoke keys, and the
 * key format. Edits take an exclusive lock on {@code keys.json.lock} and replace the file
 * atomically (temp file with mode 600, fsync, rename), so a running server never reads a
 * half-written file and two {@code keys} commands do not lose each other's changes. Never opens
 * the database: a server may hold its lock.
 */
public final class KeyFile {
  /** File name inside the data directory. */
  public static final String FILE_NAME = "keys.json";
  /** Prefix of every key. */
  public static final String PREFIX = "hdb_";

  static final int ID_BYTES = 8;
  static final int SECRET_BYTES = 32;
  static final int SALT_BYTES = 16;
  /** Total length of a key: prefix, id hex, '_', secret hex. */
  public static final int KEY_LENGTH = PREFIX.length() + 2 * ID_BYTES + 1 + 2 * SECRET_BYTES;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final Path file;

  public KeyFile(Path dataDir) {
    this.dir = dataDir;
    this.file = dataDir.resolve(FILE_NAME);
  }

  public Path path() {
    return file;
  }

  /** The stored keys; empty when there is no file yet. */
  public List<StoredKey> read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode keys = root == null ? null : root.get("keys");
    if (keys == null || !keys.isArray()) {
      throw new IOException(file + ": expected an object with a \"keys\" array");
    }
    List<StoredKey> out = new ArrayList<>();
    for (JsonNode k : keys) {
      StoredKey sk;
      try {
        sk = JSON.treeToValue(k, StoredKey.class);
      } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
        throw new IOException(file + ": bad key record: " + e.getMessage(), e);
      }
      if (sk.id() == null || sk.name() == null || sk.role() == null || sk.salt() == null
          || sk.hash() == null) {
        throw new IOException(file + ": key record without id, name, role, salt or hash");
      }
      try {
        Role.parse(sk.role());
      } catch (IllegalArgumentException e) {
        // a damaged file is an I/O problem naming the file, like every other damage here
        throw new IOException(file + ": " + e.getMessage(), e);
      }
      if (sk.maxDistance() != null
          && (sk.maxDistance() < 0 || sk.maxDistance() > Role.LIMIT_MAX_DISTANCE)) {
        throw new IOException(file + ": key '" + sk.name() + "': maxDistance must be in 0.."
            + Role.LIMIT_MAX_DISTANCE + ", got " + sk.maxDistance());
      }
      out.add(sk);
    }
    return out;
  }

  /**
   * Creates a key and returns its full text, the only time the secret is ever shown.
   *
   * @param lists visible lists, null for all
   * @param rate requests per second, 0 for unlimited
   */
  public String create(String name, Role role, List<String> lists, int rate) throws IOException {
    return create(name, role, lists, rate, null);
  }

  /**
   * Creates a key with a PDQ distance ceiling and returns its full text.
   *
   * @param lists visible lists, null for all; only for query keys (an admin or replica key's
   *     routes act on every list: {@link IllegalArgumentException})
   * @param rate requests per second, 0 for unlimited
   * @param maxDistance largest PDQ {@code maxDistance} the key may ask for (0..64), null for the
   *     role's default ({@link Role#defaultMaxDistance()}); stored either way
   */
  public String create(String name, Role role, List<String> lists, int rate, Integer maxDistance)
      throws IOException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "key name must be 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit");
    }
    if (rate < 0) {
      throw new IllegalArgumentException("rate must be >= 0, got " + rate);
    }
    int ceiling = maxDistance != null ? maxDistance : role.defaultMaxDistance();
    if (ceiling < 0 || ceiling > Role.LIMIT_MAX_DISTANCE) {
      throw new IllegalArgumentException(
          "max distance must be in 0.." + Role.LIMIT_MAX_DISTANCE + ", got " + ceiling);
    }
    if (lists != null) {
      if (role != Role.QUERY) {
        throw new IllegalArgumentException("--lists is for query keys: an " + role.apiName()
            + " key's routes (writes, stats, change feed, snapshot) act on every list, so it"
            + " cannot be limited to some");
      }
      if (lists.isEmpty()) {
        throw new IllegalArgumentException("--lists needs at least one list name");
      }
      for (String l : lists) {
        EntryValidator.checkListName(l);
      }
    }
    byte[] id = new byte[ID_BYTES];
    byte[] secret = new byte[SECRET_BYTES];
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    RANDOM.nextBytes(salt);
    StoredKey sk = new StoredKey(Hex.encode(id), name, role.apiName(),
        lists == null ? null : List.copyOf(lists), rate, ceiling, Hex.encode(salt),
        Hex.encode(digest(salt, secret)), Instant.now().toString());
    edit(keys -> {
      for (StoredKey k : keys) {
        if (k.name().equals(name)) {
          throw new IllegalArgumentException("a key named '" + name + "' already exists");
        }
      }
      keys.add(sk);
      return true;
    });
    return PREFIX + sk.id() + "_" + Hex.encode(secret);
  }

  /** Removes the key named {@code name}; false when there is none. */
  public boolean revoke(String name) throws IOException {
    return edit(keys -> keys.removeIf(k -> k.name().equals(name)));
  }

  private interface Edit {
    boolean apply(List<StoredKey> keys) throws IOException;
  }

  private boolean edit(Edit edit) throws IOException {
    PrivateFiles.createDirectories(dir);
    try (FileChannel lockChannel = PrivateFiles.open(dir.resolve(FILE_NAME + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.lock()) {
      List<StoredKey> keys = new ArrayList<>(read());
      if (!edit.apply(keys)) {
        return false;
      }
      write(keys);
      return true;
    }
  }

  private void write(List<StoredKey> keys) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    ArrayNode arr = root.putArray("keys");
    for (StoredKey k : keys) {
      arr.add(JSON.valueToTree(k));
    }
    byte[] bytes = JSON.writeValueAsBytes(root);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    try (FileChannel ch = PrivateFiles.open(tmp, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true); // make the rename durable
    } catch (IOException | UnsupportedOperationException ignored) {
      // some platforms cannot open a directory; the rename is still atomic
    }
  }

  // ---------------------------------------------------------------- key format

  /** The id of a presented key, or null when it is not a well-formed key. No allocation beyond the id. */
  public static String idOf(CharSequence key) {
    if (!wellFormed(key)) {
      return null;
    }
    return key.subSequence(PREFIX.length(), PREFIX.length() + 2 * ID_BYTES).toString();
  }

  static boolean wellFormed(CharSequence key) {
    if (key == null || key.length() != KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < PREFIX.length(); i++) {
      if (key.charAt(i) != PREFIX.charAt(i)) {
        return false;
      }
    }
    int sep = PREFIX.length() + 2 * ID_BYTES;
    if (key.charAt(sep) != '_') {
      return false;
    }
    for (int i = PREFIX.length(); i < KEY_LENGTH; i++) {
      if (i != sep && Hex.digit(key.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Decodes the secret of a well-formed key into {@code out} (32 bytes). */
  static void secretOf(CharSequence key, byte[] out) {
    int from = PREFIX.length() + 2 * ID_BYTES + 1;
    for (int i = 0; i < SECRET_BYTES; i++) {
      out[i] = (byte) ((Hex.digit(key.charAt(from + 2 * i)) << 4)
          | Hex.digit(key.charAt(from + 2 * i + 1)));
    }
  }

  static byte[] digest(byte[] salt, byte[] secret) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt);
      md.update(secret);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required by the JDK", e);
    }
  }

  /** One tab-separated line for {@code keys list}: never the secret or its hash. */
  public static String describe(StoredKey k) {
    return k.name() + "\t" + k.role() + "\t"
        + (k.lists() == null ? "*" : String.join(",", k.lists())) + "\t"
        + (k.rate() == 0 ? "unlimited" : k.rate() + "/s") + "\t" + k.distanceCeiling() + "\t"
        + k.created() + "\t" + k.id();
  }
}
