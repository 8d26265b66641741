#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/http/Router.h"
#include "base/Histogram.h"
#include "base/Result.h"
#include "io/Address.h"

namespace boost::asio {
class io_context;
}

namespace ocellus::api::http {

namespace detail {
struct ServerState;
}

// The control plane's HTTP/1.1 and WebSocket server (Boost.Beast inside, plain types outside):
// REST, JSON-RPC at /ws, file downloads, /metrics, WHEP, HLS and the dashboard all sit behind
// one Router. Handlers run on the one io_context given (the control loop), which must be run
// by a single thread, and must not block it. Connections live there too, unless
// Options::connectionLoop names other loops for their I/O (reading, parsing, writing, TLS: so
// that a thousand LL-HLS players are not one thread's ten thousand syscalls a second): then a
// request is posted to the control loop for its handler, with a copy of the HttpRequest that
// lives until the reply, and the reply is posted back — except for media routes
// (RouteKind::Media), whose handlers run in place on the connection's loop. A connection
// upgraded to a WebSocket stays on its loop for its reads and writes (so that telling a
// thousand clients is not one thread's thousand sendmsg calls), while its callbacks still run
// on the control loop.
//
// Per connection: requests are answered in order; up to `pipelineLimit` pipelined requests are
// read ahead while one is being handled, then reading pauses until a response is written.
// Every response carries X-Request-Id (the client's when sane, else generated). Bodies over
// `bodyLimit` get 413, malformed requests 400, unknown paths 404, known paths with another
// method 405 with Allow, all with the API error body (API-CONTRACT §2).
//
// Metrics: counters ocellus_http_requests_{1xx..5xx}_total, ocellus_http_connections_total,
// ocellus_http_connections_rejected_total, ocellus_ws_connections_total,
// ocellus_ws_messages_{received,sent}_total and ocellus_ws_send_queue_overflows_total, and the
// histogram ocellus_http_request_duration_seconds (also reachable through latency()), all in
// base::Metrics::global(): process-wide, shared by every HttpServer of the process.
class HttpServer {
 public:
  struct Options {
    io::Address address{"", 8002};
    // Both set: the port speaks HTTPS/WSS only (PEM files, read by start()).
    std::string tlsCertificateFile;
    std::string tlsKeyFile;
    std::size_t bodyLimit = 1024 * 1024;               // larger request bodies: 413 PAYLOAD_TOO_LARGE
    std::size_t headerLimit = 16 * 1024;               // larger request heads: 431
    bool keepAlive = true;                             // false: one request per connection
    std::chrono::milliseconds idleTimeout{30'000};     // waiting for (the head of) the next request
    std::chrono::milliseconds requestTimeout{30'000};  // receiving a body; the TLS handshake
    std::chrono::milliseconds writeTimeout{30'000};    // a response write that makes no progress
    std::size_t pipelineLimit = 4;                     // requests queued per connection before reading pauses
    std::size_t maxConnections = 16384;                // more are closed at once (and counted)
    // Origins allowed to call from a browser ("https://ui.example:8080"); "*" allows any.
    // Preflights (OPTIONS with Access-Control-Request-Method) are answered by the server.
    std::vector<std::string> corsOrigins;
    bool accessLog = true;                             // a line per request, tag "http" (media: debug)
    std::size_t wsMessageLimit = 1024 * 1024;          // a larger incoming message closes with 1009
    std::size_t wsSendQueueLimit = 1024 * 1024;        // bytes queued per connection; see WsConnection::send
    std::chrono::milliseconds wsPingInterval{30'000};  // ping after this much silence; close after twice
    std::chrono::milliseconds wsCloseTimeout{2'000};   // closing handshake, then the socket is closed
    // Picks the loop for each new connection's I/O (round-robin over the media loops, say); each
    // must be run by one thread. Empty: the server loop.
    std::function<boost::asio::io_context&()> connectionLoop;
  };

  // The router must not change once start() has been called; handlers run on `loop` (media
  // routes': on their connection's).
  HttpServer(boost::asio::io_context& loop, std::shared_ptr<const Router> router, Options options);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS files if any, binds and listens. The error names the address (or file).
  base::Status start();
  // Two stages: stops accepting, then closes every connection (WebSockets get 1001 and a short
  // grace). From another thread it waits, up to about half a second, until all are gone; on the
  // loop's own thread (or with the loop stopped) it only starts the closing. Idempotent.
  void stop();

  // The bound port (useful with port 0); 0 before start().
  std::uint16_t port() const;
  bool secure() const;
  // Open connections, HTTP and WebSocket; any thread.
  std::size_t connectionCount() const;
  // Microseconds from a request fully read to its response fully written; any thread. The
  // Metrics histogram ocellus_http_request_duration_seconds: do not takeSummary() on it.
  base::Histogram& latency();

 private:
  std::shared_ptr<detail::ServerState> state_;
};

}  // namespace ocellus::api::http
