/**
 * The server as one object: {@link org.hashdb.server.service.HashDbService} wires the database,
 * keys, logs, private lookups and the HTTP listener, and owns start-up, key reload, shutdown and
 * signals. {@code hashdb serve} only parses options into its builder; tests and programs that
 * embed a server make one builder call. It sits above every other server package, so the shared
 * root package ({@code ServerConfig}) never depends on what it configures.
 */
package org.hashdb.server.service;
