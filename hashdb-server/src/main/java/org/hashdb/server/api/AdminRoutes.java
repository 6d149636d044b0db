package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import static org.hashdb.server.api.ApiService.json;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hashdb.core.hash.HashFormatException;
import org.hashdb.core.hash.HashType;
import org.hashdb.core.hash.Hex;
import org.hashdb.core.hash.UnknownHashTypeException;
import org.hashdb.core.lists.ListFormat;
import org.hashdb.core.release.TrustedKeys;
import org.hashdb.core.db.AddResult;
import org.hashdb.core.db.EntryValidator;
import org.hashdb.core.db.HashDatabase;
import org.hashdb.core.db.NewEntry;
import org.hashdb.core.db.RemoveResult;
import org.hashdb.server.ServerConfig;
import org.hashdb.server.audit.AuditLog;
import org.hashdb.server.auth.ApiKey;
import org.hashdb.server.metrics.ServerMetrics;

/**
 * The write routes of the admin API: add entries, delete an entry, start a streamed import.
 * Separate from the lookups because writes are durable: their input is validated on the event
 * loop, then the write itself runs on the {@link Workers} pool and answers with a future; each
 * write is audited. Thread-safe.
 */
final class AdminRoutes {
  private final ServerConfig config;
  private final ServerMetrics metrics;
  private final AuditLog audit;
  private final Workers workers;
  private final TrustedKeys releaseKeys; // null: signed releases are refused

  /** Reads the trusted release keys named by {@code config}, if any. */
  AdminRoutes(ServerConfig config, ServerMetrics metrics, AuditLog audit, Workers workers) {
    this.config = config;
    this.metrics = metrics;
    this.audit = audit;
    this.workers = workers;
    try {
      this.releaseKeys = config.trustedKeys().isEmpty() ? null
          : TrustedKeys.load(config.trustedKeys());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trusted keys: " + e.getMessage(), e);
    }
    if (releaseKeys != null) {
      for (TrustedKeys.Key k : releaseKeys.keys()) {
        if (k.lists() == null) {
          System.getLogger(AdminRoutes.class.getName()).log(System.Logger.Level.WARNING, "trusted key " + k
              + " (" + k.origin() + ") names no lists: its releases are refused until ' lists=NAME[,NAME...]'"
              + " (or ' lists=*') is added to its line");
        }
      }
    }
  }

  /** {@code POST /v1/admin/entries}: every entry is checked before any is added. */
  CompletableFuture<FullHttpResponse> addEntries(HashDatabase d, ApiRequest req) {
    List<NewEntry> entries = LookupCodec.parseEntries(req.body(), config.maxAdminEntries());
    for (int i = 0; i < entries.size(); i++) {
      try {
        EntryValidator.check(entries.get(i));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidRequest("entries[" + i + "]: " + e.getMessage());
      }
    }
    ApiKey key = req.key();
    ByteBufAllocator alloc = req.alloc();
    return workers.submit(() -> {
      long t0 = System.nanoTime();
      AddResult r = d.add(entries);
      metrics.addLatency(System.nanoTime() - t0);
      audit.event("add", key.name(), key.id(), g -> {
        g.writeNumberField("added", r.added());
        g.writeNumberField("alreadyPresent", r.alreadyPresent());
        g.writeNumberField("sequence", r.sequence());
        g.writeArrayFieldStart("lists");
        for (String l : entries.stream().map(NewEntry::list).distinct().toList()) {
          g.writeString(l);
        }
        g.writeEndArray();
      });
      return json(alloc, HttpResponseStatus.OK, g -> {
        g.writeStartObject();
        g.writeNumberField("added", r.added());
        g.writeNumberField("alreadyPresent", r.alreadyPresent());
        g.writeNumberField("sequence", r.sequence());
        g.writeEndObject();
      });
    });
  }

  /** {@code DELETE /v1/admin/entries/{type}/{hash}[?list=]}: 404 when nothing was removed. */
  CompletableFuture<FullHttpResponse> deleteEntry(HashDatabase d, ApiRequest req) {
    String uri = req.uri();
    int typeStart = "/v1/admin/entries/".length();
    int slash = uri.indexOf('/', typeStart);
    HashType type = HashType.find(uri, typeStart, slash);
    if (type == null) {
      throw ApiException.badRequest("unknown_hash_type",
          new UnknownHashTypeException(uri.substring(typeStart, slash)).getMessage());
    }
    byte[] value = new byte[type.byteLength()];
    try {
      Hex.decode(type, uri, slash + 1, req.pathEnd(), value, 0);
    } catch (HashFormatException e) {
      throw ApiException.badRequest("invalid_hash", e.getMessage());
    }
    String list = req.param("list");
    if (list != null) {
      checkListName(list);
    }
    ApiKey key = req.key();
    ByteBufAllocator alloc = req.alloc();
    return workers.submit(() -> {
      long t0 = System.nanoTime();
      RemoveResult r = d.remove(type, value, list);
      metrics.removeLatency(System.nanoTime() - t0);
      if (r.removed() == 0) {
        throw new ApiException(HttpResponseStatus.NOT_FOUND, "not_found",
            "no " + type.apiName() + " entry with this hash"
                + (list == null ? "" : " on list '" + list + "'"));
      }
      audit.event("remove", key.name(), key.id(), g -> {
        g.writeStringField("type", type.apiName());
        g.writeStringField("hash", Hex.encode(value));
        g.writeStringField("list", list == null ? "*" : list);
        g.writeNumberField("removed", r.removed());
        g.writeNumberField("sequence", r.sequence());
      });
      return json(alloc, HttpResponseStatus.OK, g -> {
        g.writeStartObject();
        g.writeNumberField("removed", r.removed());
        g.writeNumberField("sequence", r.sequence());
        g.writeEndObject();
      });
    });
  }

  /**
   * {@code POST /v1/admin/import}, for a request whose head passed {@link ApiService#prepare}:
   * validates the parameters and starts the worker, which waits for the body.
   */
  ImportJob startImport(HashDatabase d, ApiRequest req) {
    String list = req.param("list");
    String fmt = req.param("format");
    boolean release = "release".equals(fmt);
    if (list == null && !release) {
      throw ApiException.invalidRequest("list: required");
    }
    if (list != null) {
      checkListName(list);
    }
    String typeText = req.param("type");
    HashType type = null;
    if (typeText != null) {
      try {
        type = HashType.parse(typeText);
      } catch (UnknownHashTypeException e) {
        throw ApiException.badRequest("unknown_hash_type", "type: " + e.getMessage());
      }
    }
    ListFormat format;
    if (release) {
      if (releaseKeys == null) {
        throw ApiException.badRequest("release_refused",
            "this server trusts no release signing keys (serve --trust PUBFILE)");
      }
      if (type != null) {
        throw ApiException.invalidRequest("type: not allowed with format=release");
      }
      format = ListFormat.CSV;
    } else if (fmt == null) {
      format = type != null ? ListFormat.HEX : ListFormat.CSV;
    } else if (fmt.equals("csv")) {
      format = ListFormat.CSV;
    } else if (fmt.equals("hex")) {
      format = ListFormat.HEX;
    } else {
      throw ApiException.invalidRequest("format: expected csv, hex or release");
    }
    if (format == ListFormat.HEX && type == null) {
      throw ApiException.invalidRequest("type: required for format=hex");
    }
    String rollback = req.param("allowRollback");
    if (rollback != null && !rollback.equals("true") && !rollback.equals("false")) {
      throw ApiException.invalidRequest("allowRollback: expected true or false");
    }
    if (rollback != null && !release) {
      throw ApiException.invalidRequest("allowRollback: only with format=release");
    }
    ImportJob job = new ImportJob(d, audit, metrics, req.key(), list, format, type,
        release ? releaseKeys : null, release ? config.releaseDecryptKey() : null,
        "true".equals(rollback), req.alloc());
    workers.startImport(job);
    return job;
  }

  /** The {@code list} parameter of a delete or an import: 400 invalid_request if malformed. */
  private static void checkListName(String list) {
    try {
      EntryValidator.checkListName(list);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidRequest("list: " + e.getMessage());
    }
  }
}
