package org.hashdb.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Iterator;
import java.util.Map;
import org.hashdb.server.ServerConfig;

/**
 * Protocol checks of a request head, before anything looks at its meaning: a head the codec
 * could not parse (400, or 431 when too long), a version other than HTTP/1.x (505: a cleartext
 * {@code HTTP/2.0} or {@code HTTP/3.0} request line is not served as 1.1), more header fields
 * than {@code maxHeaderFields} or more head bytes than {@code maxHeaderBytes} (431). Turns the
 * codec's head into a {@link ServerRequest}; a {@link FullHttpRequest} (an HTTP/2 stream
 * without body, or a head the codec rejected) follows it as the body's last content. One
 * instance per channel.
 */
final class ProtocolCheck extends ChannelInboundHandlerAdapter {
  private final ServerConfig config;

  ProtocolCheck(ServerConfig config) {
    this.config = config;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpRequest req)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ctx.fireChannelRead(check(new ServerRequest(req, System.nanoTime())));
    if (msg instanceof FullHttpRequest) {
      ctx.fireChannelRead(msg); // as the body's LastHttpContent
    }
  }

  ServerRequest check(ServerRequest r) {
    HttpRequest req = r.http;
    DecoderResult dr = req.decoderResult();
    if (dr.isFailure()) {
      // the codec discards everything after a bad message: the connection cannot go on
      if (dr.cause() instanceof TooLongFrameException) {
        return tooLarge(r);
      }
      return r.reject(HttpResponseStatus.BAD_REQUEST, "invalid_request",
          "malformed HTTP request: " + dr.cause().getMessage(), true);
    }
    if (req.protocolVersion().majorVersion() != 1) {
      return r.reject(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
          "http_version_not_supported",
          req.protocolVersion().text() + " is not supported here (use HTTP/1.1, or HTTP/2 over"
              + " TLS)", true);
    }
    if (req.headers().size() > config.maxHeaderFields()) {
      return r.reject(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "request_header_fields_too_large",
          "more than " + config.maxHeaderFields() + " header fields", true);
    }
    if (headBytes(req) > config.maxHeaderBytes()) {
      return tooLarge(r);
    }
    return r;
  }

  private ServerRequest tooLarge(ServerRequest r) {
    return r.reject(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
        "request_header_fields_too_large",
        "request line and headers exceed " + config.maxHeaderBytes() + " bytes", true);
  }

  /** Bytes of the request line and header lines, line ends excluded (the header limit). */
  static long headBytes(HttpRequest req) {
    long n = req.method().name().length() + 1 + req.uri().length() + 1
        + req.protocolVersion().text().length();
    Iterator<Map.Entry<CharSequence, CharSequence>> it = req.headers().iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> h = it.next();
      n += h.getKey().length() + 2 + h.getValue().length();
    }
    return n;
  }
}
