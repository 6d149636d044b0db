package org.hashdb.core.release;

import java.util.Base64;
import java.util.function.Consumer;

/**
 * Reads the text of a public key file, one key a line: {@code <prefix><base64 of the raw key>
 * [name]}; blank lines and lines starting with {@code #} are skipped. The trust file of signing
 * keys ({@link TrustedKeys}) and the recipient file of an encryption key ({@link X25519KeyPair})
 * are read by this one parser; each checks the raw key itself. Messages name origin and line.
 *
 * @param prefix what a key line starts with, e.g. {@code ed25519:}
 * @param privatePrefix what a private key's line starts with: such a line is refused
 * @param privateHint the message for a private key line
 * @param otherPrefix the prefix of the other kind of key, or null
 * @param otherHint appended to the message for a line of the other kind
 * @param single true when the file holds exactly one key
 */
record PublicKeyLines(String prefix, String privatePrefix, String privateHint, String otherPrefix,
    String otherHint, boolean single) {
  static final int MAX_NAME_CHARS = 200;

  /**
   * One key line.
   *
   * @param raw the decoded key, not yet checked
   * @param name its label ("" when none)
   * @param where {@code "<origin> line <n>: "}, to start messages about it with
   */
  record Line(byte[] raw, String name, String where) {}

  /** Parses {@code text}, handing each key line to {@code each} in file order. */
  void forEach(String text, String origin, Consumer<Line> each) {
    String[] lines = text.split("\n", -1);
    boolean seen = false;
    for (int i = 0; i < lines.length; i++) {
      String s = lines[i].strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      String where = origin + " line " + (i + 1) + ": ";
      if (s.startsWith(privatePrefix)) {
        throw new IllegalArgumentException(where + privateHint);
      }
      if (!s.startsWith(prefix)) {
        throw new IllegalArgumentException(where + "expected '" + prefix + "<base64 key> [name]'"
            + (otherPrefix != null && s.startsWith(otherPrefix) ? otherHint : ""));
      }
      if (single && seen) {
        throw new IllegalArgumentException(where + "more than one key; a recipient file holds one");
      }
      seen = true;
      each.accept(line(s.substring(prefix.length()), where));
    }
  }

  private static Line line(String rest, String where) {
    int space = 0;
    while (space < rest.length() && !Character.isWhitespace(rest.charAt(space))) {
      space++;
    }
    String name = rest.substring(space).strip();
    if (name.length() > MAX_NAME_CHARS) {
      throw new IllegalArgumentException(where + "key name longer than " + MAX_NAME_CHARS + " characters");
    }
    try {
      return new Line(Base64.getDecoder().decode(rest.substring(0, space)), name, where);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "key is not valid base64");
    }
  }
}
