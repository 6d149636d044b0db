package org.hashdb.server.cli;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.lists.LineError;
import org.hashdb.core.lists.ListFormat;
import org.hashdb.core.lists.ListReader;
import org.hashdb.core.release.ListRelease;
import org.hashdb.core.release.ReleaseDecryptionException;
import org.hashdb.core.release.ReleaseEnvelopeFormat;
import org.hashdb.core.release.ReleaseVerificationException;
import org.hashdb.core.release.TrustedKeys;
import org.hashdb.core.release.X25519KeyPair;
import org.hashdb.core.disk.PrivateFiles;
import org.hashdb.core.db.AddResult;
import org.hashdb.core.db.CapacityExceededException;
import org.hashdb.core.db.ListUpdateResult;
import org.hashdb.core.db.ReleaseRollbackException;
import org.hashdb.core.release.ReleaseHeader;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.audit.AuditLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hashdb import}: streams a list file into a data directory. A file with a bad line is
 * rejected whole (first pass validates, second pass adds) unless {@code --skip-invalid}. Each
 * batch is durable on its own; re-running an interrupted import is safe (present entries count as
 * already present).
 *
 * <p>With {@code --release}, a signed list release is imported instead: it is verified against
 * {@code --trust} keys (each scoped to the lists it may sign) in a first pass that copies it to a
 * private spool file in the data directory, and only then applied from that copy as one atomic
 * change (see {@link ListRelease#importInto}): a full release replaces the list's content, a
 * delta adds and removes. A tampered, truncated, untrusted or older release changes nothing. An encrypted release
 * ({@link ReleaseEnvelopeFormat}, told apart by its magic) needs {@code --decrypt-key}: it is
 * decrypted in the same first pass, every chunk authenticated before the signature is checked, and
 * only the decrypted payload is spooled.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import a hash list (CSV or one hex hash per line) into a data directory.",
        "CSV rows: type,hash[,category[,source[,quality]]] (header optional; quality for pdq).",
        "A vpdq row names a vPDQ file instead of a hash (relative to the CSV's directory):",
        "  vpdq,clips/a.txt,category,source",
        "--format vpdq FILE.txt...: one video per vPDQ file (frame_number,quality,pdq_hex,timestamp",
        "lines, as written by hash --vpdq or Meta's vpdq tools); frames of quality < 50 are dropped",
        "and repeated frame hashes kept once.",
        "Or a signed release: --release FILE --trust TRUSTFILE (list from the release; each key's",
        "line names the lists it may sign: ed25519:... name lists=eokm-nl). A full release replaces",
        "the list, a delta adds and removes, each as one change; a release not newer than the last",
        "one of its list and signer is refused unless --allow-rollback.",
        "If encrypted, also --decrypt-key ENC.key (from release keygen-encryption).",
        "Exit 0 when imported, 2 on errors (bad lines: nothing is imported unless --skip-invalid;",
        "a release that does not verify: nothing is imported)."})
final class ImportCommand implements Callable<Integer> {
  /** Entries per database write (one log record each). */
  static final int BATCH = 50_000;
  /** Bad lines printed in full; past this only the count. */
  static final int MAX_ERRORS_SHOWN = 1000;

  @Spec CommandSpec spec;
  @Mixin DataDirOption data;

  @Option(names = "--list", paramLabel = "NAME", description = {"List the entries go on (required for list files;",
      "with --release, only checked against the release's list)."})
  String list;

  @Option(names = "--category", paramLabel = "C", description = "Category for rows that give none.")
  String category = "";

  @Option(names = "--source", paramLabel = "S", description = "Source for rows that give none.")
  String source = "";

  @Option(names = "--format", paramLabel = "csv|hex|vpdq", description = "Input format (default: csv).")
  String format = "csv";

  @Option(names = "--type", paramLabel = "TYPE", description = "Hash type of hex input: md5, sha1, sha256, pdq.")
  String type;

  @Option(names = "--skip-invalid", description = "Import the valid lines and report the bad ones.")
  boolean skipInvalid;

  @Option(names = "--force-low-quality", description = "Accept pdq rows with quality below 50.")
  boolean forceLowQuality;

  @Option(names = "--release", paramLabel = "FILE|-", description = "A signed list release (.hdbrel), or - for standard input.")
  String release;

  @Option(names = "--trust", split = ",", paramLabel = "TRUSTFILE",
      description = {"Trust file: the keys a --release may be signed by, one a line, each with the lists",
          "it may sign ('ed25519:<key> [name] lists=eokm-nl'; lists=* for all). Repeat, or",
          "comma-separate, for several."})
  List<Path> trust;

  @Option(names = "--decrypt-key", paramLabel = "KEYFILE", description = "Private key (from release"
      + " keygen-encryption) for an encrypted --release; a plain release is accepted too.")
  Path decryptKey;

  @Option(names = "--allow-rollback", description = {"Import a --release whose number is not above the last one",
      "imported for its list from the same signer (recorded in the admin audit log)."})
  boolean allowRollback;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE|-", description = "List file, or - for standard input.")
  String file;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "FILE",
      description = "With --format vpdq: more vPDQ files, one video each.")
  List<String> moreFiles = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (release != null) {
      return importRelease(out, err);
    }
    if (list == null || file == null) {
      err.println("hashdb import: " + (list == null ? "--list NAME" : "a list FILE (or -)")
          + " is required (or --release FILE --trust KEY.pub)");
      return CliErrors.ERROR;
    }
    if (trust != null || decryptKey != null || allowRollback) {
      err.println("hashdb import: " + (trust != null ? "--trust" : decryptKey != null ? "--decrypt-key"
          : "--allow-rollback") + " is only for --release");
      return CliErrors.ERROR;
    }
    if (format.equalsIgnoreCase("vpdq")) {
      return VpdqImport.run(data.dir, data.databaseOptions(), list, category, source, file, moreFiles, type, out, err);
    }
    if (!moreFiles.isEmpty()) {
      err.println("hashdb import: one list FILE at a time (several files only with --format vpdq)");
      return CliErrors.ERROR;
    }
    ListFormat fmt = ListFormat.parse(format);
    HashType hexType = type == null ? null : HashType.parse(type);
    Path input;
    Path spooled = null;
    if (file.equals("-")) {
      // Standard input can be read once only; the validation pass needs it twice.
      PrivateFiles.createDirectories(data.dir);
      spooled = PrivateFiles.createTempFile(data.dir, "import-", ".tmp");
      // not Files.copy(..., REPLACE_EXISTING): it recreates the file with the umask's mode
      try (java.io.OutputStream o = Files.newOutputStream(spooled,
          java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
        System.in.transferTo(o);
      }
      input = spooled;
    } else {
      input = Path.of(file);
      if (!Files.isRegularFile(input)) {
        err.println("hashdb import: no such file: " + file);
        return CliErrors.ERROR;
      }
    }
    try {
      if (!skipInvalid) {
        long bad = validate(input, fmt, hexType, err);
        if (bad > 0) {
          err.printf("hashdb import: %d bad line%s; nothing imported (--skip-invalid imports the valid lines)%n",
              bad, bad == 1 ? "" : "s");
          return CliErrors.ERROR;
        }
      }
      return importAll(input, fmt, hexType, out, err);
    } finally {
      if (spooled != null) {
        Files.deleteIfExists(spooled);
      }
    }
  }

  private ListReader reader(InputStream in, ListFormat fmt, HashType hexType) {
    // vpdq rows name vPDQ files next to the list file (not for standard input: no directory).
    Path base = file.equals("-") ? null : Path.of(file).toAbsolutePath().getParent();
    return ListReader.builder(in, list).format(fmt).type(hexType).category(category)
        .source(source).allowLowQuality(forceLowQuality).videoFiles(base).build();
  }

  private long validate(Path input, ListFormat fmt, HashType hexType, PrintWriter err) throws IOException {
    long[] bad = {0};
    List<NewEntry> sink = new ArrayList<>(BATCH);
    try (InputStream in = Files.newInputStream(input); ListReader r = reader(in, fmt, hexType)) {
      boolean more;
      do {
        sink.clear();
        more = r.next(sink, BATCH, e -> report(e, bad, err));
      } while (more);
    }
    return bad[0];
  }

  private int importAll(Path input, ListFormat fmt, HashType hexType, PrintWriter out, PrintWriter err)
      throws IOException {
    long added = 0;
    long present = 0;
    long[] rejected = {0};
    long sequence;
    try (HashDatabase db = HashDatabase.open(data.dir, data.databaseOptions());
        InputStream in = Files.newInputStream(input);
        ListReader r = reader(in, fmt, hexType)) {
      List<NewEntry> batch = new ArrayList<>(BATCH);
      boolean more;
      do {
        batch.clear();
        more = r.next(batch, BATCH, e -> report(e, rejected, err));
        if (!batch.isEmpty()) {
          AddResult res = db.add(batch);
          added += res.added();
          present += res.alreadyPresent();
        }
      } while (more);
      sequence = db.sequence();
    }
    auditImport(list, added, present, rejected[0], sequence, -1);
    out.printf("added %d, already present %d, rejected %d (list %s, sequence %d)%n",
        added, present, rejected[0], list, sequence);
    return 0;
  }

  /** Records the import in the data directory's admin audit stream (fsynced). */
  private void auditImport(String listName, long added, long present, long rejected,
      long sequence, long releaseNumber) throws IOException {
    AuditLog.recordOffline(data.dir, "import", "cli",
        AuditLog.importFields(listName, releaseNumber, added, present, rejected, sequence));
  }

  private int importRelease(PrintWriter out, PrintWriter err) throws IOException {
    if (file != null || skipInvalid || type != null || !format.equals("csv") || !category.isEmpty()
        || !source.isEmpty() || forceLowQuality) {
      err.println("hashdb import: --release takes no list FILE, --format, --type, --category, --source,"
          + " --skip-invalid or --force-low-quality (the signed release fixes its rows)");
      return CliErrors.ERROR;
    }
    if (trust == null || trust.isEmpty()) {
      err.println("hashdb import: --release needs --trust PUBFILE (the supplier's public key)");
      return CliErrors.ERROR;
    }
    TrustedKeys keys = TrustedKeys.load(trust);
    X25519KeyPair recipient = decryptKey == null ? null : X25519KeyPair.readPrivateKey(decryptKey);
    boolean stdin = release.equals("-");
    if (!stdin && !Files.isRegularFile(Path.of(release))) {
      err.println("hashdb import: no such file: " + release);
      return CliErrors.ERROR;
    }
    PrivateFiles.createDirectories(data.dir);
    // Standard input is not closed (as before); a file is.
    InputStream source = stdin ? nonClosing(System.in) : Files.newInputStream(Path.of(release));
    try (InputStream raw = new BufferedInputStream(source, 1 << 16);
        ListRelease rel = verify(raw, stdin, keys, recipient, err)) {
      if (rel == null) {
        return CliErrors.ERROR;
      }
      ReleaseHeader h = rel.header();
      if (list != null && !list.equals(h.list())) {
        err.printf("hashdb import: release is of list '%s', not '%s'; nothing imported%n", h.list(), list);
        return CliErrors.ERROR;
      }
      err.printf("verified %s release %d of list %s (%d entries, %d removals), signed by %s%n",
          h.kind().apiName(), h.release(), h.list(), h.entryCount(), h.removeCount(), rel.signer());
      ListUpdateResult r;
      long previous;
      try (HashDatabase db = HashDatabase.open(data.dir, data.databaseOptions())) {
        previous = db.lastRelease(h.list(), rel.signer().id());
        r = rel.importInto(db, allowRollback);
      }
      AuditLog.recordOffline(data.dir, "import", "cli",
          AuditLog.releaseFields(h, rel.signer().id(), allowRollback, previous, r));
      out.printf("added %d, already present %d, removed %d (list %s, %s release %d, sequence %d)%n",
          r.added(), r.alreadyPresent(), r.removed(), h.list(), h.kind().apiName(), h.release(), r.sequence());
      return 0;
    } catch (ReleaseRollbackException e) {
      err.println("hashdb import: " + e.getMessage() + " (pass --allow-rollback to import it anyway)");
      return CliErrors.ERROR;
    } catch (ReleaseVerificationException | ReleaseDecryptionException e) {
      // A release is applied as one change after its last row was read: nothing was imported.
      err.println("hashdb import: " + (e instanceof ReleaseVerificationException v ? ReleaseCommand.refused(v)
          : ReleaseCommand.refused((ReleaseDecryptionException) e)) + "; nothing imported");
      return CliErrors.ERROR;
    } catch (IllegalArgumentException | CapacityExceededException e) {
      err.println("hashdb import: " + e.getMessage());
      return CliErrors.ERROR;
    }
  }

  /**
   * Verifies the release on {@code raw} (buffered, so its magic can be peeked), decrypting it
   * first if it is encrypted; null after printing why when it is encrypted and no key was given.
   */
  private ListRelease verify(InputStream raw, boolean stdin, TrustedKeys keys, X25519KeyPair recipient,
      PrintWriter err) throws IOException, ReleaseVerificationException {
    raw.mark(ReleaseEnvelopeFormat.HEADER_BYTES);
    byte[] head = raw.readNBytes(ReleaseEnvelopeFormat.HEADER_BYTES);
    raw.reset();
    if (ReleaseEnvelopeFormat.startsWithMagic(head)) {
      if (recipient == null) {
        err.println("hashdb import: the release is encrypted; pass --decrypt-key KEYFILE (the private key from"
            + " release keygen-encryption); nothing imported");
        return null;
      }
      return ReleaseCommand.verifyEncrypted(raw, recipient, keys, data.dir);
    }
    if (recipient != null) {
      err.println("note: the release is not encrypted; verifying its signature as a plain release");
    }
    // A plain file's size lets verification spot truncation before reading the payload.
    return ListRelease.verify(raw, stdin ? -1 : Files.size(Path.of(release)), keys, data.dir);
  }

  /** System.in for a try-with-resources that must not close it. */
  private static InputStream nonClosing(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {
        // standard input stays open
      }
    };
  }

  private static void report(LineError e, long[] count, PrintWriter err) {
    if (count[0]++ < MAX_ERRORS_SHOWN) {
      err.println(e);
    } else if (count[0] == MAX_ERRORS_SHOWN + 1) {
      err.println("(more bad lines: only the count is shown from here on)");
    }
  }
}
