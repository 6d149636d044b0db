package org.hashdb.server.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.hashdb.client.cli.KeyFileOption;
import org.hashdb.core.disk.DataDirectories;
import org.hashdb.core.db.HashDatabase;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hashdb backup}: one file holding a consistent snapshot of the database, the keys file
 * and the server settings, from a data directory no server holds, or from a running server
 * through {@code GET /v1/admin/snapshot} (the keys then come from {@code --data} on the same host).
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
    description = {"Back up a data directory into one file (restore it with `hashdb restore`).",
        "Offline: --data DIR (no server may hold it). Running server: --url URL with an admin key",
        "(--key-env VAR, default $" + BackupCommand.DEFAULT_KEY_ENV + ", or --key-file); add --data DIR on the",
        "server's host to include its keys.json (the API never serves key hashes).",
        "The file holds: the database (a snapshot at one sequence number), keys.json and",
        "server.properties when available. Never: the audit and access logs, the write-ahead log",
        "(the snapshot holds every change up to its sequence). Written with mode 600.",
        "Exit 0 on success, 2 on errors."})
final class BackupCommand implements Callable<Integer> {
  static final String DEFAULT_KEY_ENV = "HASHDB_ADMIN_KEY";

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin MasterKeyOption masterKey = new MasterKeyOption();

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory to back up (alone: offline; with --url: where keys.json is read).")
  Path data;

  @Option(names = "--url", paramLabel = "URL",
      description = "Base URL of a running server's admin listener, e.g. http://127.0.0.1:8081 (needs an admin or"
          + " replica key).")
  URI url;

  @Option(names = "--key-env", paramLabel = "VAR",
      description = "Environment variable holding the key for --url (default: " + DEFAULT_KEY_ENV + ").")
  String keyEnv;

  @Option(names = "--key-file", paramLabel = "FILE", description = "Read the key for --url from this file (first line).")
  Path keyFile;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Backup file to write (replaced atomically).")
  Path out;

  /** Environment lookup; replaced in tests. */
  UnaryOperator<String> env = System::getenv;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    if (url == null && data == null) {
      throw usage("give --data DIR (offline) or --url URL (a running server)");
    }
    if (url == null && (keyEnv != null || keyFile != null)) {
      throw usage("--key-env and --key-file go with --url");
    }
    if (data != null) {
      DataDirectories.requireDatabase(data);
    }
    Path parent = out.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(parent, ".hashdb-backup-", ".snapshot");
    try {
      long seq;
      String source;
      if (url != null) {
        seq = download(tmp);
        source = url.toString();
      } else {
        try (HashDatabase db = HashDatabase.openExisting(data, masterKey.databaseOptions())) {
          seq = db.exportSnapshotAtRest(tmp); // encrypted when the directory is
        } catch (IOException e) {
          if (String.valueOf(e.getMessage()).contains("in use by another process")) {
            throw new IOException(e.getMessage() + ": back up a running server through its API with --url URL"
                + " (and --data " + data + " for its keys)", e);
          }
          throw e;
        }
        source = data.toAbsolutePath().toString();
      }
      Map<String, Path> extras = BackupArchive.extrasOf(data);
      List<String> notIncluded = new ArrayList<>(BackupArchive.NEVER_INCLUDED);
      if (!extras.containsKey(BackupArchive.KEYS)) {
        notIncluded.add(0, data == null
            ? "keys.json (the admin API does not serve key hashes: add --data DIR on the server's host, or copy DIR/keys.json)"
            : "keys.json (there is none in " + data + ")");
      }
      BackupArchive.write(out, tmp, seq, extras, source, notIncluded);
      o.printf("backup of %s at sequence %d written to %s (%,d bytes)%n", source, seq, out, Files.size(out));
      o.println("  included: database snapshot" + (extras.isEmpty() ? "" : ", " + String.join(", ", extras.keySet())));
      for (String n : notIncluded) {
        o.println("  NOT included: " + n);
      }
      o.flush();
      return 0;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Streams GET /v1/admin/snapshot into {@code file}; returns the snapshot's sequence. */
  private long download(Path file) throws IOException, InterruptedException {
    String key = key();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    URI uri = url.resolve(url.getPath().endsWith("/") ? "v1/admin/snapshot" : url.getPath() + "/v1/admin/snapshot");
    HttpResponse<Path> r;
    try {
      r = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key).GET().build(),
          HttpResponse.BodyHandlers.ofFile(file));
    } catch (IOException e) {
      throw new IOException("cannot reach " + url + ": " + e, e);
    }
    if (r.statusCode() != 200) {
      String body = Files.readString(file, StandardCharsets.UTF_8);
      throw new IOException("GET " + uri + " answered " + r.statusCode() + ": "
          + (body.length() > 300 ? body.substring(0, 300) : body).trim());
    }
    String seq = r.headers().firstValue("X-HashDB-Sequence").orElseThrow(
        () -> new IOException("GET " + uri + ": no X-HashDB-Sequence header; is this a HashDB server?"));
    try {
      return Long.parseLong(seq.trim());
    } catch (NumberFormatException e) {
      throw new IOException("GET " + uri + ": bad X-HashDB-Sequence '" + seq + "'");
    }
  }

  private String key() throws IOException {
    if (keyFile != null && keyEnv != null) {
      throw usage("give the key once: --key-env or --key-file");
    }
    if (keyFile != null) {
      return KeyFileOption.read(spec.commandLine(), keyFile);
    }
    String var = keyEnv == null ? DEFAULT_KEY_ENV : keyEnv;
    String k = env.apply(var);
    if (k == null || k.isBlank()) {
      throw usage("--url needs an admin key: set $" + var + (keyEnv == null ? " (or name another variable with --key-env)" : "")
          + ", or use --key-file FILE");
    }
    return k.trim();
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
