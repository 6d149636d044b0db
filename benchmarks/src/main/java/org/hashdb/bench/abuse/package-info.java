/**
 * Attacks on a running server, shared by {@code benchmarks/abuse.sh} and the abuse tests:
 * {@link org.hashdb.bench.abuse.AbuseRun} runs each one (pipelined non-readers, trickled
 * bodies, slowloris heads, idle connections, an HTTP/2 stream flood, heavy PDQ batches, an
 * audit flood) while a well-behaved client looks up a hash every 100 ms, and reports the
 * server's RSS growth, that client's worst latency and how many slow connections the server
 * closed. Attack sockets come from 127.0.0.2 on a loopback server, so per-address caps hit the
 * attacker, not the client.
 */
package org.hashdb.bench.abuse;
