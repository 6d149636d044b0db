/**
 * PDQ perceptual image hashing and near-duplicate search.
 *
 * <p>{@link org.hashdb.core.pdq.PdqHasher} decodes an image (JDK ImageIO plus TwelveMonkeys, with
 * a pixel cap checked before decoding) and computes its 256-bit {@link
 * org.hashdb.core.pdq.PdqHash} and quality, bit-compatible with Meta's reference as described in
 * PDQ-ALGORITHM.md, plus the 8 {@link org.hashdb.core.pdq.Dihedral} variants. Undecodable input
 * fails with {@link org.hashdb.core.pdq.ImageDecodeException}.
 *
 * <p>{@link org.hashdb.core.pdq.PdqIndex} stores hashes and finds every one within a Hamming
 * distance of a query (default 31 of 256), returning {@link org.hashdb.core.pdq.PdqHits}; {@link
 * org.hashdb.core.pdq.PdqBits} has the shared bit-level helpers. Hashes are 32 bytes, big-endian
 * in the order of their 64-digit hex form, everywhere in this package.
 */
package org.hashdb.core.pdq;
