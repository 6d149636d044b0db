package org.hashdb.client;

/**
 * Every server tried answered at a sequence number below one this client had already seen (a
 * replica behind the primary or behind another replica), through every retry the {@link
 * RetryPolicy} allows. The client does not use such an answer: it could miss entries added since.
 * A server restored to an earlier state: build a new client.
 */
public final class StaleAnswerException extends HashDbException {
  private static final long serialVersionUID = 1L;

  private final long answeredAt;
  private final long alreadySeen;

  public StaleAnswerException(String message, long answeredAt, long alreadySeen) {
    super(message, 0, null, null);
    this.answeredAt = answeredAt;
    this.alreadySeen = alreadySeen;
  }

  /** The sequence number of the freshest answer received. */
  public long answeredAt() {
    return answeredAt;
  }

  /** The sequence number the client had seen before sending. */
  public long alreadySeen() {
    return alreadySeen;
  }
}
