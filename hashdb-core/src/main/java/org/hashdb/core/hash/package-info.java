/**
 * Hash types and their text codec. Everything above this package speaks {@link
 * org.hashdb.core.hash.HashType} plus raw value bytes; hex exists only at the edges (files, HTTP,
 * command line).
 *
 * <p>{@link org.hashdb.core.hash.FileHasher} computes a file's MD5, SHA-1, SHA-256 and (for
 * images) PDQ in one pass, as {@link org.hashdb.core.hash.FileHashes}.
 */
package org.hashdb.core.hash;
