package org.hashdb.core.video;

import java.util.Locale;

/** The rule by which a stored video matched a query (see {@link VpdqMatchOptions}). */
public enum VpdqRule {
  /** Meta's vPDQ rule: enough of the stored video is in the query (and enough of the query in it). */
  VPDQ,
  /** Most of the query is found in the stored video: the query is an excerpt of it. */
  EXCERPT;

  /** Lowercase name used by the API: {@code vpdq}, {@code excerpt}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
