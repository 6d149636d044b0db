/**
 * HashDB core: hash types, content hashing, the in-memory database and its files.
 *
 * <p>Exported to everyone: the packages a client SDK user meets ({@code hash}, {@code content},
 * {@code video}, and {@code db} for embedded mode). The engine packages are exported only to the
 * server and the client, which build on them; {@code exact} (the exact index behind {@code db})
 * is not exported at all. On the class path, where the server and the benchmarks run, none of
 * this applies.
 *
 * <p>Bouncy Castle is needed only by {@code psi} (private lookups) and {@code release} (signed
 * and encrypted list releases), RoaringBitmap only by {@code db}: both are {@code requires static}
 * so that an SDK user who does neither can leave them out.
 */
module org.hashdb.core {
  requires java.desktop; // ImageIO: image decoding for PDQ
  requires static org.bouncycastle.provider;
  requires static roaringbitmap;

  exports org.hashdb.core; // Accountable: the memory accounting every big structure reports
  exports org.hashdb.core.hash;
  exports org.hashdb.core.content;
  exports org.hashdb.core.video;
  exports org.hashdb.core.db;

  exports org.hashdb.core.pdq to org.hashdb.client, org.hashdb.server;
  exports org.hashdb.core.psi to org.hashdb.client, org.hashdb.server;
  exports org.hashdb.core.lists to org.hashdb.server;
  exports org.hashdb.core.release to org.hashdb.server;
  // To everyone: DatabaseOptions (embedded mode, in db) names FileIo and MasterKeys from here.
  exports org.hashdb.core.disk;
}
