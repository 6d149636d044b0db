/**
 * Hash types and their text codec. Everything above this package speaks {@link
 * org.hashdb.core.hash.HashType} plus raw value bytes; hex exists only at the edges (files, HTTP,
 * command line). Hashing the content of files is {@code org.hashdb.core.content}.
 */
package org.hashdb.core.hash;
