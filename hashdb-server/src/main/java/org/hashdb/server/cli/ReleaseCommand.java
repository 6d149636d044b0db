package org.hashdb.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.hashdb.core.lists.Ed25519KeyPair;
import org.hashdb.core.lists.LineError;
import org.hashdb.core.lists.ListRelease;
import org.hashdb.core.lists.ListReader;
import org.hashdb.core.lists.ListReleaseWriter;
import org.hashdb.core.lists.ReleaseHeader;
import org.hashdb.core.lists.ReleaseVerificationException;
import org.hashdb.core.lists.TrustedKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hashdb release}: signed list releases. The list supplier runs {@code keygen} once and
 * {@code sign} per release; operators {@code verify} a release or import it with
 * {@code hashdb import --release FILE --trust KEY.pub}.
 */
@Command(name = "release", mixinStandardHelpOptions = true,
    description = {"Signed list releases (Ed25519): generate a key, sign a CSV list, verify a release.",
        "Import a release with: hashdb import --data DIR --release FILE --trust KEY.pub"},
    subcommands = {ReleaseCommand.Keygen.class, ReleaseCommand.Sign.class, ReleaseCommand.Verify.class})
final class ReleaseCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints a header the way {@code sign} and {@code verify} show it. */
  static void print(PrintWriter out, ReleaseHeader h) {
    out.println("list:     " + h.list());
    out.println("release:  " + h.release());
    out.println("created:  " + h.created());
    out.println("entries:  " + h.entryCount());
    out.println("payload:  " + h.payloadLength() + " bytes, sha256 " + org.hashdb.core.hash.Hex.encode(h.payloadSha256()));
  }

  /** The message of a refused release, for every command that verifies one. */
  static String refused(ReleaseVerificationException e) {
    return "release refused (" + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "): "
        + e.getMessage();
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = {"Generate a signing key pair: PREFIX.key (private, mode 600; keep it offline)",
          "and PREFIX.pub (give it to operators, who pass it to --trust)."})
  static final class Keygen implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "PREFIX", description = "Writes PREFIX.key and PREFIX.pub.")
    String prefix;

    @Option(names = "--name", paramLabel = "NAME", description = "Label stored in the .pub file (default: the prefix's file name).")
    String name;

    @Override
    public Integer call() throws IOException {
      Path key = Path.of(prefix + ".key");
      Path pub = Path.of(prefix + ".pub");
      for (Path p : List.of(key, pub)) {
        if (Files.exists(p)) {
          spec.commandLine().getErr().println("hashdb release keygen: " + p + " exists; not overwriting a key");
          return CliErrors.ERROR;
        }
      }
      Ed25519KeyPair pair = Ed25519KeyPair.generate();
      pair.writePrivateKey(key);
      pair.writePublicKey(pub, name != null ? name : Path.of(prefix).getFileName().toString());
      PrintWriter out = spec.commandLine().getOut();
      out.println("private key: " + key + " (mode 600; keep it secret)");
      out.println("public key:  " + pub);
      out.println("key id:      " + pair.keyId());
      return 0;
    }
  }

  @Command(name = "sign", mixinStandardHelpOptions = true,
      description = {"Sign a CSV list (type,hash[,category[,source[,quality]]]) as a release file.",
          "A list with any bad line is not signed. Exit 0 when written, 2 on errors."})
  static final class Sign implements Callable<Integer> {
    @Spec CommandSpec spec;

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
      Ed25519KeyPair pair = Ed25519KeyPair.readPrivateKey(key);
      Instant now = Instant.now();
      long number = release != null ? release : now.getEpochSecond();
      long[] bad = {0};
      ReleaseHeader h;
      try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file));
          ListReader rows = ListReader.builder(in, list).category(category).source(source)
              .allowLowQuality(forceLowQuality).build()) {
        h = ListReleaseWriter.write(rows, list, number, now, pair, outFile, (LineError e) -> {
          if (bad[0]++ < ImportCommand.MAX_ERRORS_SHOWN) {
            err.println(e);
          }
        });
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
          "Exit 0 when it verifies, 2 when it is refused or on errors."})
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--trust", required = true, split = ",", paramLabel = "PUBFILE",
        description = "Trusted public key file (from keygen); repeat, or comma-separate, for several.")
    List<Path> trust;

    @Parameters(index = "0", paramLabel = "FILE", description = "Release file.")
    Path file;

    @Override
    public Integer call() throws IOException {
      TrustedKeys keys = TrustedKeys.load(trust);
      // Verification only: nothing is imported, so the file need not be copied first.
      try (ListRelease r = ListRelease.verifySpooled(file, keys)) {
        PrintWriter out = spec.commandLine().getOut();
        print(out, r.header());
        out.println("signed by: " + r.signer());
        out.println("OK");
        return 0;
      } catch (ReleaseVerificationException e) {
        spec.commandLine().getErr().println("hashdb release verify: " + refused(e));
        return CliErrors.ERROR;
      }
    }
  }
}
