package org.hashdb.server.auth;

import java.util.List;

/**
 * One record of the keys file. Holds no secret: only the salt and SHA-256(salt || secret).
 *
 * @param id public key id (16 lowercase hex digits), the lookup key
 * @param name unique name, shown in logs and by {@code keys list}
 * @param role what the key may do ({@link Role#apiName()})
 * @param lists lists the key may see, null for all
 * @param rate requests per second, 0 for unlimited
 * @param maxDistance ceiling for a PDQ query's {@code maxDistance}; null (key files written
 *     before the field existed) means the role's default, {@link Role#defaultMaxDistance()}
 * @param salt 16 random bytes, hex
 * @param hash SHA-256(salt || secret bytes), hex
 * @param created creation time, ISO-8601
 */
public record StoredKey(
    String id, String name, String role, List<String> lists, int rate, Integer maxDistance, String salt, String hash,
    String created) {

  /** The PDQ distance ceiling of this key: the stored one, else its role's default. */
  public int distanceCeiling() {
    return maxDistance != null ? maxDistance : Role.parse(role).defaultMaxDistance();
  }
}
