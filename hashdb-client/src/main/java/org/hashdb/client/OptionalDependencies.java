package org.hashdb.client;

/**
 * The client's optional jars: Bouncy Castle for private lookups, RoaringBitmap for embedded mode.
 * An SDK user who needs neither leaves them out; one who calls the feature without the jar gets
 * an error naming it, rather than a {@link NoClassDefFoundError} from deep inside core.
 */
final class OptionalDependencies {
  private OptionalDependencies() {}

  static void requireBouncyCastle(String feature) {
    require("org.bouncycastle.math.ec.ECPoint", feature, "org.bouncycastle:bcprov-jdk18on");
  }

  static void requireRoaringBitmap(String feature) {
    require("org.roaringbitmap.RoaringBitmap", feature, "org.roaringbitmap:RoaringBitmap");
  }

  private static void require(String className, String feature, String artifact) {
    try {
      Class.forName(className, false, OptionalDependencies.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(feature + " needs " + artifact
          + ", an optional dependency of hashdb-client: add it to your build (see README,"
          + " \"Client dependencies\")");
    }
  }
}
