/**
 * The Netty side of the server, in the shape of Netty's examples: {@link
 * org.hashdb.server.http.HashDbServer} (bootstrap, epoll where available, graceful stop),
 * {@link org.hashdb.server.http.HashDbServerInitializer} (the pipeline only: TLS and ALPN,
 * HTTP/1.1 codec with its header limits, HTTP/2 multiplexing, timeouts) and {@link
 * org.hashdb.server.http.HashDbServerHandler} (one per HTTP/1.1 connection or HTTP/2 stream:
 * routing, authentication before the body, body limits, pipelined responses in request order,
 * the one {@code sendError} path every error response takes, and the access log line of every
 * answered request, offered when its last byte is written, from what {@link
 * org.hashdb.server.http.AccessRecord} gathered of the request).
 */
package org.hashdb.server.http;
