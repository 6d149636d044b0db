/**
 * The HashDB client SDK. Content is hashed on this host ({@link org.hashdb.core.content.FileHasher});
 * only hashes travel. {@link org.hashdb.client.HashLookup} is the one lookup interface, implemented
 * over HTTP by {@link org.hashdb.client.HashDbClient} (built by its builder: batching, retries,
 * failover over several base URLs, TLS pinning and client certificates) and locally by {@link org.hashdb.client.EmbeddedHashDb} (a data directory, no
 * server). Results are value types ({@link org.hashdb.client.Query}, {@link
 * org.hashdb.client.LookupResult}, {@link org.hashdb.client.Match}); failures are unchecked
 * {@link org.hashdb.client.HashDbException}s whose subclass says what went wrong.
 *
 * <p>Behind the API, package-private: the JSON codecs of the lookup API ({@code JsonCodec},
 * {@code VideoJson}), the retrying sender that fails over between base URLs ({@code
 * Endpoints}: which one next) and maps HTTP failures to exceptions, TLS trust, pinning and client
 * certificates ({@code Tls}, {@code ClientCertificate}), and the client side of private lookups ({@code PrivateLookups}: blinds
 * each hash under the server's RFC 9497 VOPRF key, sends only the blinded element and a coarse
 * bucket, verifies the batched DLEQ proof against the pinned key and compares locally, so the
 * server never sees a hash).
 *
 * <p>Companion packages, in {@code hashdb-core} (a dependency of this module):
 * {@link org.hashdb.core.hash} holds {@link org.hashdb.core.hash.HashType}, the hash types every
 * call takes; {@link org.hashdb.core.content} holds {@link org.hashdb.core.content.FileHashes};
 * {@link org.hashdb.core.db.ListFilter} is needed only for {@link
 * org.hashdb.client.EmbeddedHashDb} with a list filter.
 */
package org.hashdb.client;
