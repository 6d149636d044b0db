/**
 * Private lookups: an RFC 9497 verifiable oblivious PRF (mode {@code modeVOPRF}, suite
 * {@code P256-SHA256}) over Bouncy Castle's P-256 arithmetic, with RFC 9380 hash-to-curve
 * ({@code P256_XMD:SHA-256_SSWU_RO_}).
 *
 * <p>{@link org.hashdb.core.psi.Voprf} holds the group operations, serialization and the
 * DLEQ proofs; {@link org.hashdb.core.psi.VoprfServer} evaluates batches for a private key;
 * {@link org.hashdb.core.psi.VoprfClient} blinds, verifies and finalizes against a public key;
 * {@link org.hashdb.core.psi.PsiInput} defines what HashDB feeds the PRF and how it buckets.
 * Every class here is immutable or stateless and safe for concurrent use unless it says
 * otherwise. Nothing here is constant-time beyond what Bouncy Castle provides; see
 * docs/DESIGN.md ("Private lookups") for what that means for the server key.
 */
package org.hashdb.core.psi;
