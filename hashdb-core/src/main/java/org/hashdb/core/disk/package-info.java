/**
 * Persistence primitives of the database: the containers, not their content.
 *
 * <ul>
 *   <li>{@link org.hashdb.core.disk.WriteAheadLog}: segmented, checksummed change log with
 *       group commit; {@code sync(seq)} returning means every record up to {@code seq} is on
 *       disk, which is when a change may be acknowledged. Start-up recovery cuts off a torn last
 *       record and refuses any other damage. Also serves the replicas' change feed.
 *   <li>{@link org.hashdb.core.disk.SnapshotWriter} / {@link
 *       org.hashdb.core.disk.SnapshotReader}: one file of checksummed sections, written to a
 *       temp file and atomically renamed; {@link org.hashdb.core.disk.SnapshotFiles} lists and
 *       prunes them.
 *   <li>{@link org.hashdb.core.disk.DataDirectoryLock}: one process per data directory.
 * </ul>
 *
 * Each binary layout is described once, in {@link org.hashdb.core.disk.WalFormat} and {@link
 * org.hashdb.core.disk.SnapshotFormat} (format version, little-endian, CRC32C). What goes into
 * a record or a section is decided by {@code org.hashdb.core.db}. Damage is always reported as
 * {@link org.hashdb.core.disk.CorruptDataException} naming file and byte offset; nothing here
 * skips data silently.
 */
package org.hashdb.core.disk;
