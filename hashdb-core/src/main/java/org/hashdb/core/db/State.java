package org.hashdb.core.db;

import org.roaringbitmap.RoaringBitmap;

/**
 * The published, immutable part of the database that readers take with one volatile read: how
 * many entries of each type are visible, which are removed, who is on which list. The writer
 * copies what it changes (copy-on-write) and publishes a new State after each change, so a
 * reader always sees one consistent sequence number. Bitmaps in a State are never modified.
 *
 * @param sequence last change applied
 * @param lists list registry at that change
 * @param visible per type ordinal: entries with ordinal below this are visible
 * @param removed per type ordinal: ordinals of removed entries
 * @param members per list id: live entry ids on that list
 */
record State(
    long sequence,
    ListRegistry.Snapshot lists,
    int[] visible,
    RoaringBitmap[] removed,
    RoaringBitmap[] members) {

  boolean isLive(int typeOrdinal, int ordinal) {
    return ordinal < visible[typeOrdinal] && !removed[typeOrdinal].contains(ordinal);
  }

  long liveCount(int typeOrdinal) {
    return visible[typeOrdinal] - removed[typeOrdinal].getLongCardinality();
  }
}
