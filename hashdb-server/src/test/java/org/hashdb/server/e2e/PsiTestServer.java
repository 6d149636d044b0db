package org.hashdb.server.e2e;

import java.nio.file.Path;
import java.util.List;
import org.hashdb.core.store.HashDatabase;
import org.hashdb.core.store.NewEntry;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.audit.AccessLog;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.KeyRing;
import org.hashdb.server.auth.Role;
import org.hashdb.server.http.HashDbServer;
import org.hashdb.server.psi.PsiService;
import org.hashdb.server.psi.PsiSettings;

/** A real server on a loopback port with private lookups on, over an in-memory database. */
public final class PsiTestServer implements AutoCloseable {
  public final HashDatabase db = HashDatabase.inMemory();
  public final ApiService api;
  public final HashDbServer server;
  public final PsiService psi;
  public final String allKey;
  public final String listAKey;

  public PsiTestServer(Path dir, List<NewEntry> entries, PsiSettings settings) throws Exception {
    KeyFile kf = new KeyFile(dir);
    allKey = kf.create("all", Role.QUERY, null, 0);
    listAKey = kf.create("a-only", Role.QUERY, List.of("a"), 0);
    ServerConfig cfg = ServerConfig.builder().port(0).ioThreads(2).accessLog(false).build();
    api = new ApiService(cfg, KeyRing.load(dir), AuditLog.open(dir, 1 << 20, 3, n -> {}));
    if (!entries.isEmpty()) {
      db.add(entries);
    }
    server = HashDbServer.start(api, AccessLog.disabled());
    api.databaseReady(db);
    psi = PsiService.open(dir, settings, api::database);
    api.privateLookups(psi);
    long deadline = System.currentTimeMillis() + 60_000;
    while (!psi.ready() && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    if (!psi.ready()) {
      throw new IllegalStateException("precomputation did not finish");
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  @Override
  public void close() {
    server.stop();
  }
}
