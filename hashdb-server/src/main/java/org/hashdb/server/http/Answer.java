package org.hashdb.server.http;

import org.hashdb.server.ApiException;

/**
 * What the dispatcher writes for a request: its answer ({@code FullHttpResponse}, {@code
 * FileBody} or an {@link ApiException} to answer as an error) and whether the connection stays
 * open after it. {@link ResponseWriter} turns it into HTTP messages.
 */
record Answer(ServerRequest request, Object body, boolean keepAlive) {}
