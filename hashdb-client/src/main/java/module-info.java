/**
 * The HashDB client SDK. Its API is {@code org.hashdb.client} plus core's exported packages
 * ({@code org.hashdb.core.hash}, {@code content}, {@code video}, and {@code db} for embedded
 * mode), which it passes on. {@code cli} and {@code scan} are the {@code hashdb scan} and
 * {@code hash} commands, run by the launcher on the class path: not API, not exported.
 *
 * <p>picocli is needed only by those commands; Bouncy Castle (private lookups) and RoaringBitmap
 * (embedded mode) only by core, and optionally: see README, "Client dependencies".
 */
module org.hashdb.client {
  requires transitive org.hashdb.core;
  requires java.net.http;
  requires com.fasterxml.jackson.core;
  requires static info.picocli;
  requires static jdk.unsupported; // sun.misc.Signal: a scan stops cleanly on SIGINT

  exports org.hashdb.client;

  opens org.hashdb.client.cli to info.picocli;
}
