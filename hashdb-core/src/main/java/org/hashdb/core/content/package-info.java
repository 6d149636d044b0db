/**
 * Content hashing of files: {@link org.hashdb.core.content.FileHasher} computes a file's MD5,
 * SHA-1, SHA-256 and (for images, recognised by {@link org.hashdb.core.content.ImageMagic}) PDQ
 * in one pass, as {@link org.hashdb.core.content.FileHashes}. It sits above both the hash types
 * ({@code org.hashdb.core.hash}) and the PDQ hasher ({@code org.hashdb.core.pdq}), so neither of
 * those needs the other's files.
 */
package org.hashdb.core.content;
