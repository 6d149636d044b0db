package org.hashdb.server.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.hashdb.server.auth.StoredKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hashdb keys create|list|revoke}: manages the API keys of a data directory by editing
 * its keys file only, so it works while a server runs (the server picks changes up within a
 * few seconds).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Create, list and revoke API keys (works while the server runs).",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  public KeysCommand() {}

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code keys create}: prints the new key, alone, on stdout; it is never shown again. */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a key and print it (once) on standard output.",
          "Roles: query (lookups), admin (everything), replica (change feed and snapshots)."})
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeysDirOption data;

    @Option(names = "--role", required = true, paramLabel = "ROLE",
        description = "query, admin or replica.")
    String role;

    @Option(names = "--name", required = true, paramLabel = "NAME",
        description = "Unique name, shown in logs (e.g. the customer).")
    String name;

    @Option(names = "--lists", split = ",", paramLabel = "LIST",
        description = {"Lists this query key may see (required for --role query, or --all-lists).",
            "Refused for admin and replica keys: their routes act on every list."})
    List<String> lists;

    @Option(names = "--all-lists",
        description = "This query key may see every list, present and future (instead of --lists).")
    boolean allLists;

    @Option(names = "--rate", paramLabel = "N", description = {"Rate limit: N tokens per second, burst N; a"
        + " request takes one, each further JSON query one, a PDQ search 1 + maxDistance/8, 100 bulk"
        + " hashes one; 0 = unlimited.",
        "Default: " + Role.QUERY_DEFAULT_RATE + " for query keys, unlimited for admin and replica keys."})
    Integer rate;

    @Option(names = "--max-distance", paramLabel = "N",
        description = {"Largest PDQ maxDistance the key may ask for, 0..64 (default: 31 for"
            + " query and replica keys, 64 for admin keys).",
            "A larger ceiling lets the holder probe how far an image can be altered and still match."})
    Integer maxDistance;

    @Override
    public Integer call() throws Exception {
      Role r;
      try {
        r = Role.parse(role);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (lists != null && allLists) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--lists and --all-lists exclude each other");
      }
      if (r == Role.QUERY && lists == null && !allLists) {
        throw new CommandLine.ParameterException(spec.commandLine(), "a query key needs --lists"
            + " LIST[,LIST...] (the lists it may see) or, explicitly, --all-lists");
      }
      int tokens = rate != null ? rate : r.defaultRate();
      String key;
      try {
        key = new KeyFile(data.dir).create(name, r, lists, tokens, maxDistance);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      String id = KeyFile.idOf(key);
      Integer ceiling = maxDistance;
      AuditLog.recordOffline(data.dir, "key_created", "cli", g -> {
        g.writeStringField("name", name);
        g.writeStringField("keyId", id);
        g.writeStringField("role", r.apiName());
        if (lists != null) {
          g.writeArrayFieldStart("lists");
          for (String l : lists) {
            g.writeString(l);
          }
          g.writeEndArray();
        }
        g.writeNumberField("rate", tokens);
        g.writeNumberField("maxDistance", ceiling != null ? ceiling : r.defaultMaxDistance());
      });
      PrintWriter out = spec.commandLine().getOut();
      out.println(key);
      out.flush();
      spec.commandLine().getErr().println("created " + r.apiName() + " key '" + name + "' ("
          + (lists == null ? "every list" : "lists " + String.join(",", lists)) + ", rate "
          + (tokens == 0 ? "unlimited" : tokens + "/s") + "): store it now, it cannot be shown again");
      return 0;
    }
  }

  /** {@code keys list}: names, roles, lists and rates; never secrets. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets): name, role, lists, rate, PDQ distance ceiling.")
  static final class ListKeys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeysDirOption data;

    @Override
    public Integer call() throws Exception {
      KeyFile file = new KeyFile(data.dir);
      List<StoredKey> keys;
      try {
        keys = file.read();
      } catch (java.io.IOException e) {
        // the operator's first place to look after an edit: say what a running server does now
        spec.commandLine().getErr().println("hashdb keys list: the keys file does not parse: "
            + e.getMessage() + "\nA running server keeps the keys it read before this version"
            + " (a key removed or changed in it is NOT in effect) and reports it in the metric"
            + " hashdb_keys_reload_failed and in /readyz (\"keys_file_unreadable\"). Fix " + file.path()
            + " or restore it from a backup.");
        return CliErrors.ERROR;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("NAME\tROLE\tLISTS\tRATE\tMAX_DISTANCE\tCREATED\tID");
      for (StoredKey k : keys) {
        out.println(KeyFile.describe(k));
      }
      out.flush();
      return 0;
    }
  }

  /** {@code keys revoke NAME}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by name.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin KeysDirOption data;

    @Parameters(index = "0", paramLabel = "NAME", description = "Name of the key to revoke.")
    String name;

    @Override
    public Integer call() throws Exception {
      if (!new KeyFile(data.dir).revoke(name)) {
        spec.commandLine().getErr().println("hashdb keys revoke: no key named '" + name + "'");
        return CliErrors.ERROR;
      }
      AuditLog.recordOffline(data.dir, "key_revoked", "cli", g -> g.writeStringField("name", name));
      spec.commandLine().getErr().println("revoked key '" + name + "'");
      return 0;
    }
  }
}
