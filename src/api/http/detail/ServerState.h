#pragma once

// Internal to the HTTP server's .cpp files: what the acceptor, the HTTP sessions and the
// WebSocket sessions share.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/http/HttpServer.h"
#include "base/Histogram.h"
#include "base/Log.h"
#include "base/Metrics.h"

namespace boost::asio::ssl {
class context;
}

namespace ocellus::api::http::detail {

namespace net = boost::asio;

class Session;

// Owned jointly by the HttpServer and every live session (sessions outlive stop() until their
// last completion handler has run). The "loop only" members are touched on the server loop
// only; the rest are immutable after start() or atomic.
struct ServerState {
  ServerState(net::io_context& loop, std::shared_ptr<const Router> router, HttpServer::Options options);
  ~ServerState();

  net::io_context& loop;
  const std::shared_ptr<const Router> router;
  const HttpServer::Options options;
  std::shared_ptr<net::ssl::context> tls;  // set by start() when TLS is configured
  net::ip::tcp::acceptor acceptor;
  net::steady_timer acceptRetry;
  const base::Logger log{"http"};

  std::array<base::Counter*, 5> responsesByClass{};  // 1xx … 5xx
  base::Counter& connectionsTotal;
  base::Counter& connectionsRejected;
  base::Counter& wsConnections;
  base::Counter& wsReceived;
  base::Counter& wsSent;
  base::Counter& wsOverflows;
  base::Histogram& latency;  // in base::Metrics
  base::RateLimiter rejectLog;
  base::RateLimiter acceptErrorLog;
  base::RateLimiter slowClientLog;

  std::atomic<bool> started{false};
  std::atomic<std::uint16_t> port{0};
  std::atomic<std::size_t> live{0};  // sessions not yet done with their socket

  // Set on the server loop, read by sessions on any loop.
  std::atomic<bool> stopping{false};

  // Sessions may live on other loops (Options::connectionLoop): the list of sessions
  // has its own lock, taken when a connection starts and ends.
  std::mutex sessionsMutex;
  std::uint64_t nextSessionId = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions;

  bool corsAllowed(std::string_view origin) const;
  // Counts the status class, records the latency and writes the access line (at debug for a
  // media route).
  void finished(std::string_view method, std::string_view target, int status, std::uint64_t bytes,
                std::chrono::steady_clock::duration elapsed, std::string_view requestId,
                std::string_view remote, RouteKind kind);
};

// A connection the server can close on stop(). Counts itself in ServerState::live from
// construction until leave() (it is done with its socket) or its destruction.
class Session {
 public:
  explicit Session(std::shared_ptr<ServerState> state);
  virtual ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Closes the connection now. Called on the server loop; a session that lives on another loop
  // posts the closing there.
  virtual void shutdown() = 0;

 protected:
  // On the session's loop: listed for stop() until leave(), which also ends the count in `live`.
  void enroll(std::weak_ptr<Session> self);
  void leave();

  const std::shared_ptr<ServerState> server_;

 private:
  std::uint64_t sessionId_ = 0;
  bool counted_ = true;
};

// The client's X-Request-Id when it is 1-128 characters of [A-Za-z0-9._:-], else a random UUID.
std::string makeRequestId(std::optional<std::string_view> fromClient);
// "127.0.0.1" (IPv4-mapped IPv6 addresses shown as IPv4).
std::string ipString(const net::ip::address& address);

}  // namespace ocellus::api::http::detail
