/**
 * Hash list files: streaming import of CSV and hex lists ({@link org.hashdb.core.lists.ListReader},
 * layouts in {@link org.hashdb.core.lists.ListFormat}) with per-line errors
 * ({@link org.hashdb.core.lists.LineError}). Signing and encrypting whole lists for transport is
 * {@code org.hashdb.core.release}.
 */
package org.hashdb.core.lists;
