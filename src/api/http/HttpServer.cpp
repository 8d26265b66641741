// The HTTP side of the server: acceptor, HTTP/1.1 sessions, file streaming. The WebSocket side
// is in detail/WebSocketSession.cpp, the transport in detail/AnyStream.cpp; together they are
// the only translation units that instantiate Beast (LAB.md: Beast is slow to compile).

#include "api/http/HttpServer.h"
#include "io/TlsContext.h"

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/recycling_allocator.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/array.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <future>
#include <list>
#include <thread>

#include <fmt/format.h>

#include "api/ApiError.h"
#include "api/http/ByteRange.h"
#include "api/http/Target.h"
#include "api/http/detail/AnyStream.h"
#include "api/http/detail/ServerState.h"
#include "api/http/detail/WebSocketSession.h"
#include "base/Random.h"

namespace ocellus::api::http {

namespace detail {

namespace {

constexpr std::array<std::string_view, 5> kClassNames{"1xx", "2xx", "3xx", "4xx", "5xx"};

base::Counter& responseCounter(std::string_view cls) {
  return base::Metrics::global().counter(fmt::format("ocellus_http_requests_{}_total", cls),
                                         fmt::format("HTTP requests answered with a {} status", cls));
}

bool saneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

// Query parameters whose values must not reach the access log.
bool secretParameter(std::string_view name) {
  static constexpr std::array<std::string_view, 10> kSecrets{
      "token",  "auth_token", "access_token", "refresh_token", "api_key",
      "apikey", "key",        "password",     "secret",        "signature"};
  return std::any_of(kSecrets.begin(), kSecrets.end(),
                     [name](std::string_view s) { return HeaderMap::equalsIgnoreCase(s, name); });
}

std::string redactTarget(std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::string(target.substr(0, 512));
  std::string out(target.substr(0, question + 1));
  std::string_view query = target.substr(question + 1);
  bool first = true;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (!first) out += '&';
    first = false;
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && secretParameter(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1)).append("***");
    } else {
      out.append(pair);
    }
  }
  return out.substr(0, 512);
}

}  // namespace

ServerState::ServerState(net::io_context& l, std::shared_ptr<const Router> r, HttpServer::Options o)
    : loop(l),
      router(std::move(r)),
      options(std::move(o)),
      acceptor(l),
      acceptRetry(l),
      connectionsTotal(
          base::Metrics::global().counter("ocellus_http_connections_total", "HTTP connections accepted")),
      connectionsRejected(base::Metrics::global().counter("ocellus_http_connections_rejected_total",
                                                          "HTTP connections closed at once: too many open")),
      wsConnections(
          base::Metrics::global().counter("ocellus_ws_connections_total", "WebSocket handshakes completed")),
      wsReceived(base::Metrics::global().counter("ocellus_ws_messages_received_total",
                                                 "WebSocket messages received")),
      wsSent(base::Metrics::global().counter("ocellus_ws_messages_sent_total", "WebSocket messages written")),
      wsOverflows(base::Metrics::global().counter(
          "ocellus_ws_send_queue_overflows_total",
          "WebSocket connections closed because their send queue overflowed")),
      latency(base::Metrics::global().histogram("ocellus_http_request_duration_seconds",
                                                "HTTP requests, from fully read to response fully written")) {
  for (std::size_t i = 0; i < kClassNames.size(); ++i) responsesByClass[i] = &responseCounter(kClassNames[i]);
}

ServerState::~ServerState() = default;

bool ServerState::corsAllowed(std::string_view origin) const {
  return std::any_of(options.corsOrigins.begin(), options.corsOrigins.end(), [origin](const std::string& o) {
    return o == "*" || HeaderMap::equalsIgnoreCase(o, origin);
  });
}

void ServerState::finished(std::string_view method, std::string_view target, int status, std::uint64_t bytes,
                           std::chrono::steady_clock::duration elapsed, std::string_view requestId,
                           std::string_view remote, RouteKind kind) {
  const auto cls = std::clamp(status / 100, 1, 5) - 1;
  responsesByClass[static_cast<std::size_t>(cls)]->add();
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
  const auto level = kind == RouteKind::Media ? spdlog::level::debug : spdlog::level::info;
  // Checked first: redacting the target costs an allocation per request even when no line is written.
  if (options.accessLog && spdlog::should_log(level)) {
    const auto line = fmt::format("{} {} {} {} B {:.3f} ms id={} remote={}", method, redactTarget(target),
                                  status, bytes, static_cast<double>(micros) / 1000.0, requestId, remote);
    if (kind == RouteKind::Media) {
      log.debug("{}", line);
    } else {
      log.info("{}", line);
    }
  }
  // Last, so that whoever sees the count grow also finds the log line written.
  latency.record(static_cast<std::uint64_t>(std::max<std::int64_t>(micros, 0)));
}

Session::Session(std::shared_ptr<ServerState> state) : server_(std::move(state)) {
  server_->live.fetch_add(1, std::memory_order_relaxed);
}

Session::~Session() {
  if (counted_) server_->live.fetch_sub(1, std::memory_order_relaxed);
}

void Session::enroll(std::weak_ptr<Session> self) {
  std::lock_guard lock(server_->sessionsMutex);
  sessionId_ = server_->nextSessionId++;
  server_->sessions.emplace(sessionId_, std::move(self));
}

void Session::leave() {
  if (sessionId_ != 0) {
    std::lock_guard lock(server_->sessionsMutex);
    server_->sessions.erase(sessionId_);
  }
  sessionId_ = 0;
  if (counted_) server_->live.fetch_sub(1, std::memory_order_relaxed);
  counted_ = false;
}

std::string makeRequestId(std::optional<std::string_view> fromClient) {
  if (fromClient && saneRequestId(*fromClient)) return std::string(*fromClient);
  // RFC 9562 version 4: 122 random bits, xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx with N in 8..b.
  const std::uint64_t high = (base::randomU64() & ~0xf000ULL) | 0x4000ULL;
  const std::uint64_t low = (base::randomU64() & ~(3ULL << 62)) | (1ULL << 63);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(36, '-');
  std::size_t at = 0;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) ++at;  // past a '-'
    const std::uint64_t word = i < 16 ? high : low;
    id[at++] = kHex[(word >> (60 - 4 * (i % 16))) & 0xf];
  }
  return id;
}

std::string ipString(const net::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

}  // namespace detail

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using boost::system::error_code;
using detail::AnyStream;
using detail::ServerState;
using BeastRequest = bhttp::request<bhttp::string_body>;

using Clock = std::chrono::steady_clock;

constexpr std::size_t kFileChunk = 64 * 1024;
constexpr std::uint64_t kMaxDrainBytes = 4 * 1024 * 1024;
constexpr std::chrono::milliseconds kLingerTimeout{2000};
constexpr std::string_view kServerName = "Ocellus";
constexpr std::string_view kExposedHeaders =
    "X-Request-Id, Content-Range, Content-Disposition, Content-Length, Accept-Ranges, Location, ETag, "
    "Retry-After";
constexpr std::string_view kPreflightMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

std::string httpDate(std::time_t t) {
  static constexpr std::array<std::string_view, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[static_cast<std::size_t>(tm.tm_wday)],
                     tm.tm_mday, kMonths[static_cast<std::size_t>(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

// The Date field of a response: it changes once a second, so each loop formats it once a second.
const std::string& httpDateNow() {
  thread_local std::time_t formattedAt = -1;
  thread_local std::string formatted;
  if (const auto now = std::time(nullptr); now != formattedAt) {
    formatted = httpDate(now);
    formattedAt = now;
  }
  return formatted;
}

// Fields a handler may not set: the server owns framing and connection management.
bool serverOwnedField(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kOwned{"Content-Length", "Transfer-Encoding", "Connection",
                                                          "Keep-Alive",     "Upgrade",           "Date",
                                                          "Server",         "X-Request-Id"};
  return std::any_of(kOwned.begin(), kOwned.end(),
                     [name](std::string_view o) { return HeaderMap::equalsIgnoreCase(o, name); });
}

bool validField(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  const bool nameOk = std::all_of(name.begin(), name.end(), [](char c) {
    return c > 32 && c < 127 && c != ':' && c != '(' && c != ')' && c != ',' && c != ';' && c != '"' &&
           c != '/' && c != '[' && c != ']' && c != '?' && c != '=' && c != '{' && c != '}' && c != '\\' &&
           c != '<' && c != '>' && c != '@';
  });
  const bool valueOk =
      std::none_of(value.begin(), value.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
  return nameOk && valueOk;
}

HttpResponse apiError(int status, std::string code, std::string message, std::string_view requestId,
                      boost::json::object details = {}) {
  return errorResponse(ApiError{status, std::move(code), std::move(message), std::move(details)}, requestId);
}

// A connection's reads and writes run Beast's composed operations through AnyStream's
// type-erased handlers, each of which allocates its state from the completion handler's
// allocator: this one takes it from the loop thread's cache of recycled blocks, not the heap,
// so a request's reading and writing allocate nothing once the cache is warm.
template <typename Handler>
auto recycled(Handler handler) {
  return net::bind_allocator(net::recycling_allocator<void>(), std::move(handler));
}

bool sameCategory(const error_code& ec, bhttp::error e) {
  return ec.category() == bhttp::make_error_code(e).category();
}

// The handler call running on this thread, so that a Reply dropped during the call is told
// apart from one dropped later. Per thread, not per connection: a connection on a media loop
// runs media routes' handlers there and the others' on the server loop.
struct HandlerCall {
  const void* session;
  std::uint64_t seq;
  bool dropped;
};
thread_local HandlerCall* tHandlerCall = nullptr;

// One request waiting for, or getting, its answer.
struct Pending {
  std::uint64_t seq = 0;
  HttpRequest request;
  std::string rawPath;
  std::optional<HttpResponse> ready;    // answered by the server itself (an error)
  std::optional<BeastRequest> upgrade;  // a WebSocket upgrade to hand over
  bool closeAfter = false;              // the connection closes once this is answered
  RouteKind kind = RouteKind::Api;      // the route's, once routed
  bool started = false;
  bool answered = false;
  Clock::time_point received;
};

// One HTTP/1.1 connection. Lives on its home loop (the server loop, or the one
// Options::connectionLoop picked) but for the handlers of API routes, which run on the server
// loop (media routes' run at home); its completion handlers hold it by shared_ptr, so it lives
// until the last of them has run, and each handler first checks that the connection is still
// in the phase that started it.
class HttpSession final : public detail::Session, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(std::shared_ptr<ServerState> server, net::io_context& home, AnyStream stream, std::string remoteIp,
              std::uint16_t remotePort)
      : Session(std::move(server)),
        home_(home),
        stream_(std::move(stream)),
        executor_(stream_.get_executor()),
        readDeadline_{net::steady_timer(executor_)},
        writeDeadline_{net::steady_timer(executor_)},
        remoteIp_(std::move(remoteIp)),
        remotePort_(remotePort) {}

  void start() {
    enroll(weak_from_this());
    if (!stream_.secure()) return readNext();
    arm(readDeadline_, server_->options.requestTimeout);
    stream_.async_handshake([self = shared_from_this()](error_code ec) {
      if (self->phase_ != Phase::Open) return;
      self->disarm(self->readDeadline_);
      if (ec) {
        self->server_->log.debug("TLS handshake with {} failed: {}", self->remoteIp_, ec.message());
        return self->abort();
      }
      self->readNext();
    });
  }

  // On the server loop.
  void shutdown() override {
    if (&home_ == &server_->loop) return abort();
    net::post(executor_, [self = shared_from_this()] { self->abort(); });
  }

 private:
  enum class Phase { Open, Draining, Closed };

  // A deadline that is cheap to move, as every request moves two: arming records the time, and
  // the timer behind it is reset only when the deadline comes before the timer's expiry; a timer
  // that fires before its deadline (pushed back since) waits again, and one that finds its
  // deadline disarmed stops. So a request costs two clock reads, not two timer-queue insertions
  // and two cancellations that each run a completion handler (at a thousand LL-HLS players, ten
  // thousand of each a second). A wait replaced by a newer one ends with operation_aborted; one
  // that had fired already when replaced finds the deadline still ahead and waits again.
  struct Deadline {
    net::steady_timer timer;
    Clock::time_point at = Clock::time_point::max();  // max: disarmed
    bool waiting = false;                             // a wait of the timer is outstanding
  };

  void arm(Deadline& d, std::chrono::milliseconds after) {
    d.at = Clock::now() + after;
    if (!d.waiting || d.timer.expiry() > d.at) wait(d);
  }

  void wait(Deadline& d) {
    d.waiting = true;
    d.timer.expires_at(d.at);
    const bool isRead = &d == &readDeadline_;
    d.timer.async_wait([weak = weak_from_this(), isRead](error_code ec) {
      auto self = weak.lock();
      if (!self || ec || self->phase_ == Phase::Closed) return;
      Deadline& deadline = isRead ? self->readDeadline_ : self->writeDeadline_;
      if (deadline.at == Clock::time_point::max()) {
        deadline.waiting = false;
        return;
      }
      if (Clock::now() < deadline.at) return self->wait(deadline);
      deadline.at = Clock::time_point::max();
      deadline.waiting = false;
      self->server_->log.debug("{}:{}: {} timed out", self->remoteIp_, self->remotePort_,
                               isRead ? "read" : "write");
      self->abort();
    });
  }

  void disarm(Deadline& d) { d.at = Clock::time_point::max(); }

  // Done with the connection: no wait is left to expire later.
  void cancelDeadlines() {
    for (Deadline* d : {&readDeadline_, &writeDeadline_}) {
      disarm(*d);
      d->timer.cancel();
    }
  }

  // --- reading ---------------------------------------------------------------------------

  void readNext() {
    if (phase_ != Phase::Open || reading_ || stopReading_ ||
        queue_.size() >= std::max<std::size_t>(server_->options.pipelineLimit, 1)) {
      return;
    }
    reading_ = true;
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(server_->options.headerLimit, UINT32_MAX)));
    parser_->body_limit(server_->options.bodyLimit);
    if (queue_.empty()) arm(readDeadline_, server_->options.idleTimeout);
    bhttp::async_read_header(stream_, buffer_, *parser_, recycled([self = shared_from_this()](error_code ec, std::size_t) {
                               if (self->phase_ != Phase::Open) return;
                               self->onHeader(ec);
                             }));
  }

  void onHeader(error_code ec) {
    if (ec) return onReadError(ec);
    if (parser_->is_done()) return onRequest();
    if (queue_.empty()) arm(readDeadline_, server_->options.requestTimeout);
    const auto& req = parser_->get();
    const bool expectContinue =
        req.version() >= 11 && HeaderMap::equalsIgnoreCase(req[bhttp::field::expect], "100-continue");
    // RFC 9110 §10.1.1: a client that sent Expect waits (a while) for 100 before the body. Only
    // sent when nothing else is being written, so it cannot interleave with a response.
    if (expectContinue && queue_.empty() && !writing_) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      writing_ = true;
      net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](error_code e, std::size_t) {
                         if (self->phase_ != Phase::Open) return;
                         self->writing_ = false;
                         if (e) return self->abort();
                         self->readBody();
                       });
      return;
    }
    readBody();
  }

  void readBody() {
    bhttp::async_read(stream_, buffer_, *parser_, recycled([self = shared_from_this()](error_code ec, std::size_t) {
      if (self->phase_ != Phase::Open) return;
      if (ec) return self->onReadError(ec);
      self->onRequest();
    }));
  }

  void onRequest() {
    reading_ = false;
    disarm(readDeadline_);
    BeastRequest msg = parser_->release();
    parser_.reset();

    Pending p;
    p.seq = nextSeq_++;
    p.received = Clock::now();
    auto& r = p.request;
    r.requestId = detail::makeRequestId(optionalField(msg, "X-Request-Id"));
    r.methodName = std::string(msg.method_string());
    r.method = parseMethod(r.methodName);
    r.target = std::string(msg.target());
    r.remoteIp = remoteIp_;
    r.remotePort = remotePort_;
    r.secure = stream_.secure();
    r.httpVersion = msg.version();
    r.headers.reserve(static_cast<std::size_t>(std::distance(msg.begin(), msg.end())));
    for (const auto& field : msg) r.headers.add(std::string(field.name_string()), std::string(field.value()));
    auto target = Target::parse(msg.target());
    if (!target) {
      p.ready = apiError(400, "BAD_REQUEST", target.error().message, r.requestId);
      p.closeAfter = true;
    } else {
      r.path = std::move(target->path);
      r.queryParams = std::move(target->query);
      p.rawPath = std::move(target->rawPath);
    }
    if (!msg.keep_alive() || !server_->options.keepAlive || server_->stopping) p.closeAfter = true;
    if (!p.ready && beast::websocket::is_upgrade(msg) && server_->router->webSocket(r.path) != nullptr) {
      p.closeAfter = false;
      stopReading_ = true;  // what follows belongs to the WebSocket
      r.body = msg.body();
      p.upgrade = std::move(msg);
    } else {
      r.body = std::move(msg.body());
    }
    if (p.closeAfter) stopReading_ = true;
    queue_.push_back(std::move(p));
    // An idle keep-alive connection keeps no read buffer.
    if (buffer_.size() == 0) buffer_.shrink_to_fit();
    processFront();
    readNext();
  }

  static std::optional<std::string_view> optionalField(const BeastRequest& msg, std::string_view name) {
    const auto it = msg.find(name);
    if (it == msg.end()) return std::nullopt;
    return std::string_view(it->value());
  }

  void onReadError(error_code ec) {
    reading_ = false;
    disarm(readDeadline_);
    std::optional<std::string_view> clientId;
    std::string method = "-";
    std::string target = "-";
    // What the parser got: all of the head, or (for a Content-Length over the limit, refused
    // as soon as it is read) the fields before it.
    if (parser_) {
      clientId = optionalField(parser_->get(), "X-Request-Id");
      if (!parser_->get().method_string().empty()) method = std::string(parser_->get().method_string());
      if (!parser_->get().target().empty()) target = std::string(parser_->get().target());
    }
    const std::string requestId = detail::makeRequestId(clientId);
    parser_.reset();

    if (ec == bhttp::error::end_of_stream) {  // the client closed between requests
      stopReading_ = true;
      peerDone_ = true;
      if (queue_.empty() && !writing_) abort();
      return;
    }
    if (ec == bhttp::error::body_limit) {
      boost::json::object details;
      details["limit"] = server_->options.bodyLimit;
      return pushError(
          413, "PAYLOAD_TOO_LARGE",
          fmt::format("the request body exceeds the limit of {} bytes", server_->options.bodyLimit),
          std::move(details), requestId, std::move(method), std::move(target));
    }
    if (ec == bhttp::error::header_limit) {
      return pushError(
          431, "HEADERS_TOO_LARGE",
          fmt::format("the request head exceeds the limit of {} bytes", server_->options.headerLimit), {},
          requestId, std::move(method), std::move(target));
    }
    if (sameCategory(ec, bhttp::error::bad_target) && ec != bhttp::error::partial_message &&
        ec != bhttp::error::end_of_stream) {
      return pushError(400, "BAD_REQUEST", "malformed HTTP request: " + ec.message(), {}, requestId,
                       std::move(method), std::move(target));
    }
    if (ec != net::error::operation_aborted)
      server_->log.debug("{}:{}: read failed: {}", remoteIp_, remotePort_, ec.message());
    abort();
  }

  void pushError(int status, std::string code, std::string message, boost::json::object details,
                 const std::string& requestId, std::string method, std::string target) {
    Pending p;
    p.seq = nextSeq_++;
    p.received = Clock::now();
    p.request.requestId = requestId;
    p.request.methodName = std::move(method);
    p.request.method = parseMethod(p.request.methodName);
    p.request.target = std::move(target);
    p.request.remoteIp = remoteIp_;
    p.ready = apiError(status, std::move(code), std::move(message), requestId, std::move(details));
    p.closeAfter = true;
    stopReading_ = true;
    queue_.push_back(std::move(p));
    processFront();
  }

  // --- answering -------------------------------------------------------------------------

  void processFront() {
    if (phase_ != Phase::Open || writing_ || queue_.empty()) return;
    Pending& p = queue_.front();
    if (p.started) return;
    p.started = true;
    if (p.ready) {
      HttpResponse r = std::move(*p.ready);
      p.ready.reset();
      return respond(p, std::move(r));
    }
    if (p.upgrade) return upgrade(p);
    route(p);
  }

  void route(Pending& p) {
    HttpRequest& req = p.request;
    const auto& router = *server_->router;
    if (req.path == "*") {  // "OPTIONS * HTTP/1.1": the server as a whole
      if (req.method != Method::Options)
        return respond(p, apiError(400, "BAD_REQUEST", "'*' is a target for OPTIONS only", req.requestId));
      HttpResponse r = HttpResponse::empty(204);
      r.setHeader("Allow", std::string(kPreflightMethods));
      return respond(p, std::move(r));
    }
    const auto origin = req.header("Origin");
    if (req.method == Method::Options && origin && req.header("Access-Control-Request-Method"))
      return respond(p, preflight(p, *origin));

    auto match = router.match(req.method, p.rawPath);
    switch (match.kind) {
      case Router::Match::Kind::NotFound: {
        if (router.webSocket(req.path) != nullptr &&
            (req.method == Method::Get || req.method == Method::Head)) {
          HttpResponse r =
              apiError(426, "UPGRADE_REQUIRED", req.path + " speaks WebSocket only", req.requestId);
          r.setHeader("Upgrade", "websocket");
          return respond(p, std::move(r));
        }
        return respond(
            p, apiError(404, "NOT_FOUND", "no route for " + req.methodName + " " + req.path, req.requestId));
      }
      case Router::Match::Kind::MethodNotAllowed: {
        const std::string allow = Router::allowHeader(match.allowed);
        if (req.method == Method::Options) {
          HttpResponse r = HttpResponse::empty(204);
          r.setHeader("Allow", allow);
          return respond(p, std::move(r));
        }
        boost::json::object details;
        boost::json::array allowed;
        for (const auto m : match.allowed) allowed.emplace_back(methodName(m));
        details["allowed"] = std::move(allowed);
        HttpResponse r =
            apiError(405, "METHOD_NOT_ALLOWED", req.methodName + " is not allowed on " + req.path,
                     req.requestId, std::move(details));
        r.setHeader("Allow", allow);
        return respond(p, std::move(r));
      }
      case Router::Match::Kind::Found:
        req.params = std::move(match.params);
        p.kind = match.routeKind;
        return dispatch(p, *match.handler);
    }
  }

  HttpResponse preflight(const Pending& p, std::string_view origin) {
    const HttpRequest& req = p.request;
    if (!server_->corsAllowed(origin)) {
      boost::json::object details;
      details["origin"] = origin;
      return apiError(403, "CORS_ORIGIN_NOT_ALLOWED",
                      "cross-origin requests from this origin are not allowed", req.requestId,
                      std::move(details));
    }
    const auto match = server_->router->match(Method::Options, p.rawPath);
    HttpResponse r = HttpResponse::empty(204);
    r.setHeader("Access-Control-Allow-Methods",
                match.allowed.empty() ? std::string(kPreflightMethods) : Router::allowHeader(match.allowed));
    if (const auto headers = req.header("Access-Control-Request-Headers")) {
      r.setHeader("Access-Control-Allow-Headers", std::string(*headers));
    }
    r.setHeader("Access-Control-Max-Age", "600");
    return r;
  }

  // A media route's handler runs here and now, on the connection's loop, with the request in
  // place (it stays in queue_ until answered). Any other gets a copy of the request (the body
  // moved into it) that lives until the reply, so that a connection on another loop never
  // shares its Pending with the server loop.
  void dispatch(Pending& p, const Router::Handler& handler) {
    if (p.kind == RouteKind::Media || &home_ == &server_->loop)
      return runHandler(p.seq, p.request, handler, nullptr);
    std::string body = std::move(p.request.body);
    auto request = std::make_shared<HttpRequest>(p.request);
    request->body = std::move(body);
    net::post(server_->loop,
              [self = shared_from_this(), seq = p.seq, request = std::move(request), &handler]() mutable {
                self->runHandler(seq, *request, handler, request);
              });
  }

  // On the thread that runs the handler; `copy`, when set, is `req`: held here for the call and
  // by the Reply until it is answered (or dropped, which may happen inside the call).
  void runHandler(std::uint64_t seq, HttpRequest& req, const Router::Handler& handler,
                  const std::shared_ptr<HttpRequest>& copy) {
    auto self = shared_from_this();
    Reply reply([self, seq, copy](std::optional<HttpResponse> response) {
      // Dropped while the handler is still running (unwinding from a throw, most likely):
      // runHandler() decides after the handler returns, so an ApiError wins.
      if (!response && tHandlerCall && tHandlerCall->session == self.get() && tHandlerCall->seq == seq) {
        tHandlerCall->dropped = true;
        return;
      }
      self->postReply(seq, std::move(response));
    });
    HandlerCall call{this, seq, false};
    HandlerCall* const outer = std::exchange(tHandlerCall, &call);
    std::optional<HttpResponse> failure;
    try {
      handler(req, std::move(reply));
    } catch (const ApiError& e) {
      failure = errorResponse(e, req.requestId);
    } catch (const std::exception& e) {
      server_->log.error("{} {} id={}: the handler threw: {}", req.methodName, req.path, req.requestId, e.what());
      failure = apiError(500, "INTERNAL_ERROR", "internal error", req.requestId);
    } catch (...) {
      server_->log.error("{} {} id={}: the handler threw a non-exception", req.methodName, req.path,
                         req.requestId);
      failure = apiError(500, "INTERNAL_ERROR", "internal error", req.requestId);
    }
    tHandlerCall = outer;
    // A reply sent before the throw was posted first and wins; onReply ignores the second.
    if (failure) return postReply(seq, std::move(failure));
    if (call.dropped) postReply(seq, std::nullopt);
  }

  // Any thread. Always posted, so a handler that replies at once is not re-entered.
  void postReply(std::uint64_t seq, std::optional<HttpResponse> response) {
    net::post(executor_, [self = shared_from_this(), seq, response = std::move(response)]() mutable {
      self->onReply(seq, std::move(response));
    });
  }

  void onReply(std::uint64_t seq, std::optional<HttpResponse> response) {
    if (phase_ != Phase::Open || queue_.empty()) return;
    Pending& p = queue_.front();
    if (p.seq != seq || p.answered) return;  // a second answer, or one for a request already failed
    if (!response) {
      server_->log.error("{} {} id={}: the handler dropped its reply without answering", p.request.methodName,
                         p.request.path, p.request.requestId);
      response = apiError(500, "INTERNAL_ERROR", "internal error", p.request.requestId);
    }
    respond(p, std::move(*response));
  }

  void respond(Pending& p, HttpResponse response) {
    p.answered = true;
    if (response.fileBody && response.status >= 200 && response.status < 300)
      return respondFile(p, std::move(response));
    const bool bodyless = response.status < 200 || response.status == 204 || response.status == 304;
    bodyBytes_ = 0;
    std::optional<std::uint64_t> length;
    if (!bodyless) {
      body_ = std::move(response.sharedBody);
      if (body_.empty() && !response.body.empty()) body_.push_back(base::SharedBytes::of(std::move(response.body)));
      length = 0;
      for (const auto& piece : body_) *length += piece.bytes.size();
      if (p.request.method == Method::Head) {
        body_.clear();
      } else {
        bodyBytes_ = *length;
      }
    }
    prepareHead(p, response.status, response.headers, length);
    write();
  }

  void respondFile(Pending& p, HttpResponse response) {
    const FileBody& f = *response.fileBody;
    const std::string& id = p.request.requestId;
    int fd = -1;
    do {
      fd = ::open(f.path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      const int err = errno;
      if (err == ENOENT || err == ENOTDIR)
        return respond(p, apiError(404, "NOT_FOUND", "file not found", id));
      if (err == EACCES) return respond(p, apiError(403, "FORBIDDEN", "file not readable", id));
      server_->log.warn("cannot open {}: {}", f.path, std::strerror(err));
      return respond(p, apiError(500, "INTERNAL_ERROR", "cannot open the file", id));
    }
    auto file = std::make_unique<FileTransfer>();
    file->fd = fd;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
      return respond(p, apiError(404, "NOT_FOUND", "file not found", id));
    const auto size = static_cast<std::uint64_t>(st.st_size);

    ByteRange range;
    if (const auto header = p.request.header("Range");
        header && (p.request.method == Method::Get || p.request.method == Method::Head) &&
        response.status == 200) {
      range = ByteRange::parse(*header, size);
    }
    if (range.kind == ByteRange::Kind::Unsatisfiable) {
      boost::json::object details;
      details["size"] = size;
      HttpResponse r = apiError(416, "RANGE_NOT_SATISFIABLE", "the requested range is outside the file", id,
                                std::move(details));
      r.setHeader("Content-Range", fmt::format("bytes */{}", size));
      return respond(p, std::move(r));
    }
    const bool partial = range.kind == ByteRange::Kind::Partial;
    file->offset = partial ? range.first : 0;
    const std::uint64_t length = partial ? range.length() : size;

    HeaderMap headers = std::move(response.headers);
    headers.set("Content-Type", f.contentType.empty() ? std::string(contentTypeFor(f.path)) : f.contentType);
    if (!f.contentDisposition.empty()) headers.set("Content-Disposition", f.contentDisposition);
    headers.set("Accept-Ranges", "bytes");
    headers.set("Last-Modified", httpDate(st.st_mtime));
    if (partial) headers.set("Content-Range", fmt::format("bytes {}-{}/{}", range.first, range.last, size));
    prepareHead(p, partial ? 206 : response.status, headers, length);
    bodyBytes_ = 0;
    if (p.request.method != Method::Head && length > 0) {
      file->remaining = length;
      file_ = std::move(file);
    }
    write();
  }

  // Renders the head into head_ (its capacity kept from one response to the next, so a
  // keep-alive connection formats its heads without allocating). `length`: Content-Length,
  // none for a response without a body (1xx, 204, 304).
  void prepareHead(const Pending& p, int status, const HeaderMap& headers, std::optional<std::uint64_t> length) {
    status_ = status;
    keepAlive_ = !p.closeAfter && !server_->stopping && server_->options.keepAlive;
    const bool http10 = p.request.httpVersion < 11;
    head_.clear();
    head_ += http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    appendNumber(head_, static_cast<std::uint64_t>(status));
    head_ += ' ';
    head_ += std::string_view(bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(status))));
    head_ += "\r\n";
    const auto origin = p.request.header("Origin");
    const bool cors = origin && server_->corsAllowed(*origin);
    for (const auto& [name, value] : headers) {
      if (serverOwnedField(name)) continue;
      if (!validField(name, value)) {
        server_->log.warn("{} {}: dropped an invalid response field '{}'", p.request.methodName,
                          p.request.path, name);
        continue;
      }
      appendField(name, value);
    }
    appendField("Server", kServerName);
    appendField("Date", httpDateNow());
    appendField("X-Request-Id", p.request.requestId);
    if (cors) {
      appendField("Access-Control-Allow-Origin", *origin);
      appendField("Access-Control-Expose-Headers", kExposedHeaders);
      // A field line of its own: a handler's Vary lines and this one combine into one list
      // (RFC 9110 §5.3, §12.5.5), so theirs stay as they were.
      appendField("Vary", "Origin");
    }
    // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told.
    if (!http10 && !keepAlive_) appendField("Connection", "close");
    if (http10 && keepAlive_) appendField("Connection", "keep-alive");
    if (length) {
      head_ += "Content-Length: ";
      appendNumber(head_, *length);
      head_ += "\r\n";
    }
    head_ += "\r\n";
  }

  void appendField(std::string_view name, std::string_view value) {
    head_ += name;
    head_ += ": ";
    head_ += value;
    head_ += "\r\n";
  }

  static void appendNumber(std::string& out, std::uint64_t n) {
    std::array<char, 20> digits{};
    const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), n).ptr;
    out.append(digits.data(), end);
  }

  // The head and the body's pieces in one gather write: an HLS part that a thousand players
  // fetch is a thousand writes of the same bytes, not a thousand copies. A file body is not in
  // body_: pumpFile() follows the head with its bytes.
  void write() {
    writing_ = true;
    arm(writeDeadline_, server_->options.writeTimeout);
    out_.clear();
    out_.emplace_back(head_.data(), head_.size());
    for (const auto& piece : body_) {
      if (!piece.bytes.empty()) out_.emplace_back(piece.bytes.data(), piece.bytes.size());
    }
    net::async_write(stream_, out_, recycled([self = shared_from_this()](error_code ec, std::size_t) {
      if (self->phase_ != Phase::Open) return;
      self->disarm(self->writeDeadline_);
      if (ec) return self->abort();
      if (self->file_) return self->pumpFile();
      self->finishResponse();
    }));
  }

  void pumpFile() {
    FileTransfer& f = *file_;
    if (!f.chunk) {
      f.chunkSize = static_cast<std::size_t>(std::min<std::uint64_t>(kFileChunk, f.remaining));
      f.chunk = std::make_unique<char[]>(f.chunkSize);
    }
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(f.chunkSize, f.remaining));
    ssize_t got = -1;
    do {
      got = ::pread(f.fd, f.chunk.get(), n, static_cast<off_t>(f.offset));
    } while (got < 0 && errno == EINTR);
    if (got <= 0) {
      // The head promised more bytes than the file now has: all we can do is close.
      server_->log.warn("{}: the file ended early (truncated while being sent?)",
                        queue_.front().request.path);
      return abort();
    }
    arm(writeDeadline_, server_->options.writeTimeout);
    net::async_write(stream_, net::buffer(f.chunk.get(), static_cast<std::size_t>(got)),
                     [self = shared_from_this()](error_code ec, std::size_t written) {
                       if (self->phase_ != Phase::Open) return;
                       self->disarm(self->writeDeadline_);
                       if (ec) return self->abort();
                       FileTransfer& t = *self->file_;
                       t.offset += written;
                       t.sent += written;
                       t.remaining -= written;
                       self->bodyBytes_ += written;
                       if (t.remaining > 0) return self->pumpFile();
                       self->finishResponse();
                     });
  }

  void finishResponse() {
    writing_ = false;
    Pending& p = queue_.front();
    server_->finished(p.request.methodName, p.request.target, status_, bodyBytes_, Clock::now() - p.received,
                      p.request.requestId, remoteIp_, p.kind);
    const bool keepAlive = keepAlive_;
    body_.clear();
    file_.reset();
    queue_.pop_front();
    if (!keepAlive || (peerDone_ && queue_.empty())) return closeGracefully();
    if (queue_.empty() && reading_) arm(readDeadline_, server_->options.idleTimeout);
    processFront();
    readNext();
  }

  // --- closing ---------------------------------------------------------------------------

  // Half-closes, then reads and discards what the client still sends (a body we refused, say)
  // for a while before closing: closing with unread data would make the kernel send a reset
  // that can destroy the response before the client has read it (RFC 9112 §9.6).
  void closeGracefully() {
    if (phase_ != Phase::Open) return;
    if (reading_) return abort();
    phase_ = Phase::Draining;
    disarm(writeDeadline_);
    arm(readDeadline_, std::min(kLingerTimeout, server_->options.requestTimeout));
    stream_.async_shutdown([self = shared_from_this()](error_code) {
      if (self->phase_ != Phase::Draining) return;
      self->buffer_.clear();
      self->drain();
    });
  }

  void drain() {
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](error_code ec, std::size_t n) {
      if (self->phase_ != Phase::Draining) return;
      self->drained_ += n;
      if (ec || self->drained_ > kMaxDrainBytes) return self->abort();
      self->drain();
    });
  }

  void abort() {
    if (phase_ == Phase::Closed) return;
    phase_ = Phase::Closed;
    cancelDeadlines();
    stream_.close();
    file_.reset();
    leave();
  }

  // --- WebSocket -------------------------------------------------------------------------

  void upgrade(Pending& p) {
    const auto* onOpen = server_->router->webSocket(p.request.path);
    phase_ = Phase::Closed;  // this object is done with the connection
    cancelDeadlines();
    leave();
    BeastRequest upgradeRequest = std::move(*p.upgrade);
    p.upgrade.reset();
    detail::startWebSocket(server_, home_, std::move(stream_), std::move(upgradeRequest), std::move(p.request),
                           *onOpen);
  }

  struct FileTransfer {
    int fd = -1;
    std::uint64_t offset = 0;
    std::uint64_t remaining = 0;
    std::uint64_t sent = 0;
    std::size_t chunkSize = 0;
    std::unique_ptr<char[]> chunk;  // allocated for the transfer only
    FileTransfer() = default;
    FileTransfer(const FileTransfer&) = delete;
    FileTransfer& operator=(const FileTransfer&) = delete;
    ~FileTransfer() {
      if (fd >= 0) ::close(fd);
    }
  };

  net::io_context& home_;
  AnyStream stream_;
  net::any_io_executor executor_;
  Deadline readDeadline_;
  Deadline writeDeadline_;
  const std::string remoteIp_;
  const std::uint16_t remotePort_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::list<Pending> queue_;  // front: the request being answered; stable addresses for handlers
  // The response being written: its head, its body's pieces and both as one buffer sequence
  // (kept between responses for their capacity), its status and whether the connection stays.
  std::string head_;
  std::vector<base::SharedBytes> body_;
  std::vector<net::const_buffer> out_;
  int status_ = 0;
  bool keepAlive_ = false;
  std::unique_ptr<FileTransfer> file_;
  std::uint64_t nextSeq_ = 0;
  std::uint64_t bodyBytes_ = 0;
  std::uint64_t drained_ = 0;
  Phase phase_ = Phase::Open;
  bool reading_ = false;
  bool writing_ = false;
  bool stopReading_ = false;  // after a request that ends the connection, or an upgrade
  bool peerDone_ = false;     // the client half-closed
};

void accept(const std::shared_ptr<ServerState>& server) {
  net::io_context& home = server->options.connectionLoop ? server->options.connectionLoop() : server->loop;
  server->acceptor.async_accept(home, [server, home = &home](error_code ec, AnyStream::Socket socket) {
    if (server->stopping || !server->acceptor.is_open()) return;
    if (ec) {
      if (ec == net::error::operation_aborted) return;
      if (const auto n = server->acceptErrorLog.allow())
        server->log.warn("accept failed ({}x): {}", n, ec.message());
      // Out of descriptors, say: try again shortly rather than spin.
      server->acceptRetry.expires_after(std::chrono::milliseconds(50));
      server->acceptRetry.async_wait([server](error_code e) {
        if (!e && !server->stopping) accept(server);
      });
      return;
    }
    if (server->live.load(std::memory_order_relaxed) >= server->options.maxConnections) {
      server->connectionsRejected.add();
      if (const auto n = server->rejectLog.allow()) {
        server->log.warn("{} connection(s) refused: {} open, the limit", n, server->options.maxConnections);
      }
      error_code ignored;
      socket.close(ignored);
      return accept(server);
    }
    error_code ignored;
    socket.set_option(net::ip::tcp::no_delay(true), ignored);
    const auto remote = socket.remote_endpoint(ec);
    if (ec) return accept(server);  // already gone
    AnyStream stream =
        server->tls ? AnyStream::tls(std::move(socket), *server->tls) : AnyStream::plain(std::move(socket));
    server->connectionsTotal.add();
    auto session = std::make_shared<HttpSession>(server, *home, std::move(stream),
                                                 detail::ipString(remote.address()), remote.port());
    if (home == &server->loop) {
      session->start();
    } else {
      net::post(*home, [session] { session->start(); });
    }
    accept(server);
  });
}

}  // namespace

HttpServer::HttpServer(boost::asio::io_context& loop, std::shared_ptr<const Router> router, Options options)
    : state_(std::make_shared<ServerState>(
          loop, router ? std::move(router) : std::make_shared<const Router>(), std::move(options))) {}

HttpServer::~HttpServer() {
  stop();
}

base::Status HttpServer::start() {
  auto& s = *state_;
  const auto& o = s.options;
  const std::string where = o.address.toString();
  if (s.started)
    return base::makeError(base::ErrorCode::InvalidState,
                           "the HTTP server on " + where + " is already started");
  if (o.tlsCertificateFile.empty() != o.tlsKeyFile.empty()) {
    return base::makeError(base::ErrorCode::InvalidArgument,
                           "HTTP server on " + where + ": TLS needs both a certificate file and a key file");
  }
  if (!o.tlsCertificateFile.empty()) {
    auto context = io::makeTlsContext(o.tlsCertificateFile, o.tlsKeyFile);
    if (!context)
      return base::makeError(context.error().code, "HTTPS on " + where + ": " + context.error().message);
    s.tls = std::move(*context);
  }
  error_code ec;
  auto ip = net::ip::make_address(o.address.bindHost(), ec);
  if (ec) {
    // A name ("localhost"): its first address.
    net::ip::tcp::resolver resolver(s.loop);
    const auto results = resolver.resolve(o.address.bindHost(), std::to_string(o.address.port), ec);
    if (ec || results.empty()) {
      return base::makeError(
          base::ErrorCode::InvalidArgument,
          "cannot resolve the HTTP address " + where + (ec ? ": " + ec.message() : std::string()));
    }
    ip = results.begin()->endpoint().address();
  }
  const net::ip::tcp::endpoint endpoint(ip, o.address.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    error_code ignored;
    s.acceptor.close(ignored);
    return base::makeError(base::ErrorCode::Io, "cannot listen for HTTP on " + where + ": " + ec.message());
  }
  s.port = s.acceptor.local_endpoint().port();
  s.started = true;
  s.log.info("listening on {} ({}, port {})", where, s.tls ? "HTTPS/WSS" : "HTTP/WS", s.port.load());
  net::post(s.loop, [state = state_] { accept(state); });
  return {};
}

void HttpServer::stop() {
  auto state = state_;
  if (!state->started.exchange(false)) return;
  auto closeAll = [state] {
    state->stopping = true;
    error_code ignored;
    state->acceptor.close(ignored);
    state->acceptRetry.cancel();
    std::vector<std::shared_ptr<detail::Session>> live;
    {
      std::lock_guard lock(state->sessionsMutex);
      for (const auto& [id, weak] : state->sessions) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
      }
    }
    for (auto& session : live) session->shutdown();
  };
  if (state->loop.get_executor().running_in_this_thread() || state->loop.stopped()) {
    closeAll();
    return;
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(600);
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  net::post(state->loop, [closeAll, done] {
    closeAll();
    done->set_value();
  });
  if (future.wait_until(deadline) != std::future_status::ready) {
    state->log.warn("stop: the loop did not run the shutdown in time");
    return;
  }
  while (state->live.load() > 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  if (const auto left = state->live.load()) state->log.debug("stop: {} connection(s) still closing", left);
}

std::uint16_t HttpServer::port() const {
  return state_->port.load();
}

bool HttpServer::secure() const {
  return state_->tls != nullptr;
}

std::size_t HttpServer::connectionCount() const {
  return state_->live.load();
}

base::Histogram& HttpServer::latency() {
  return state_->latency;
}

}  // namespace ocellus::api::http
