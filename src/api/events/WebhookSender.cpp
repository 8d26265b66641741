#include "api/events/WebhookSender.h"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <deque>
#include <span>
#include <stdexcept>
#include <utility>

#include "auth/Secrets.h"
#include "base/Log.h"
#include "base/Metrics.h"
#include "base/Random.h"

namespace ocellus::api::events {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

// Bounds of what we read from a receiver: its answer only decides delivered or not.
constexpr std::size_t kMaxResponseHead = 16 * 1024;
constexpr std::size_t kMaxDiscardedBody = 1024 * 1024;

base::Counter& deliveredCounter() {
  static base::Counter& c =
      base::Metrics::global().counter("webhook_delivered_total", "Webhook deliveries answered with 2xx");
  return c;
}
base::Counter& failedCounter() {
  static base::Counter& c = base::Metrics::global().counter(
      "webhook_failed_total", "Webhook deliveries dropped after the last attempt failed");
  return c;
}
base::Counter& droppedCounter() {
  static base::Counter& c = base::Metrics::global().counter(
      "webhook_dropped_total", "Webhook deliveries dropped unsent because the hook's queue was full");
  return c;
}

// The attempt was cut short by the timeout or by stop(); what() is the reason.
struct Aborted : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An RFC 4122 version 4 UUID from the (non-cryptographic) process randomness: it only has to be
// unique, not secret.
std::string newDeliveryId() {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::array<std::uint8_t, 16> b{};
  const std::uint64_t hi = base::randomU64();
  const std::uint64_t lo = base::randomU64();
  for (std::size_t i = 0; i < 8; ++i) {
    b[i] = static_cast<std::uint8_t>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<std::uint8_t>(lo >> (56 - 8 * i));
  }
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // variant 10
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kDigits[b[i] >> 4];
    out += kDigits[b[i] & 15];
  }
  return out;
}

// Header values come from internal names, but a CR or LF must never split a header.
std::string headerSafe(std::string_view v) {
  std::string out(v);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The status line and framing headers of an HTTP/1.1 response head (RFC 9112 §4, §6.3),
// `head` ending with the blank line. Pure and bounded by the head it is given.
struct ResponseHead {
  int status = 0;
  std::optional<std::size_t> contentLength;
};

std::optional<ResponseHead> parseResponseHead(std::string_view head) {
  // status-line = HTTP-version SP status-code SP [ reason-phrase ]
  const auto eol = head.find("\r\n");
  if (eol == std::string_view::npos) return std::nullopt;
  const std::string_view line = head.substr(0, eol);
  if (line.size() < 12 || line.substr(0, 5) != "HTTP/" || line[8] != ' ') return std::nullopt;
  int status = 0;
  const auto code = line.substr(9, 3);
  const auto [p, ec] = std::from_chars(code.data(), code.data() + code.size(), status);
  if (ec != std::errc() || p != code.data() + code.size() || status < 100 || status > 999)
    return std::nullopt;
  ResponseHead r;
  r.status = status;
  std::size_t pos = eol + 2;
  while (pos < head.size()) {
    const auto end = head.find("\r\n", pos);
    if (end == std::string_view::npos || end == pos) break;
    const std::string_view field = head.substr(pos, end - pos);
    pos = end + 2;
    const auto colon = field.find(':');
    if (colon == std::string_view::npos) continue;
    if (iequals(trim(field.substr(0, colon)), "content-length")) {
      const auto value = trim(field.substr(colon + 1));
      std::size_t n = 0;
      const auto [q, e] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (e == std::errc() && q == value.data() + value.size()) r.contentLength = n;
    }
  }
  return r;
}

}  // namespace

// ------------------------------------------------------------------ one hook

// Everything one webhook needs, shared with its running delivery coroutine so that the
// sender may be destroyed while cancelled operations are still completing. Loop only.
struct WebhookSender::Hook : std::enable_shared_from_this<Hook> {
  struct Delivery {
    std::string id;
    std::string method;
    std::string body;
  };

  Hook(asio::io_context& l, Webhook c, Target t, const Options& o)
      : loop(l),
        config(std::move(c)),
        target(std::move(t)),
        options(o),
        log(base::Logger("webhook").child(target.hostHeader + target.path.substr(0, target.path.find('?')))),
        resolver(l),
        socket(l),
        backoff(l),
        deadline(l) {}

  asio::io_context& loop;
  const Webhook config;
  const Target target;
  const Options options;
  const base::Logger log;
  std::deque<Delivery> queue;
  tcp::resolver resolver;
  tcp::socket socket;
  asio::steady_timer backoff;
  asio::steady_timer deadline;
  base::RateLimiter dropLog;
  base::RateLimiter failLog;
  bool running = false;  // a run() coroutine is draining the queue
  bool stopped = false;
  std::uint64_t attemptSeq = 0;  // tells the deadline handler of an old attempt from the current one
  bool timedOut = false;

  bool wants(const std::string& topic) const {
    if (config.topics.empty()) return topic == kAlerts;
    return std::find(config.topics.begin(), config.topics.end(), topic) != config.topics.end();
  }

  void enqueue(Delivery d) {
    if (stopped) return;
    if (queue.size() >= std::max<std::size_t>(options.queueLimit, 1)) {
      queue.pop_front();
      droppedCounter().add();
      if (const auto n = dropLog.allow()) {
        log.warn("receiver too slow: queue full ({} pending), dropped {} oldest event(s)", queue.size() + 1,
                 n);
      }
    }
    queue.push_back(std::move(d));
    if (!running) {
      running = true;
      asio::co_spawn(
          loop, [self = shared_from_this()]() -> awaitable<void> { co_await self->run(); }, asio::detached);
    }
  }

  void stop() {
    stopped = true;
    queue.clear();
    backoff.cancel();
    abortIo();
  }

  void abortIo() {
    boost::system::error_code ignored;
    deadline.cancel();
    resolver.cancel();
    socket.close(ignored);
  }

  std::chrono::milliseconds backoffDelay(int failedAttempts) const {
    // base · 2^(n-1), capped; ±20 % jitter keeps hooks that failed together from retrying together.
    const double max = static_cast<double>(options.backoffMax.count());
    double ms = static_cast<double>(options.backoffBase.count()) * std::pow(2.0, failedAttempts - 1);
    ms = std::min(ms * (0.8 + 0.4 * base::randomUnit()), max);
    return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
  }

  std::string request(const Delivery& d) const {
    const auto signature = auth::toHex(auth::hmacSha256(
        std::span(reinterpret_cast<const std::uint8_t*>(config.secret.data()), config.secret.size()),
        d.body));
    std::string r;
    r.reserve(d.body.size() + 512);
    r += "POST " + target.path + " HTTP/1.1\r\n";
    r += "Host: " + target.hostHeader + "\r\n";
    r += "User-Agent: ocellus\r\n";
    r += "Content-Type: application/json\r\n";
    r += "Content-Length: " + std::to_string(d.body.size()) + "\r\n";
    r += "X-Ocellus-Event: " + headerSafe(d.method) + "\r\n";
    r += "X-Ocellus-Delivery: " + d.id + "\r\n";
    r += "X-Ocellus-Signature: sha256=" + signature + "\r\n";
    r += "Connection: close\r\n\r\n";
    r += d.body;
    return r;
  }

  // Drains the queue one delivery at a time, in order.
  awaitable<void> run() {
    while (!stopped && !queue.empty()) {
      Delivery d = std::move(queue.front());
      queue.pop_front();
      const std::string bytes = request(d);
      std::string failure;
      int attempts = 0;
      while (!stopped) {
        ++attempts;
        failure = co_await attempt(bytes);
        if (stopped || failure.empty() || attempts >= options.maxAttempts) break;
        const auto delay = backoffDelay(attempts);
        log.debug("delivery {} ({}) attempt {} failed: {}; retrying in {} ms", d.id, d.method, attempts,
                  failure, delay.count());
        backoff.expires_after(delay);
        boost::system::error_code ec;
        co_await backoff.async_wait(asio::redirect_error(use_awaitable, ec));
      }
      if (stopped) break;
      if (failure.empty()) {
        deliveredCounter().add();
        log.trace("delivered {} ({})", d.id, d.method);
      } else {
        failedCounter().add();
        if (const auto n = failLog.allow()) {
          log.warn("dropped delivery {} ({}) after {} attempts: {} ({} dropped since the last report)", d.id,
                   d.method, attempts, failure, n);
        }
      }
    }
    running = false;
  }

  // One attempt within options.timeout: "" when the receiver answered 2xx, else why not.
  awaitable<std::string> attempt(const std::string& bytes) {
    const auto seq = ++attemptSeq;
    timedOut = false;
    deadline.expires_after(options.timeout);
    deadline.async_wait([weak = weak_from_this(), seq](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->attemptSeq != seq) return;
      self->timedOut = true;
      self->abortIo();
    });
    std::string failure;
    try {
      const int status = co_await exchange(bytes);
      if (status < 200 || status > 299) failure = "answered " + std::to_string(status);
    } catch (const std::exception& e) {
      if (stopped) {
        failure = "stopped";
      } else if (timedOut) {
        failure = "no answer within " + std::to_string(options.timeout.count()) + " ms";
      } else {
        failure = e.what();
      }
    }
    ++attemptSeq;  // whatever the deadline handler does from now on concerns no attempt
    boost::system::error_code ignored;
    deadline.cancel();
    socket.close(ignored);
    co_return failure;
  }

  // Between two awaits the deadline or stop() may have fired while its completion was queued.
  void checkAborted() const {
    if (stopped) throw Aborted("stopped");
    if (timedOut) throw Aborted("timed out");
  }

  // Resolve, connect, send, read the answer's head and discard its body: the status code.
  awaitable<int> exchange(const std::string& bytes) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(target.host, ec);
    if (!ec) {
      co_await socket.async_connect(tcp::endpoint(address, target.port), use_awaitable);
    } else {
      const auto endpoints =
          co_await resolver.async_resolve(target.host, std::to_string(target.port), use_awaitable);
      checkAborted();
      co_await asio::async_connect(socket, endpoints, use_awaitable);
    }
    checkAborted();
    socket.set_option(tcp::no_delay(true), ec);
    co_await asio::async_write(socket, asio::buffer(bytes), use_awaitable);
    checkAborted();

    std::string in;
    std::optional<ResponseHead> head;
    for (;;) {
      const std::size_t n = co_await asio::async_read_until(
          socket, asio::dynamic_buffer(in, kMaxResponseHead), "\r\n\r\n", use_awaitable);
      checkAborted();
      head = parseResponseHead(std::string_view(in).substr(0, n));
      if (!head) throw std::runtime_error("malformed HTTP response");
      in.erase(0, n);
      // 1xx answers are interim (RFC 9110 §15.2): the final one follows.
      if (head->status >= 200) break;
    }
    co_await discardBody(*head, in.size());
    co_return head->status;
  }

  // Reads what is left of the body (we sent Connection: close) so the receiver is not reset
  // mid-answer; its content and any error while reading it do not matter any more.
  awaitable<void> discardBody(const ResponseHead& head, std::size_t alreadyRead) {
    if (head.status == 204 || head.status == 304) co_return;
    std::size_t left = kMaxDiscardedBody;
    if (head.contentLength) {
      if (*head.contentLength <= alreadyRead) co_return;
      left = std::min(left, *head.contentLength - alreadyRead);
    }
    std::array<char, 4096> sink{};
    boost::system::error_code ec;
    while (left > 0 && !stopped && !timedOut) {
      const std::size_t n =
          co_await socket.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      left -= std::min(left, n);
    }
  }
};

// ------------------------------------------------------------------ sender

WebhookSender::WebhookSender(asio::io_context& control, EventBus& bus, std::vector<Webhook> hooks)
    : WebhookSender(control, bus, std::move(hooks), Options{}) {}

WebhookSender::WebhookSender(asio::io_context& control, EventBus& bus, std::vector<Webhook> hooks,
                             Options options)
    : control_(control), bus_(bus), options_(options) {
  for (auto& h : hooks) {
    std::string error;
    auto target = parseUrl(h.url, &error);
    if (!target) {
      base::Logger("webhook").error("ignoring webhook '{}': {}", h.url, error);
      continue;
    }
    hooks_.push_back(std::make_shared<Hook>(control_, std::move(h), std::move(*target), options_));
  }
  if (!hooks_.empty()) subscription_ = bus_.subscribe([this](const Event& e) { onEvent(e); });
}

WebhookSender::~WebhookSender() {
  stop();
}

void WebhookSender::stop() {
  if (subscription_) {
    bus_.unsubscribe(*subscription_);
    subscription_.reset();
  }
  for (auto& h : hooks_) h->stop();
}

void WebhookSender::onEvent(const Event& event) {
  const auto now = base::wallMillis(base::Clock::system().wallNow());
  for (auto& h : hooks_) {
    if (!h->wants(event.topic)) continue;
    auto id = newDeliveryId();
    auto body = makeBody(event, now, id);
    h->enqueue({std::move(id), event.method, std::move(body)});
  }
}

std::optional<WebhookSender::Target> WebhookSender::parseUrl(std::string_view url, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<Target> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return fail("not a URL: " + parsed.error().message());
  const boost::urls::url_view& u = *parsed;
  if (u.scheme_id() != boost::urls::scheme::http) return fail("only http:// URLs are supported");
  if (u.has_userinfo()) return fail("credentials in the URL are not supported");
  Target t;
  switch (u.host_type()) {
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
      t.host = u.host_address();  // IPv6 without its brackets
      break;
    case boost::urls::host_type::name:
      t.host = u.host_name();
      break;
    default:
      break;
  }
  if (t.host.empty()) return fail("no host");
  if (u.has_port() && !u.port().empty()) {
    // port_number() wraps values above 65535, so read the digits (RFC 3986 §3.2.3: *DIGIT).
    const std::string_view digits = u.port();
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value == 0 || value > 65535) {
      return fail("invalid port '" + std::string(digits) + "'");
    }
    t.port = static_cast<std::uint16_t>(value);
  }
  t.hostHeader = std::string(u.encoded_host_and_port());
  if (!t.hostHeader.empty() && t.hostHeader.back() == ':') t.hostHeader.pop_back();  // "http://h:/"
  t.path = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
  if (u.has_query()) t.path += "?" + std::string(u.encoded_query());
  return t;
}

std::string WebhookSender::makeBody(const Event& event, std::int64_t timestampMs, const std::string& id) {
  boost::json::object o;
  o["event"] = event.method;
  o["topic"] = event.topic;
  if (event.camera.empty()) {
    o["camera"] = nullptr;
  } else {
    o["camera"] = event.camera;
  }
  o["data"] = event.params;
  o["timestamp"] = isoTimestamp(timestampMs);
  o["id"] = id;
  return boost::json::serialize(o);
}

std::string WebhookSender::isoTimestamp(std::int64_t unixMillis) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{unixMillis}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

}  // namespace ocellus::api::events
