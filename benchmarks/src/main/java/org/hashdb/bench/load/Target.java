package org.hashdb.bench.load;

import java.io.Closeable;
import java.io.IOException;

/** One connection to a server under test that answers batch membership queries. */
interface Target extends Closeable {
  /**
   * Checks {@code count} 32-byte values stored back to back in {@code values} from {@code off};
   * returns how many are members.
   */
  int check(byte[] values, int off, int count) throws IOException;
}
