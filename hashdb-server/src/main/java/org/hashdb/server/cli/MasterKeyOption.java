package org.hashdb.server.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hashdb.core.db.DatabaseOptions;
import org.hashdb.core.disk.MasterKeys;
import picocli.CommandLine.Option;

/**
 * {@code --master-key FILE|pkcs11:URI} (or {@code $HASHDB_MASTER_KEY}) and {@code
 * --old-master-key}: the master keys a command opens a data directory with (encryption at rest,
 * README "Encryption at rest"). Part of {@link DataDirOption}; serve, backup, restore and the keys
 * commands mix it in directly.
 */
class MasterKeyOption {
  /** Environment form of {@code --master-key}. */
  static final String ENV = "HASHDB_MASTER_KEY";

  @Option(names = "--master-key", paramLabel = "FILE|pkcs11:URI",
      description = {"Master key for encryption at rest (default: $" + ENV + "): a key file from",
          "`hashdb master-key generate` (mode 600) or pkcs11:token=..;object=..?module-path=..&pin-source=FILE",
          "(a key in an HSM). New snapshots and log segments are encrypted under it; a plaintext",
          "directory is migrated. Without it an encrypted directory is refused."})
  String masterKey;

  @Option(names = "--old-master-key", paramLabel = "FILE|pkcs11:URI",
      description = {"After a rotation: a previous master key, to read files written under it until",
          "the next snapshot has re-encrypted everything under --master-key (repeatable)."})
  List<String> oldMasterKeys = new ArrayList<>();

  UnaryOperator<String> env = System::getenv;

  /** The keys given ({@link MasterKeys#none()} without any). */
  MasterKeys masterKeys() throws IOException {
    String spec = masterKey != null ? masterKey : env.apply(ENV);
    if (spec == null || spec.isEmpty()) {
      if (!oldMasterKeys.isEmpty()) {
        throw new IllegalArgumentException("--old-master-key needs --master-key (the key new files are written under)");
      }
      return MasterKeys.none();
    }
    return MasterKeys.load(spec, oldMasterKeys);
  }

  /** The default database options with these keys. */
  DatabaseOptions databaseOptions() throws IOException {
    return DatabaseOptions.defaults().withMasterKeys(masterKeys());
  }
}
