/**
 * Internals of {@link org.hashdb.client.HashDbClient}: the JSON and binary codecs of the lookup
 * API, the retrying sender that maps HTTP failures to {@link org.hashdb.client.HashDbException}s,
 * and TLS trust material with certificate pinning. Public only so the client package can use it;
 * not an API: it may change in any release.
 */
package org.hashdb.client.transport;
