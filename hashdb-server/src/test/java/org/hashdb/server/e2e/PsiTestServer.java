package org.hashdb.server.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.server.service.HashDbService;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.api.ApiService;
import org.hashdb.server.auth.KeyFile;
import org.hashdb.server.auth.Role;
import org.hashdb.server.http.HashDbServer;
import org.hashdb.server.PsiSettings;

/** A real server on a loopback port with private lookups on, over an in-memory database. */
public final class PsiTestServer implements AutoCloseable {
  public final HashDatabase db = HashDatabase.inMemory();
  public final HashDbService service;
  public final ApiService api;
  public final HashDbServer server;
  public final org.hashdb.server.psi.PsiService psi;
  public final String allKey;
  public final String listAKey;

  public PsiTestServer(Path dir, List<NewEntry> entries, PsiSettings settings) throws Exception {
    KeyFile kf = new KeyFile(dir);
    allKey = kf.create("all", Role.QUERY, null, 0);
    listAKey = kf.create("a-only", Role.QUERY, List.of("a"), 0);
    if (!entries.isEmpty()) {
      db.add(entries);
    }
    service = HashDbService.builder().dataDir(dir).database(db).keyPollMillis(0)
        .config(ServerConfig.builder().port(0).adminPort(0).ioThreads(2).accessLog(false).psi(settings).build())
        .start();
    if (!service.awaitDatabase(Duration.ofSeconds(60))) {
      throw new IllegalStateException("database not served");
    }
    api = service.api();
    server = service.http();
    psi = api.privateLookups();
    long deadline = System.currentTimeMillis() + 60_000;
    while (psi != null && !psi.ready() && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    if (psi == null || !psi.ready()) {
      throw new IllegalStateException("precomputation did not finish");
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  @Override
  public void close() {
    service.stop();
  }
}
