package org.hashdb.core.db;

import java.util.Objects;

/**
 * The signed release a list change came from: who signed it and its number, kept per list and
 * signer by {@link ReleaseLedger} so that an older release is refused.
 *
 * @param signer the signing key's id (16 hex digits)
 * @param number the supplier's release number (&gt;= 0)
 * @param allowRollback true when the operator explicitly allowed a number not above the last one
 */
public record ReleaseMark(String signer, long number, boolean allowRollback) {
  public ReleaseMark {
    Objects.requireNonNull(signer, "signer");
    if (!signer.matches("[0-9a-f]{1,64}")) {
      throw new IllegalArgumentException("signer must be a key id of 1..64 lowercase hex digits");
    }
    if (number < 0) {
      throw new IllegalArgumentException("release number must be >= 0, got " + number);
    }
  }
}
