/**
 * The HashDB client SDK. Content is hashed on this host ({@link org.hashdb.core.content.FileHasher});
 * only hashes travel. {@link org.hashdb.client.HashLookup} is the one lookup interface, implemented
 * over HTTP by {@link org.hashdb.client.HashDbClient} (built by its builder: batching, retries,
 * TLS pinning) and locally by {@link org.hashdb.client.EmbeddedHashDb} (a data directory, no
 * server). Results are value types ({@link org.hashdb.client.Query}, {@link
 * org.hashdb.client.LookupResult}, {@link org.hashdb.client.Match}); failures are unchecked
 * {@link org.hashdb.client.HashDbException}s whose subclass says what went wrong.
 *
 * <p>Companion package: {@link org.hashdb.core.hash} (in {@code hashdb-core}, a dependency of this
 * module) holds {@link org.hashdb.core.hash.HashType}, the hash types every call takes, and
 * {@link org.hashdb.core.content.FileHashes}. Nothing else outside this package is needed; {@link
 * org.hashdb.core.db.ListFilter} only for {@link org.hashdb.client.EmbeddedHashDb} with a list
 * filter.
 */
package org.hashdb.client;
