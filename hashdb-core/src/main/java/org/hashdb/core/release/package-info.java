/**
 * Signed and encrypted list releases, and the key files they use: a supplier signs a list with
 * {@link org.hashdb.core.release.ListReleaseWriter} and an
 * {@link org.hashdb.core.release.Ed25519KeyPair}; operators import it only after
 * {@link org.hashdb.core.release.ListRelease} has verified it against their
 * {@link org.hashdb.core.release.TrustedKeys}. The file layout is in
 * {@link org.hashdb.core.release.ListReleaseFormat}; the list inside is read with
 * {@code org.hashdb.core.lists}.
 *
 * <p>For transport over channels the parties do not control, a signed release is encrypted as a
 * whole to the operator's {@link org.hashdb.core.release.X25519KeyPair} with
 * {@link org.hashdb.core.release.ReleaseEncryption} (sign, then encrypt); the operator decrypts in
 * the same pass as verification. That envelope's layout is in
 * {@link org.hashdb.core.release.ReleaseEnvelopeFormat}.
 */
package org.hashdb.core.release;
