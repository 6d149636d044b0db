/**
 * The hash database: {@link org.hashdb.core.db.HashDatabase} and its value types.
 *
 * <p>Layout: per hash type a {@code TypeStore} holds the value index ({@code ExactIndex} or
 * {@code PdqIndex}) and columns (list, category, source, time) indexed by the type's dense
 * ordinal; entry ids are {@code type << 28 | ordinal} ({@link org.hashdb.core.db.EntryIds}).
 * Everything is append-only; removals and list membership live in RoaringBitmaps inside an
 * immutable {@code State} that the single writer republishes after each change, so readers never
 * lock. Changes go through a {@code ChangeLog} (the write-ahead log) before they are
 * acknowledged.
 */
package org.hashdb.core.db;
