package org.hashdb.client.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hashdb.client.HashDbClient;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * TLS options of a command that calls a HashDB server (a picocli mixin, for {@code scan} and any
 * server command that talks to another node): the CAs to trust, a pin, and the client certificate
 * for mutual TLS. A keystore password is read from a file or the environment, never from the
 * command line (where ps and shell history would show it).
 */
public final class ClientTlsOptions {
  /** Environment variable read for the PKCS#12 password when no password file is given. */
  public static final String PASSWORD_ENV = "HASHDB_CLIENT_CERT_PASSWORD";

  @Option(names = "--ca", paramLabel = "PEM",
      description = "Trust the CA certificate(s) in this PEM file (a private CA) instead of the system's.")
  Path ca;

  @Option(names = "--pin", paramLabel = "SHA256",
      description = "Accept only a server certificate with this SHA-256 (of its public key or DER), hex or base64.")
  String pin;

  @Option(names = "--client-cert", paramLabel = "FILE", description = "Present this client certificate (mutual"
      + " TLS): a PEM certificate (chain) with --client-key, or a PKCS#12 keystore (.p12) whose password is in"
      + " --client-cert-password-file or $" + PASSWORD_ENV + ".")
  Path clientCert;

  @Option(names = "--client-key", paramLabel = "FILE",
      description = "The PEM private key of --client-cert: unencrypted PKCS#8 (BEGIN PRIVATE KEY), readable by you only.")
  Path clientKey;

  @Option(names = "--client-cert-password-file", paramLabel = "FILE",
      description = "Read the password of a PKCS#12 --client-cert from this file (first line).")
  Path passwordFile;

  /** True when any of these options was given. */
  public boolean any() {
    return ca != null || pin != null || clientCert != null || clientKey != null || passwordFile != null;
  }

  /** The option names, for "goes with" messages. */
  public static List<String> names() {
    return List.of("--ca", "--pin", "--client-cert", "--client-key", "--client-cert-password-file");
  }

  /**
   * Applies the options to {@code b}; bad combinations are usage errors of {@code cl}.
   *
   * @param env environment lookup (for {@link #PASSWORD_ENV})
   */
  public void applyTo(HashDbClient.Builder b, CommandLine cl, UnaryOperator<String> env) throws IOException {
    if (ca != null) {
      b.caCertificates(ca);
    }
    if (pin != null) {
      b.pinnedCertificate(pin);
    }
    if (clientCert == null) {
      if (clientKey != null || passwordFile != null) {
        throw new CommandLine.ParameterException(cl, "--client-key and --client-cert-password-file go with --client-cert");
      }
      return;
    }
    if (!Files.isReadable(clientCert)) {
      throw new CommandLine.ParameterException(cl, "--client-cert " + clientCert + ": no such readable file");
    }
    if (isPem(clientCert)) {
      if (clientKey == null) {
        throw new CommandLine.ParameterException(cl, "--client-cert " + clientCert + " is PEM: give its key with --client-key");
      }
      if (passwordFile != null) {
        throw new CommandLine.ParameterException(cl, "--client-cert-password-file is for a PKCS#12 --client-cert");
      }
      b.clientCertificate(clientCert, clientKey);
      return;
    }
    if (clientKey != null) {
      throw new CommandLine.ParameterException(cl, "--client-cert " + clientCert
          + " is a PKCS#12 keystore (it holds the key): drop --client-key");
    }
    char[] password = password(cl, env);
    try {
      b.clientKeyStore(clientCert, password);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private char[] password(CommandLine cl, UnaryOperator<String> env) throws IOException {
    if (passwordFile != null) {
      List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
      return (lines.isEmpty() ? "" : lines.get(0)).toCharArray(); // an empty password is legitimate
    }
    String p = env.apply(PASSWORD_ENV);
    if (p == null) {
      throw new CommandLine.ParameterException(cl, "--client-cert " + clientCert + " is a PKCS#12 keystore: give its"
          + " password with --client-cert-password-file FILE or $" + PASSWORD_ENV);
    }
    return p.toCharArray();
  }

  private static boolean isPem(Path file) throws IOException {
    byte[] head;
    try (var in = Files.newInputStream(file)) {
      head = in.readNBytes(64);
    }
    return new String(head, StandardCharsets.ISO_8859_1).contains("-----BEGIN");
  }
}
