/**
 * Client-side commands of the {@code hashdb} command line. {@link
 * org.hashdb.client.cli.HashCommand} ({@code hashdb hash}) prints the MD5, SHA-1, SHA-256 and
 * PDQ hashes of files, computed locally; {@link org.hashdb.client.cli.ScanCommand} ({@code hashdb
 * scan}) hashes whole trees locally and looks the hashes up on a server or in a local data
 * directory, exiting like clamscan (0 clean, 1 matches, 2 error). The root command registers the commands of this
 * package as subcommands when the client module is on the class path. Commands write through
 * picocli's output and error writers, so tests can capture both.
 */
package org.hashdb.client.cli;
