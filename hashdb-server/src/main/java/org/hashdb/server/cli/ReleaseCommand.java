package org.hashdb.server.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hashdb.core.release.Ed25519KeyPair;
import org.hashdb.core.release.KeyPairFiles;
import org.hashdb.core.lists.LineError;
import org.hashdb.core.release.ListRelease;
import org.hashdb.core.lists.ListReader;
import org.hashdb.core.release.ListReleaseFormat;
import org.hashdb.core.release.ListReleaseWriter;
import org.hashdb.core.release.ReleaseDecryptionException;
import org.hashdb.core.release.ReleaseEncryption;
import org.hashdb.core.release.ReleaseEnvelopeFormat;
import org.hashdb.core.release.ReleaseHeader;
import org.hashdb.core.release.ReleaseKind;
import org.hashdb.core.release.ReleaseVerificationException;
import org.hashdb.core.release.TrustedKeys;
import org.hashdb.core.release.X25519KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hashdb release}: signed, optionally encrypted list releases. The list supplier runs
 * {@code keygen} once and {@code sign} per release; operators {@code verify} a release or import
 * it with {@code hashdb import --release FILE --trust KEY.pub}. For transport over channels
 * neither party controls, the operator runs {@code keygen-encryption} once and gives out the
 * public half; the supplier signs, then {@code encrypt}s to it; the operator imports with
 * {@code --decrypt-key} (or {@code decrypt}s first), and the signature is verified as before.
 */
@Command(name = "release", mixinStandardHelpOptions = true,
    description = {"Signed list releases (Ed25519): generate a key, sign a CSV list, verify a release.",
        "Encrypted releases (X25519, AES-256-GCM): keygen-encryption, encrypt, decrypt.",
        "Import a release with: hashdb import --data DIR --release FILE --trust KEY.pub",
        "(an encrypted release also with --decrypt-key ENC.key)."},
    subcommands = {ReleaseCommand.Keygen.class, ReleaseCommand.Sign.class, ReleaseCommand.Verify.class,
        ReleaseCommand.KeygenEncryption.class, ReleaseCommand.Encrypt.class, ReleaseCommand.Decrypt.class})
final class ReleaseCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints a header the way {@code sign} and {@code verify} show it. */
  static void print(PrintWriter out, ReleaseHeader h) {
    out.println("list:     " + h.list());
    out.println("kind:     " + h.kind().apiName() + (h.version() == 1 ? " (format 1: adds only)" : ""));
    out.println("release:  " + h.release());
    out.println("created:  " + h.created());
    out.println("entries:  " + h.entryCount());
    if (h.removeCount() > 0) {
      out.println("removals: " + h.removeCount());
    }
    out.println("payload:  " + h.payloadLength() + " bytes, sha256 " + org.hashdb.core.hash.Hex.encode(h.payloadSha256()));
  }

  /** The message of a refused release, for every command that verifies one. */
  static String refused(ReleaseVerificationException e) {
    return "release refused (" + e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-') + "): "
        + e.getMessage();
  }

  /** The message of an encrypted release that does not decrypt, for every command that decrypts. */
  static String refused(ReleaseDecryptionException e) {
    return "encrypted release refused (" + e.reason().name().toLowerCase(Locale.ROOT).replace('_', '-') + "): "
        + e.getMessage();
  }

  /**
   * Decrypts and verifies an encrypted release in one pass (see {@link ListRelease#verify(InputStream,
   * long, TrustedKeys, Path)}); the decrypted payload goes only to the private spool file in
   * {@code spoolDir}. Does not close {@code raw}.
   */
  static ListRelease verifyEncrypted(InputStream raw, X25519KeyPair key, TrustedKeys keys, Path spoolDir)
      throws IOException, ReleaseVerificationException {
    InputStream plain = ReleaseEncryption.decrypting(new BufferedInputStream(raw, 1 << 16), key);
    return ListRelease.verify(plain, -1, keys, spoolDir); // read to the end: every chunk authenticated
  }

  /** The options of both keygen commands. */
  static final class KeyPairOptions {
    @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Writes PREFIX.key and PREFIX.pub.")
    String prefix;

    @Option(names = "--name", paramLabel = "NAME", description = "Label stored in the .pub file (default: the prefix's file name).")
    String name;
  }

  /**
   * Writes {@code pair} as PREFIX.key and PREFIX.pub and prints both paths and the key id; refuses
   * (exit 2) to overwrite either file.
   */
  private static int writeKeyPair(CommandSpec spec, String command, KeyPairOptions files,
      KeyPairFiles pair) throws IOException {
    String prefix = files.prefix;
    Path key = Path.of(prefix + ".key");
    Path pub = Path.of(prefix + ".pub");
    for (Path p : new Path[] {key, pub}) {
      if (Files.exists(p)) {
        spec.commandLine().getErr().println("hashdb release " + command + ": " + p + " exists; not overwriting a key");
        return CliErrors.ERROR;
      }
    }
    pair.writePrivateKey(key);
    pair.writePublicKey(pub, files.name != null ? files.name : Path.of(prefix).getFileName().toString());
    PrintWriter out = spec.commandLine().getOut();
    out.println("private key: " + key + " (mode 600; keep it secret)");
    out.println("public key:  " + pub);
    out.println("key id:      " + pair.keyId());
    return 0;
  }

  /** A keygen command: writes the pair {@link #generate} makes, as PREFIX.key and PREFIX.pub. */
  abstract static class KeygenCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin KeyPairOptions files;

    abstract KeyPairFiles generate();

    @Override
    public Integer call() throws IOException {
      return writeKeyPair(spec, spec.name(), files, generate());
    }
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = {"Generate a signing key pair: PREFIX.key (private, mode 600; keep it offline)",
          "and PREFIX.pub (give it to operators, who add it to their trust file with the lists",
          "it may sign: append ' lists=NAME[,NAME...]' to its line)."})
  static final class Keygen extends KeygenCommand {
    @Override
    KeyPairFiles generate() {
      return Ed25519KeyPair.generate();
    }
  }

  @Command(name = "sign", mixinStandardHelpOptions = true,
      description = {"Sign a CSV list (type,hash[,category[,source[,quality]]]) as a release file.",
          "--full: the CSV is the list's whole content; importing it removes every entry of the",
          "list it does not hold. --delta (the default): the CSV's rows are added and the rows of",
          "--remove FILE (same CSV form; only type and hash count) are removed. The kind and the",
          "list name are signed. A list with any bad line is not signed.",
          "Exit 0 when written, 2 on errors."})
  static final class Sign implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** Which kind of release; neither flag means a delta. */
    static final class Kind {
      @Option(names = "--full", required = true, description = "A full release: the list's whole content.")
      boolean full;

      @Option(names = "--delta", required = true, description = "A delta: adds the CSV's rows, removes --remove's (default).")
      boolean delta;
    }

    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "0..1")
    Kind kind;

    @Option(names = "--remove", paramLabel = "CSV_FILE", description = {"With --delta: the values to remove",
        "from the list (type,hash[,...] rows)."})
    Path remove;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "Private key (from keygen).")
    Path key;

    @Option(names = "--list", required = true, paramLabel = "NAME", description = "List the release is of.")
    String list;

    @Option(names = "--release", paramLabel = "N", description = "Release number (default: the current time in epoch seconds).")
    Long release;

    @Option(names = "--category", paramLabel = "C", description = "Category for rows that give none.")
    String category = "";

    @Option(names = "--source", paramLabel = "S", description = "Source for rows that give none.")
    String source = "";

    @Option(names = "--force-low-quality", description = "Accept pdq rows with quality below 50.")
    boolean forceLowQuality;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Release file to write (.hdbrel).")
    Path outFile;

    @Parameters(index = "0", paramLabel = "CSV_FILE|-", description = "CSV list, or - for standard input.")
    String file;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      ReleaseKind releaseKind = kind != null && kind.full ? ReleaseKind.FULL : ReleaseKind.DELTA;
      if (releaseKind == ReleaseKind.FULL && remove != null) {
        err.println("hashdb release sign: --remove is for a --delta; a --full release lists the whole content");
        return CliErrors.ERROR;
      }
      if (remove != null && !Files.isRegularFile(remove)) {
        err.println("hashdb release sign: no such file: " + remove);
        return CliErrors.ERROR;
      }
      Ed25519KeyPair pair = Ed25519KeyPair.readPrivateKey(key);
      Instant now = Instant.now();
      long number = release != null ? release : now.getEpochSecond();
      long[] bad = {0};
      ReleaseHeader h;
      java.util.function.Consumer<LineError> errors = e -> {
        if (bad[0]++ < ImportCommand.MAX_ERRORS_SHOWN) {
          err.println(e);
        }
      };
      try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
          ListReader rows = ListReader.builder(in, list).category(category).source(source)
              .allowLowQuality(forceLowQuality).build();
          InputStream rin = remove == null ? null : Files.newInputStream(remove);
          ListReader removals = rin == null ? null : ListReader.builder(rin, list).build()) {
        h = ListReleaseWriter.write(releaseKind, rows, removals, list, number, now, pair, outFile, errors);
      } catch (IllegalArgumentException e) {
        err.println("hashdb release sign: " + e.getMessage());
        return CliErrors.ERROR;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("wrote " + outFile);
      print(out, h);
      out.println("key id:   " + pair.keyId());
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Verify a release against trusted public keys and print its header.",
          "An encrypted release needs --decrypt-key.",
          "Exit 0 when it verifies, 2 when it is refused or on errors."})
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--trust", required = true, split = ",", paramLabel = "TRUSTFILE",
        description = {"Trust file: keys (from keygen) with the lists each may sign, e.g.",
            "'ed25519:<key> supplier lists=eokm-nl'; repeat, or comma-separate, for several."})
    List<Path> trust;

    @Option(names = "--decrypt-key", paramLabel = "KEYFILE",
        description = "Private key (from keygen-encryption) to decrypt an encrypted release with first.")
    Path decryptKey;

    @Parameters(index = "0", paramLabel = "FILE", description = "Release file, plain or encrypted.")
    Path file;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      TrustedKeys keys = TrustedKeys.load(trust);
      boolean encrypted = ReleaseEnvelopeFormat.isEncrypted(file);
      if (encrypted && decryptKey == null) {
        err.println("hashdb release verify: " + file + " is an encrypted release; pass --decrypt-key KEYFILE");
        return CliErrors.ERROR;
      }
      X25519KeyPair recipient = decryptKey == null ? null : X25519KeyPair.readPrivateKey(decryptKey);
      // Verification only: nothing is imported, so a plain file need not be copied first; a
      // decrypted payload is spooled to a private temp file that close() deletes.
      try (InputStream raw = Files.newInputStream(file);
          ListRelease r = encrypted
              ? verifyEncrypted(raw, recipient, keys, Path.of(System.getProperty("java.io.tmpdir")))
              : ListRelease.verifySpooled(file, keys)) {
        PrintWriter out = spec.commandLine().getOut();
        print(out, r.header());
        if (encrypted) {
          out.println("encrypted for: " + recipient.keyId());
        }
        out.println("signed by: " + r.signer());
        out.println("OK");
        return 0;
      } catch (ReleaseVerificationException e) {
        err.println("hashdb release verify: " + refused(e));
        return CliErrors.ERROR;
      } catch (ReleaseDecryptionException e) {
        err.println("hashdb release verify: " + refused(e));
        return CliErrors.ERROR;
      }
    }
  }

  @Command(name = "keygen-encryption", mixinStandardHelpOptions = true,
      description = {"Generate an encryption key pair (X25519) to receive releases with.",
          "PREFIX.key: private, mode 600; it decrypts every release sent to it.",
          "PREFIX.pub: give it to suppliers, who pass it to release encrypt --to."})
  static final class KeygenEncryption extends KeygenCommand {
    @Override
    KeyPairFiles generate() {
      return X25519KeyPair.generate();
    }
  }

  @Command(name = "encrypt", mixinStandardHelpOptions = true,
      description = {"Encrypt a signed release to the list operator's public key.",
          "Sign first, then encrypt; the operator decrypts, then verifies the signature.",
          "Exit 0 when written, 2 on errors."})
  static final class Encrypt implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "PUBFILE", description = "Recipient public key (x25519:...).")
    Path to;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Encrypted file to write (.hdbrel.enc).")
    Path outFile;

    @Option(names = "--chunk-size", paramLabel = "BYTES",
        description = "Plaintext bytes per authenticated chunk, 4096..1048576 (default: 65536).")
    int chunkSize = ReleaseEnvelopeFormat.DEFAULT_CHUNK_SIZE;

    @Parameters(index = "0", paramLabel = "RELEASE", description = "Signed release file (from sign).")
    Path file;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      if (chunkSize < ReleaseEnvelopeFormat.MIN_CHUNK_SIZE || chunkSize > ReleaseEnvelopeFormat.MAX_CHUNK_SIZE) {
        err.println("hashdb release encrypt: --chunk-size must be in " + ReleaseEnvelopeFormat.MIN_CHUNK_SIZE + ".."
            + ReleaseEnvelopeFormat.MAX_CHUNK_SIZE + ", got " + chunkSize);
        return CliErrors.ERROR;
      }
      if (!Files.isRegularFile(file)) {
        err.println("hashdb release encrypt: no such file: " + file);
        return CliErrors.ERROR;
      }
      if (ReleaseEnvelopeFormat.isEncrypted(file)) {
        err.println("hashdb release encrypt: " + file + " is already encrypted");
        return CliErrors.ERROR;
      }
      if (!ListReleaseFormat.isRelease(file)) {
        err.println("hashdb release encrypt: " + file + " is not a signed release; sign it first (hashdb release sign)");
        return CliErrors.ERROR;
      }
      byte[] recipient = X25519KeyPair.readPublicKey(to);
      long n = ReleaseEncryption.encrypt(file, outFile, recipient, chunkSize);
      PrintWriter out = spec.commandLine().getOut();
      out.println("wrote " + outFile);
      out.println("encrypted " + n + " bytes for key id " + X25519KeyPair.keyId(recipient));
      return 0;
    }
  }

  @Command(name = "decrypt", mixinStandardHelpOptions = true,
      description = {"Decrypt an encrypted release with the operator's private key.",
          "The output appears only if the whole file decrypts; verify it afterwards",
          "(release verify, or import --release, with --trust).",
          "Exit 0 when written, 2 on errors."})
  static final class Decrypt implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "KEYFILE", description = "Private key (x25519-private:...).")
    Path key;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Decrypted release to write (.hdbrel).")
    Path outFile;

    @Parameters(index = "0", paramLabel = "FILE", description = "Encrypted release (.hdbrel.enc).")
    Path file;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      if (!Files.isRegularFile(file)) {
        err.println("hashdb release decrypt: no such file: " + file);
        return CliErrors.ERROR;
      }
      X25519KeyPair pair = X25519KeyPair.readPrivateKey(key);
      long n;
      try {
        n = ReleaseEncryption.decrypt(file, outFile, pair);
      } catch (ReleaseDecryptionException e) {
        err.println("hashdb release decrypt: " + refused(e) + "; nothing written");
        return CliErrors.ERROR;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("wrote " + outFile + " (" + n + " bytes)");
      out.println("verify it with: hashdb release verify --trust SUPPLIER.pub " + outFile);
      return 0;
    }
  }
}
