package org.hashdb.server.api;

import io.netty.handler.codec.http.HttpResponse;
import java.nio.file.Path;

/**
 * A response whose body is a file, streamed by the HTTP layer (a snapshot download).
 *
 * @param head status and headers; Content-Length is set by the HTTP layer
 * @param file the body
 * @param deleteAfter delete {@code file} once sent (or once the send failed)
 */
public record FileBody(HttpResponse head, Path file, boolean deleteAfter) {}
