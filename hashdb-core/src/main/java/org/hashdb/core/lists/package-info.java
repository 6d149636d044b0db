/**
 * Hash list files: streaming import of CSV and hex lists ({@link org.hashdb.core.lists.ListReader})
 * with per-line errors. Signed list releases will live here too.
 */
package org.hashdb.core.lists;
