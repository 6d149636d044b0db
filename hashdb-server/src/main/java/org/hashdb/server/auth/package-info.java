/**
 * API keys, roles and per-key rate limits.
 *
 * <p>A key is {@code hdb_<16 hex id>_<64 hex secret>}: 64 random bits of id and 256 random bits of
 * secret. The id is in clear so the server finds the stored record in O(1); the secret is kept
 * only as SHA-256(salt || secret) and compared with {@link java.security.MessageDigest#isEqual}.
 * A fast hash is the right choice here: the secret is 256 uniformly random bits, so there is
 * nothing to brute-force that a slow password hash would protect, and verification stays cheap
 * enough to run on every request.
 *
 * <p>{@link org.hashdb.server.auth.KeyFile} owns the keys file ({@code keys.json} in the data
 * directory, written atomically with mode 600) and is what the {@code keys} command edits while a
 * server runs; {@link org.hashdb.server.auth.KeyRing} is the server's read side, which polls the
 * file and swaps in a new immutable key map when it changes. {@link
 * org.hashdb.server.auth.RateLimiter} is a lock-free token bucket per key.
 */
package org.hashdb.server.auth;
