package org.hashdb.core.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys a data directory is opened with: the <em>current</em> one, under which every
 * new snapshot, log segment and secret file is written, and older ones that only read files
 * written before a rotation. {@link #none()} means plaintext: new files are written unencrypted
 * and an encrypted file is refused.
 *
 * <p>A key file holds one key per line, {@code hashdb-master-key-v1 <id> <base64 of 32 bytes>};
 * {@code #} starts a comment. The first key is the current one, the others are older keys (so a
 * rotation can also be done by putting the new key on top of the old file). It must not be
 * readable by group or others, as ssh requires of private keys. A {@code pkcs11:} URI names an
 * AES key inside a token instead ({@link Pkcs11MasterKeys}).
 */
public final class MasterKeys {
  /** First word of each key line. */
  static final String LINE_TAG = "hashdb-master-key-v1";

  private static final MasterKeys NONE = new MasterKeys(null, Map.of());
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MasterKey current;
  private final Map<String, MasterKey> byId;

  private MasterKeys(MasterKey current, Map<String, MasterKey> byId) {
    this.current = current;
    this.byId = byId;
  }

  /** No key: plaintext files. */
  public static MasterKeys none() {
    return NONE;
  }

  /** The key(s) in {@code spec}, a key file path or a {@code pkcs11:} URI. */
  public static MasterKeys load(String spec) throws IOException {
    return load(spec, List.of());
  }

  /**
   * {@code spec} (file or URI) gives the current key; {@code oldSpecs} give keys that are only
   * used to read files written before a rotation.
   */
  public static MasterKeys load(String spec, List<String> oldSpecs) throws IOException {
    List<MasterKey> keys = new ArrayList<>(loadOne(spec));
    for (String old : oldSpecs) {
      keys.addAll(loadOne(old));
    }
    return of(keys);
  }

  /** Keys in order; the first is the current one. */
  static MasterKeys of(List<MasterKey> keys) {
    if (keys.isEmpty()) {
      return NONE;
    }
    Map<String, MasterKey> byId = new LinkedHashMap<>();
    for (MasterKey k : keys) {
      byId.putIfAbsent(k.id(), k);
    }
    return new MasterKeys(keys.get(0), Map.copyOf(byId));
  }

  private static List<MasterKey> loadOne(String spec) throws IOException {
    if (spec == null || spec.isBlank()) {
      throw new MasterKeyException("empty master key: give a key file or a pkcs11: URI");
    }
    if (spec.startsWith("pkcs11:")) {
      return List.of(Pkcs11MasterKeys.load(spec));
    }
    return readKeyFile(Path.of(spec));
  }

  /** Whether new files are encrypted. */
  public boolean encrypting() {
    return current != null;
  }

  /** The key new files are written under; null when not encrypting. */
  public MasterKey current() {
    return current;
  }

  /** The key with this id, or null if it was not given. */
  public MasterKey byId(String id) {
    return byId.get(id);
  }

  /** Ids of every key given, current first. */
  public List<String> ids() {
    List<String> out = new ArrayList<>();
    if (current != null) {
      out.add(current.id());
      byId.keySet().stream().filter(id -> !id.equals(current.id())).sorted().forEach(out::add);
    }
    return out;
  }

  /**
   * Creates a key file holding one new random key, mode 600. Refuses to overwrite anything.
   *
   * @return the new key's id
   */
  public static String generate(Path out) throws IOException {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    String id = fileKeyId(key);
    String text = "# HashDB master key: keep it secret, keep a copy apart from the data and its backups\n"
        + LINE_TAG + " " + id + " " + Base64.getEncoder().encodeToString(key) + "\n";
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new NoSuchFileException(parent.toString(), null, "directory does not exist");
    }
    try (var os = PrivateFiles.newOutputStream(out, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      os.write(text.getBytes(StandardCharsets.US_ASCII));
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(out.toString(), null,
          "exists; refusing to overwrite a key file (a lost key makes its data unreadable)");
    }
    return id;
  }

  /** Id of a key held in a file: derived from the key, so a file cannot claim another key's id. */
  static String fileKeyId(byte[] key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update("hashdb master key id\n".getBytes(StandardCharsets.US_ASCII));
      return "k-" + HexFormat.of().formatHex(md.digest(key), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<MasterKey> readKeyFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new MasterKeyException("master key file " + file + " does not exist or is not a file"
          + " (create one with: hashdb master-key generate --out " + file + ")");
    }
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view != null) {
      Set<PosixFilePermission> perms = view.readAttributes().permissions();
      for (PosixFilePermission p : perms) {
        if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
          throw new MasterKeyException("master key file " + file + " is accessible by group or"
              + " others (" + java.nio.file.attribute.PosixFilePermissions.toString(perms)
              + "); refusing to use it: run chmod 600 " + file);
        }
      }
    }
    List<MasterKey> keys = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\s+");
      byte[] key = null;
      if (parts.length == 3 && parts[0].equals(LINE_TAG)) {
        try {
          key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
          key = null;
        }
      }
      if (key == null || key.length != 32 || !fileKeyId(key).equals(parts[1])) {
        throw new MasterKeyException("master key file " + file + " line " + (i + 1)
            + ": not a master key line (expected '" + LINE_TAG
            + " <id> <base64 of 32 bytes>' with the id of that key)");
      }
      keys.add(new MasterKey(parts[1], new SecretKeySpec(key, "AES"), null, file.toString()));
    }
    if (keys.isEmpty()) {
      throw new MasterKeyException("master key file " + file + " holds no key");
    }
    return keys;
  }

  @Override
  public String toString() {
    return current == null ? "no master key" : "master keys " + ids();
  }
}
