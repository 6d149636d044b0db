/**
 * The {@code hashdb} command line ({@link org.hashdb.server.cli.HashDbCommand} and its
 * subcommands). Server side: {@link org.hashdb.server.cli.ServeCommand} runs the lookup server
 * (graceful stop on SIGTERM, {@code --demo} for a throw-away demo), {@link
 * org.hashdb.server.cli.KeysCommand} manages API keys by editing the data directory's keys file
 * only, so it works while the server holds the database lock. The offline commands ({@code
 * import}, {@code lookup}, {@code stats}) open the data directory themselves.
 */
package org.hashdb.server.cli;
