/**
 * Hash list files: streaming import of CSV and hex lists ({@link org.hashdb.core.lists.ListReader})
 * with per-line errors, and signed list releases: a supplier signs a list with
 * {@link org.hashdb.core.lists.ListReleaseWriter} and an {@link org.hashdb.core.lists.Ed25519KeyPair};
 * operators import it only after {@link org.hashdb.core.lists.ListRelease} has verified it against
 * their {@link org.hashdb.core.lists.TrustedKeys}. The file layout is in
 * {@link org.hashdb.core.lists.ListReleaseFormat}.
 */
package org.hashdb.core.lists;
