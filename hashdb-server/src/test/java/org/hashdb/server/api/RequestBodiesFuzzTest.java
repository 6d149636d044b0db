package org.hashdb.server.api;

import org.hashdb.server.ApiException;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.hashdb.core.db.NewEntry;

/** JSON lookup and admin bodies: rejected only with a 4xx {@link ApiException}. */
class RequestBodiesFuzzTest {
  private final LookupBatch batch = new LookupBatch();

  @FuzzTest(maxDuration = "2m")
  void jsonLookup(byte[] input) {
    try {
      LookupCodec.parseQueries(Unpooled.wrappedBuffer(input), batch, 100, 31, 64);
      assertThat(batch.size()).isBetween(0, 100);
    } catch (ApiException e) {
      assertThat(e.status().code()).isBetween(400, 499);
    }
  }

  @FuzzTest(maxDuration = "2m")
  void adminEntries(byte[] input) {
    try {
      List<NewEntry> entries = LookupCodec.parseEntries(Unpooled.wrappedBuffer(input), 100);
      assertThat(entries.size()).isBetween(0, 100);
    } catch (ApiException e) {
      assertThat(e.status().code()).isBetween(400, 499);
    }
  }
}
