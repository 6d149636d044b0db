/**
 * The HashDB lookup server. {@link org.hashdb.server.ServerConfig} holds every tunable (bind
 * address, limits, timeouts); the packages hold the parts: {@code http} (Netty bootstrap,
 * pipeline and the connection handler), {@code api} (routes and their JSON/binary codecs),
 * {@code auth} (keys, roles, rate limits), {@code metrics}, {@code audit} and {@code cli} (the
 * {@code serve} and {@code keys} commands).
 */
package org.hashdb.server;
