package org.hashdb.core.db;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.hashdb.core.video.VpdqFrames;
import org.hashdb.core.video.VpdqText;

/** Checks the fields of entries and list names at the API boundary, with messages that say what. */
public final class EntryValidator {
  /** List names: a letter or digit, then letters, digits, '.', '_' or '-'; at most 64 characters. */
  public static final Pattern LIST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** Longest category in UTF-8 bytes. */
  public static final int MAX_CATEGORY_BYTES = 256;
  /** Longest source in UTF-8 bytes. */
  public static final int MAX_SOURCE_BYTES = 1024;

  /** Most distinct frames one video entry holds (24 hours at one frame per second). */
  public static final int MAX_VIDEO_FRAMES = VpdqText.MAX_FRAMES;

  private EntryValidator() {}

  /** Throws {@link IllegalArgumentException} naming the problem if {@code name} is no valid list name. */
  public static void checkListName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("list name is empty");
    }
    if (!LIST_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid list name (use 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
    }
  }

  /** Throws {@link IllegalArgumentException} if the entry cannot be stored. */
  public static void check(NewEntry e) {
    check(e, null);
  }

  /**
   * {@link #check(NewEntry)}, skipping the string fields that equal those of {@code previous},
   * an entry that passed the check (batches repeat them; the regex and UTF-8 length are not free).
   */
  static void check(NewEntry e, NewEntry previous) {
    if (e.value().length != e.type().byteLength()) {
      throw new IllegalArgumentException(
          e.type() + " value must be " + e.type().byteLength() + " bytes, got " + e.value().length);
    }
    if (e.type().isVideo()) {
      checkFrames(e);
    } else if (e.frames() != null) {
      throw new IllegalArgumentException(e.type() + " entries carry no frames");
    }
    if (previous == null || !e.list().equals(previous.list())) {
      checkListName(e.list());
    }
    if (previous == null || !e.category().equals(previous.category())) {
      checkText("category", e.category(), MAX_CATEGORY_BYTES);
    }
    if (previous == null || !e.source().equals(previous.source())) {
      checkText("source", e.source(), MAX_SOURCE_BYTES);
    }
  }

  /** A video entry: 1..MAX_VIDEO_FRAMES frames in canonical form, whose digest is the value. */
  private static void checkFrames(NewEntry e) {
    byte[] f = e.frames();
    if (f == null || f.length == 0) {
      throw new IllegalArgumentException("a vpdq entry needs at least one frame of quality >= "
          + VpdqFrames.DEFAULT_MIN_QUALITY);
    }
    if (f.length / 32 > MAX_VIDEO_FRAMES) {
      throw new IllegalArgumentException("a vpdq entry holds at most " + MAX_VIDEO_FRAMES + " frames");
    }
    if (!VpdqFrames.isCanonical(f)) {
      throw new IllegalArgumentException("vpdq frames are not distinct sorted 32-byte hashes");
    }
    if (!java.util.Arrays.equals(VpdqFrames.digest(f), e.value())) {
      throw new IllegalArgumentException("vpdq value is not the digest of its frames");
    }
  }

  private static void checkText(String field, String s, int maxBytes) {
    if (s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
      throw new IllegalArgumentException(field + " longer than " + maxBytes + " bytes");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new IllegalArgumentException(field + " contains a control character at " + i);
      }
    }
  }
}
