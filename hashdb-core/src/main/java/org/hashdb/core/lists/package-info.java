/**
 * Hash list files: streaming import of CSV and hex lists ({@link org.hashdb.core.lists.ListReader})
 * with per-line errors, and signed list releases: a supplier signs a list with
 * {@link org.hashdb.core.lists.ListReleaseWriter} and an {@link org.hashdb.core.lists.Ed25519KeyPair};
 * operators import it only after {@link org.hashdb.core.lists.ListRelease} has verified it against
 * their {@link org.hashdb.core.lists.TrustedKeys}. The file layout is in
 * {@link org.hashdb.core.lists.ListReleaseFormat}.
 *
 * <p>For transport over channels the parties do not control, a signed release is encrypted as a
 * whole to the operator's {@link org.hashdb.core.lists.X25519KeyPair} with
 * {@link org.hashdb.core.lists.ReleaseEncryption} (sign, then encrypt); the operator decrypts in
 * the same pass as verification. That envelope's layout is in
 * {@link org.hashdb.core.lists.ReleaseEnvelopeFormat}.
 */
package org.hashdb.core.lists;
