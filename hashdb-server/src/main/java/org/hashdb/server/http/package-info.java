/**
 * The Netty side of the server, in the shape of Netty's examples: {@link
 * org.hashdb.server.http.HashDbServer} (bootstrap, epoll where available, write-buffer water
 * marks, graceful stop), {@link org.hashdb.server.http.HashDbServerInitializer} (the pipeline
 * only: connection caps, TLS and ALPN, HTTP/1.1 codec, HTTP/2 multiplexing with its stream and
 * header-list limits) and the request stages, one job each, on every HTTP/1.1 connection and
 * HTTP/2 stream: {@link org.hashdb.server.http.RequestDeadlines} (head, body-rate, request and
 * send deadlines), {@link org.hashdb.server.http.WriteBackPressure} (no reading while answers
 * pile up), {@link org.hashdb.server.http.ProtocolCheck} (version, header fields and bytes),
 * {@link org.hashdb.server.http.RouteAuthenticator} (route, key, role), {@link
 * org.hashdb.server.http.KeyBudgetCheck} (the key's rate), {@link
 * org.hashdb.server.http.BodyAggregator} (bodies grown from the bytes that arrive, within the
 * {@link org.hashdb.server.http.BodyBudget}), {@link org.hashdb.server.http.ResponseWriter}
 * (each {@link org.hashdb.server.http.Answer} as HTTP messages: length, keep-alive or close,
 * errors, files; counting and the access log line) and the dispatcher {@link
 * org.hashdb.server.http.HashDbServerHandler} (answers in request order; an import's body goes
 * to its worker through an {@link org.hashdb.server.http.ImportStream}). A request travels
 * between stages as a {@link org.hashdb.server.http.ServerRequest}; a stage that refuses it
 * attaches the error and the dispatcher answers it in order. {@link
 * org.hashdb.server.http.StartupWarmup} runs requests through this pipeline in-process before
 * the port opens.
 */
package org.hashdb.server.http;
