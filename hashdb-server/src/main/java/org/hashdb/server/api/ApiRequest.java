package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import org.hashdb.server.auth.ApiKey;

/**
 * One routed request as the API sees it: the HTTP head, its authenticated key (null for routes
 * without one), the aggregated body (null until complete, or for routes without a body) and
 * the allocator for the response. Used by one thread at a time.
 */
public final class ApiRequest {
  private final HttpRequest http;
  private final String uri;
  private final int pathEnd; // index of '?' or uri.length()
  private final ApiKey key;
  private final ByteBufAllocator alloc;
  private Map<String, List<String>> params; // parsed on first use
  private ByteBuf body;

  public ApiRequest(HttpRequest http, ApiKey key, ByteBufAllocator alloc) {
    this.http = http;
    this.uri = http.uri();
    int q = uri.indexOf('?');
    this.pathEnd = q < 0 ? uri.length() : q;
    this.key = key;
    this.alloc = alloc;
  }

  /** The path of a request URI (before '?'). */
  public static String pathOf(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  public HttpRequest http() {
    return http;
  }

  public String uri() {
    return uri;
  }

  /** Index in {@link #uri()} where the path ends. */
  public int pathEnd() {
    return pathEnd;
  }

  public ApiKey key() {
    return key;
  }

  public ByteBufAllocator alloc() {
    return alloc;
  }

  public ByteBuf body() {
    return body;
  }

  /** Hands the complete body over (the caller keeps ownership and releases it). */
  public void body(ByteBuf body) {
    this.body = body;
  }

  public boolean hasQuery() {
    return pathEnd < uri.length();
  }

  /**
   * The single value of query parameter {@code name}, or null when absent. Repeating a
   * parameter is a 400: which one would win is a guess.
   */
  public String param(String name) {
    if (!hasQuery()) {
      return null;
    }
    if (params == null) {
      params = new QueryStringDecoder(uri).parameters();
    }
    List<String> v = params.get(name);
    if (v == null) {
      return null;
    }
    if (v.size() > 1) {
      throw ApiException.invalidRequest(name + ": given more than once");
    }
    return v.get(0);
  }
}
