package org.hashdb.core.db;

/**
 * A release whose number is not above the last one imported for its list from the same signer,
 * refused because the operator did not allow a rollback. Nothing was changed.
 */
public final class ReleaseRollbackException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String list;
  private final String signer;
  private final long given;
  private final long last;

  ReleaseRollbackException(String list, String signer, long given, long last) {
    super("list " + list + ": release " + given + " signed by key " + signer + " is "
        + (given == last ? "the same as" : "older than") + " release " + last
        + ", the last one imported from that signer; nothing imported");
    this.list = list;
    this.signer = signer;
    this.given = given;
    this.last = last;
  }

  /** The list the release is of. */
  public String list() {
    return list;
  }

  /** The signing key's id. */
  public String signer() {
    return signer;
  }

  /** The refused release's number. */
  public long given() {
    return given;
  }

  /** The highest number imported before. */
  public long last() {
    return last;
  }
}
