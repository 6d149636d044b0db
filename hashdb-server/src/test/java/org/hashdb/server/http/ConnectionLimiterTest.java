package org.hashdb.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ConnectionLimiter}: caps in total and per address, slots freed on close. */
class ConnectionLimiterTest {
  @Test
  void perAddressCap_refusesTheOneOver_andFreesOnClose() {
    ConnectionLimiter l = new ConnectionLimiter(100, 2);
    EmbeddedChannel a = new EmbeddedChannel(l);
    EmbeddedChannel b = new EmbeddedChannel(l);
    EmbeddedChannel c = new EmbeddedChannel(l);
    assertThat(a.isOpen()).isTrue();
    assertThat(b.isOpen()).isTrue();
    assertThat(c.isOpen()).isFalse(); // embedded channels share one address
    assertThat(l.open()).isEqualTo(2);
    assertThat(l.refused()).isEqualTo(1);
    a.close();
    EmbeddedChannel d = new EmbeddedChannel(l);
    assertThat(d.isOpen()).isTrue();
    assertThat(l.open()).isEqualTo(2);
    b.close();
    d.close();
    assertThat(l.open()).isZero();
  }

  @Test
  void totalCap_refusesBeyond() {
    ConnectionLimiter l = new ConnectionLimiter(3, 1000);
    List<EmbeddedChannel> chs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      chs.add(new EmbeddedChannel(l));
    }
    assertThat(chs).filteredOn(EmbeddedChannel::isOpen).hasSize(3);
    assertThat(l.refused()).isEqualTo(2);
    chs.forEach(EmbeddedChannel::close);
    assertThat(l.open()).isZero();
  }
}
