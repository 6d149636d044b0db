/**
 * The client side of private lookups (API.md, "Private lookups"): blinds each hash under the
 * server's RFC 9497 VOPRF key, sends only the blinded element and a coarse bucket, verifies the
 * batched DLEQ proof against the pinned key, finalizes and compares locally with the bucket's
 * PRF outputs. The server never sees a hash; the client only ever sees PRF outputs of the
 * buckets it asked for.
 */
package org.hashdb.client.psi;
