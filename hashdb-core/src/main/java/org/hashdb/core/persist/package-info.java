/**
 * Persistence primitives of the database: the containers, not their content.
 *
 * <ul>
 *   <li>{@link org.hashdb.core.persist.WriteAheadLog}: segmented, checksummed change log with
 *       group commit; {@code sync(seq)} returning means every record up to {@code seq} is on
 *       disk, which is when a change may be acknowledged. Start-up recovery cuts off a torn last
 *       record and refuses any other damage. Also serves the replicas' change feed.
 *   <li>{@link org.hashdb.core.persist.SnapshotWriter} / {@link
 *       org.hashdb.core.persist.SnapshotReader}: one file of checksummed sections, written to a
 *       temp file and atomically renamed; {@link org.hashdb.core.persist.SnapshotFiles} lists and
 *       prunes them.
 *   <li>{@link org.hashdb.core.persist.DataDirectoryLock}: one process per data directory.
 * </ul>
 *
 * Each binary layout is described once, in {@link org.hashdb.core.persist.WalFormat} and {@link
 * org.hashdb.core.persist.SnapshotFormat} (format version, little-endian, CRC32C). What goes into
 * a record or a section is decided by {@code org.hashdb.core.store}. Damage is always reported as
 * {@link org.hashdb.core.persist.CorruptDataException} naming file and byte offset; nothing here
 * skips data silently.
 */
package org.hashdb.core.persist;
