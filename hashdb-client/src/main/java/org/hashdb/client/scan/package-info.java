/**
 * The storage scanner behind {@code hashdb scan}: {@link org.hashdb.client.scan.TreeScanner} walks
 * trees, hashes every regular file on N threads (streamed, constant memory; content never leaves
 * the host), looks the hashes up in batches through any {@link org.hashdb.client.HashLookup} and
 * reports matches and problems to a {@link org.hashdb.client.scan.ScanListener}. {@link
 * org.hashdb.client.scan.HashCache} remembers each path's {@link org.hashdb.client.scan.FileStamp}
 * (device, inode, size, mtime, ctime) and hashes across runs in a crash-safe append-only log; {@link org.hashdb.client.scan.ReportWriter} writes JSON or CSV
 * reports; {@link org.hashdb.client.scan.ReportPath} keeps file names that are not valid UTF-8
 * lossless.
 */
package org.hashdb.client.scan;
