package org.hashdb.core.pdq;

/**
 * The eight rotations and flips of an image, in the reference's print order, which is also the
 * order of {@link PdqHasher#hashDihedral}. Their hashes come from sign changes and transposition
 * of the 16x16 DCT block (PDQ-ALGORITHM.md §9), not from re-hashing pixels.
 */
public enum Dihedral {
  /** As stored. */
  ORIGINAL("orig", false),
  /** Rotated 90 degrees counter-clockwise. */
  ROTATE_90("rot90", true),
  ROTATE_180("rot180", false),
  /** Rotated 90 degrees clockwise. */
  ROTATE_270("rot270", true),
  /** Mirrored top to bottom (upside down). */
  FLIP_X("flipx", false),
  /** Mirrored left to right. */
  FLIP_Y("flipy", false),
  /** Transposed about the main diagonal: pixel (r, c) goes to (c, r). */
  FLIP_PLUS_1("flipplus1", true),
  /** Transposed about the anti-diagonal. */
  FLIP_MINUS_1("flipminus1", true);

  private final String referenceName;
  private final boolean transposes;

  Dihedral(String referenceName, boolean transposes) {
    this.referenceName = referenceName;
    this.transposes = transposes;
  }

  /** The reference tool's name: {@code orig, rot90, rot180, rot270, flipx, flipy, flipplus1, flipminus1}. */
  public String referenceName() {
    return referenceName;
  }

  /** True when the transform swaps the image axes (and so transposes the DCT block). */
  public boolean transposes() {
    return transposes;
  }
}
