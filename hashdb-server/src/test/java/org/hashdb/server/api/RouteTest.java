package org.hashdb.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RouteTest {
  @Test
  void match_pathsAndMethods() {
    assertThat(Route.match(HttpMethod.GET, "/v1/hashes/md5/abc")).isEqualTo(Route.HASH);
    assertThat(Route.match(HttpMethod.GET, "/v1/hashes/md5/")).isNull();
    assertThat(Route.match(HttpMethod.GET, "/v1/hashes/md5/a/b")).isNull();
    assertThat(Route.match(HttpMethod.GET, "/v1/hashes//abc")).isNull();
    assertThat(Route.match(HttpMethod.POST, "/v1/hashes/md5/abc")).isNull();
    assertThat(Route.allowedMethods("/v1/hashes/md5/abc")).isEqualTo("GET");
    assertThat(Route.match(HttpMethod.DELETE, "/v1/admin/entries/md5/x")).isEqualTo(Route.DELETE_ENTRY);
    assertThat(Route.allowedMethods("/v1/admin/entries")).isEqualTo("POST");
    assertThat(Route.match(HttpMethod.GET, "/v1/psi/config")).isEqualTo(Route.PSI_CONFIG);
    assertThat(Route.match(HttpMethod.POST, "/v1/psi/config")).isNull();
    assertThat(Route.allowedMethods("/v1/psi/lookup")).isEqualTo("POST");
    assertThat(Route.match(HttpMethod.POST, "/v1/psi/lookup/x")).isNull();
    for (Route r : Route.values()) {
      String concrete = r.template().replace("{type}", "md5").replace("{hash}", "00");
      assertThat(Route.match(r.method(), concrete)).as(r.name()).isEqualTo(r);
    }
  }

  /** The OpenAPI document describes exactly the route table: same paths, same methods. */
  @Test
  void openApi_documentsExactlyTheRouteTable() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(ApiService.loadOpenApi());
    Set<String> documented = new TreeSet<>();
    for (Map.Entry<String, JsonNode> e : doc.get("paths").properties()) {
      for (Iterator<String> m = e.getValue().fieldNames(); m.hasNext(); ) {
        documented.add(m.next().toUpperCase(Locale.ROOT) + " " + e.getKey());
      }
    }
    Set<String> served = new TreeSet<>();
    for (Route r : Route.values()) {
      served.add(r.method().name() + " " + r.template());
    }
    assertThat(documented).isEqualTo(served);
    for (Route r : Route.values()) {
      JsonNode op = doc.get("paths").get(r.template()).get(r.method().name().toLowerCase(Locale.ROOT));
      boolean open = op.has("security") && op.get("security").isEmpty();
      assertThat(open).as("security of " + r).isEqualTo(r.access() == null);
    }
  }
}
