/**
 * The exact-hash index: {@link org.hashdb.core.exact.ExactIndex} maps fixed-length hash values
 * (MD5, SHA-1, SHA-256) to the dense ordinals of the entries that carry them. It is a flat,
 * append-only open-addressing table with one writer and lock-free readers; the database layer
 * ({@code org.hashdb.core.db}) maps ordinals to entry ids and filters deletions and list
 * visibility with bitmaps, so this package never removes anything.
 */
package org.hashdb.core.exact;
