package org.hashdb.server.api;

import io.netty.handler.codec.http.HttpMethod;
import java.util.EnumSet;
import java.util.Set;
import org.hashdb.server.auth.Role;

/**
 * The route table: every method and path the server answers, who may call it and how its body
 * is read. {@code /openapi.json} documents exactly these (a test keeps them equal).
 */
public enum Route {
  HEALTHZ(HttpMethod.GET, "/healthz", null, Body.NONE, Plane.HEALTH),
  READYZ(HttpMethod.GET, "/readyz", null, Body.NONE, Plane.HEALTH),
  // a key of any role: /metrics names lists and /openapi.json is big enough to amplify a flood
  METRICS(HttpMethod.GET, "/metrics", Access.ANY, Body.NONE, Plane.ADMIN),
  OPENAPI(HttpMethod.GET, "/openapi.json", Access.ANY, Body.NONE, Plane.ADMIN),
  HASH(HttpMethod.GET, "/v1/hashes/{type}/{hash}", Access.LOOKUP, Body.NONE, Plane.PUBLIC),
  LOOKUP(HttpMethod.POST, "/v1/lookup", Access.LOOKUP, Body.JSON, Plane.PUBLIC),
  BULK(HttpMethod.POST, "/v1/lookup/bulk", Access.LOOKUP, Body.BINARY, Plane.PUBLIC),
  LOOKUP_VIDEO(HttpMethod.POST, "/v1/lookup/video", Access.LOOKUP, Body.JSON, Plane.PUBLIC),
  ADD_ENTRIES(HttpMethod.POST, "/v1/admin/entries", Access.ADMIN, Body.JSON, Plane.ADMIN),
  DELETE_ENTRY(HttpMethod.DELETE, "/v1/admin/entries/{type}/{hash}", Access.ADMIN, Body.NONE, Plane.ADMIN),
  IMPORT(HttpMethod.POST, "/v1/admin/import", Access.ADMIN, Body.STREAM, Plane.ADMIN),
  STATS(HttpMethod.GET, "/v1/admin/stats", Access.ADMIN, Body.NONE, Plane.ADMIN),
  CHANGES(HttpMethod.GET, "/v1/admin/changes", Access.REPLICA, Body.NONE, Plane.ADMIN),
  SNAPSHOT(HttpMethod.GET, "/v1/admin/snapshot", Access.REPLICA, Body.NONE, Plane.ADMIN),
  REPLICA_KEYS(HttpMethod.GET, "/v1/admin/replica/keys", Access.REPLICA, Body.NONE, Plane.ADMIN),
  PSI_CONFIG(HttpMethod.GET, "/v1/psi/config", Access.LOOKUP, Body.NONE, Plane.PUBLIC),
  PSI_LOOKUP(HttpMethod.POST, "/v1/psi/lookup", Access.LOOKUP, Body.JSON, Plane.PUBLIC),
  PSI_ROTATE(HttpMethod.POST, "/v1/admin/psi/rotate", Access.ADMIN, Body.NONE, Plane.ADMIN);

  /** Metric label for requests no route matched. */
  public static final String UNMATCHED = "unmatched";

  private static final Route[] VALUES = values();

  /** How a route's request body is read. */
  public enum Body {
    /** Ignored (and discarded). */
    NONE,
    /** Aggregated up to the body limit, must be application/json. */
    JSON,
    /** Aggregated up to the bulk limit, must be application/octet-stream. */
    BINARY,
    /** Streamed to a worker as it arrives. */
    STREAM
  }

  /** Which listener serves a route. */
  public enum Plane {
    /** Lookups: the public listener only. */
    PUBLIC,
    /** Administration, replication, metrics and the API description: the admin listener only. */
    ADMIN,
    /** {@code /healthz} and {@code /readyz}: both listeners. */
    HEALTH
  }

  /**
   * A listener, by the routes it serves; on any other route it answers 404 as for an unknown
   * path, so the public listener does not even reveal that admin routes exist.
   */
  public enum Listener {
    PUBLIC,
    ADMIN,
    /** Every route: an in-process pipeline of tests and benchmarks, never a socket. */
    ALL;

    public boolean serves(Route r) {
      return this == ALL || r.plane == Plane.HEALTH
          || (this == PUBLIC ? r.plane == Plane.PUBLIC : r.plane == Plane.ADMIN);
    }
  }

  /** Who may call a route. */
  public enum Access {
    /** Any valid key; the route works before the database is loaded. */
    ANY(EnumSet.allOf(Role.class)),
    LOOKUP(EnumSet.of(Role.QUERY, Role.ADMIN)),
    ADMIN(EnumSet.of(Role.ADMIN)),
    REPLICA(EnumSet.of(Role.ADMIN, Role.REPLICA));

    private final Set<Role> roles;

    Access(Set<Role> roles) {
      this.roles = roles;
    }

    public boolean allows(Role r) {
      return roles.contains(r);
    }
  }

  private final HttpMethod method;
  private final String template;
  private final Access access; // null: no key needed
  private final Body body;
  private final Plane plane;

  Route(HttpMethod method, String template, Access access, Body body, Plane plane) {
    this.method = method;
    this.template = template;
    this.access = access;
    this.body = body;
    this.plane = plane;
  }

  /** Which listener serves it. */
  public Plane plane() {
    return plane;
  }

  /** True for the routes that act on every list at once (writes, stats, feed, snapshot). */
  public boolean coversAllLists() {
    return plane == Plane.ADMIN && access != Access.ANY;
  }

  public HttpMethod method() {
    return method;
  }

  /** Path in OpenAPI template syntax. */
  public String template() {
    return template;
  }

  /** Who may call it, or null when no key is needed. */
  public Access access() {
    return access;
  }

  public Body body() {
    return body;
  }

  /** True for the routes that change the list: refused on a read replica. */
  public boolean writesList() {
    return this == ADD_ENTRIES || this == DELETE_ENTRY || this == IMPORT;
  }

  /** True for lookups, whose answers carry the sequence they were answered at. */
  public boolean isLookup() {
    return this == HASH || this == LOOKUP || this == BULK || this == LOOKUP_VIDEO;
  }

  /** True when the route reads or writes the database (and so waits for it to load). */
  public boolean needsDatabase() {
    return access != null && access != Access.ANY;
  }

  /** Metric label of route number {@code i} ({@link #UNMATCHED} for {@code values().length}). */
  public static String[] metricNames() {
    String[] names = new String[VALUES.length + 1];
    for (Route r : VALUES) {
      names[r.ordinal()] = r.name().toLowerCase(java.util.Locale.ROOT);
    }
    names[VALUES.length] = UNMATCHED;
    return names;
  }

  /**
   * The route for {@code method} and {@code path} (no query string), or null. Allocation-free for
   * the lookup paths.
   */
  public static Route match(HttpMethod method, String path) {
    Route r = matchPath(path);
    return r != null && r.method.equals(method) ? r : null;
  }

  /**
   * The methods allowed on {@code path} (comma-separated, for a 405's {@code Allow} header), or
   * null when no route has this path.
   */
  public static String allowedMethods(String path) {
    return allowedMethods(path, Listener.ALL);
  }

  /** {@link #allowedMethods(String)} among the routes {@code listener} serves. */
  public static String allowedMethods(String path, Listener listener) {
    StringBuilder sb = null;
    for (Route r : VALUES) {
      if (listener.serves(r) && r.matchesPath(path)) {
        sb = sb == null ? new StringBuilder() : sb.append(", ");
        sb.append(r.method.name());
      }
    }
    return sb == null ? null : sb.toString();
  }

  private boolean matchesPath(String path) {
    return switch (this) {
      case HASH -> twoSegmentsAfter(path, "/v1/hashes/");
      case ADD_ENTRIES -> path.equals(template);
      case DELETE_ENTRY -> twoSegmentsAfter(path, "/v1/admin/entries/");
      default -> path.equals(template);
    };
  }

  private static Route matchPath(String path) {
    if (path.startsWith("/v1/")) {
      if (twoSegmentsAfter(path, "/v1/hashes/")) {
        return HASH;
      }
      switch (path) {
        case "/v1/lookup":
          return LOOKUP;
        case "/v1/lookup/bulk":
          return BULK;
        case "/v1/lookup/video":
          return LOOKUP_VIDEO;
        case "/v1/admin/entries":
          return ADD_ENTRIES;
        case "/v1/admin/import":
          return IMPORT;
        case "/v1/admin/stats":
          return STATS;
        case "/v1/admin/changes":
          return CHANGES;
        case "/v1/admin/snapshot":
          return SNAPSHOT;
        case "/v1/admin/replica/keys":
          return REPLICA_KEYS;
        case "/v1/psi/config":
          return PSI_CONFIG;
        case "/v1/psi/lookup":
          return PSI_LOOKUP;
        case "/v1/admin/psi/rotate":
          return PSI_ROTATE;
        default:
          return twoSegmentsAfter(path, "/v1/admin/entries/") ? DELETE_ENTRY : null;
      }
    }
    switch (path) {
      case "/healthz":
        return HEALTHZ;
      case "/readyz":
        return READYZ;
      case "/metrics":
        return METRICS;
      case "/openapi.json":
        return OPENAPI;
      default:
        return null;
    }
  }

  /** True when {@code path} is {@code prefix} + a non-empty segment + '/' + a non-empty segment. */
  static boolean twoSegmentsAfter(String path, String prefix) {
    if (!path.startsWith(prefix)) {
      return false;
    }
    int slash = path.indexOf('/', prefix.length());
    return slash > prefix.length() && slash < path.length() - 1
        && path.indexOf('/', slash + 1) < 0;
  }
}
