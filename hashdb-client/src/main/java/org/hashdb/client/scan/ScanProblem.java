package org.hashdb.client.scan;

/**
 * A file or directory the scan could not check, or skipped for a reason worth telling.
 *
 * @param path the file or directory
 * @param message what went wrong ("permission denied", "changed while being read", ...)
 * @param error true when it counts as an error (unreadable content); false for a skip that loses
 *     nothing (a file that vanished, a symlink loop)
 */
public record ScanProblem(ReportPath path, String message, boolean error) {}
