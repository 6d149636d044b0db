package org.hashdb.client;

/**
 * A server's {@code GET /v1/psi/config}.
 *
 * @param bucketBits bits of SHA-256(input) that make a bucket
 * @param bucketSize values per bucket in an answer
 * @param maxQueries queries per request
 * @param publicKey the current OPRF public key, hex
 * @param previousPublicKey the previous key while it is still served, else null
 */
public record PsiConfig(int bucketBits, int bucketSize, int maxQueries, String publicKey,
    String previousPublicKey) {}
