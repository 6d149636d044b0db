/**
 * Hash types and their text codec. Everything above this package speaks {@link
 * org.hashdb.core.hash.HashType} plus raw value bytes; hex exists only at the edges (files, HTTP,
 * command line).
 */
package org.hashdb.core.hash;
