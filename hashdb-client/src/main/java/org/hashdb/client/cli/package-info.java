/**
 * The client module's commands of the {@code hashdb} command line: {@code scan} ({@link
 * org.hashdb.client.cli.ScanCommand}) and {@code hash}. They are picocli commands that the root
 * command in the server module registers when this module is on the class path; output goes to
 * the command line's out/err writers, so tests can capture it.
 */
package org.hashdb.client.cli;
