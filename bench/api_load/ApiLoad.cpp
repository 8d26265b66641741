#include "ApiLoad.h"

#include <sys/resource.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <stdexcept>

#include "RtspPublisher.h"
#include "TimestampedSocket.h"

namespace ocellus::bench::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kCallInterval = 1s;  // each active client's get_camera_status period
constexpr auto kPoll = 5ms;         // how often a phase checks whether its coroutines are done

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CLOCK_REALTIME in ns: the clock of the kernel's receive timestamps (TimestampedSocket).
std::int64_t realtimeNs() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// From `sentNs` to a kernel receive timestamp, ms; never negative.
double arrivalMs(std::int64_t sentNs, std::int64_t receivedNs) {
  return receivedNs > sentNs ? static_cast<double>(receivedNs - sentNs) / 1e6 : 0.0;
}

Clock::duration seconds(double s) { return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); }

double cpuS() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return tv(u.ru_utime) + tv(u.ru_stime);
}

void marker(const char* line) {
  std::fprintf(stderr, "%s\n", line);
  std::fflush(stderr);
}

// co_spawn completion: a coroutine that throws is a bug in this client; say so and go on.
void reportException(const std::exception_ptr& e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    std::fprintf(stderr, "api_load: coroutine failed: %s\n", x.what());
  }
}

std::string failure(std::string_view step, const beast::error_code& e, bool timedOut = false) {
  return std::string(step) + ": " + (timedOut ? std::string("timeout") : e.message());
}

tcp::endpoint resolve(const HostPort& hp) {
  asio::io_context io;
  tcp::resolver resolver(io);
  beast::error_code e;
  auto results = resolver.resolve(hp.host, std::to_string(hp.port), e);
  if (e || results.empty()) throw std::runtime_error("cannot resolve " + hp.host + ": " + e.message());
  return results.begin()->endpoint();
}

std::uint64_t idOf(const json::value& id) {
  if (id.is_uint64()) return id.get_uint64();
  if (id.is_int64()) return static_cast<std::uint64_t>(id.get_int64());
  return 0;
}

// Closes `socket` unless cancelled first: the time limit of the operations on it.
void arm(asio::steady_timer& watchdog, TimestampedSocket& socket, bool& timedOut, Clock::duration limit) {
  timedOut = false;
  watchdog.expires_after(limit);
  watchdog.async_wait([&socket, &timedOut](const beast::error_code& e) {
    if (e) return;  // cancelled: `socket` may be gone
    timedOut = true;
    socket.close();
  });
}

struct WsClient {
  struct Pending {
    std::uint64_t id;
    Clock::time_point sent;
    std::int64_t sentNs;  // CLOCK_REALTIME
    bool counted;         // sent inside the window
  };

  explicit WsClient(const asio::any_io_executor& executor) : ws(executor), watchdog(executor) {}

  websocket::stream<TimestampedSocket> ws;
  asio::steady_timer watchdog;  // set-up time limit
  bool timedOut = false;
  beast::flat_buffer buffer;
  std::string device;       // polled with get_camera_status
  bool active = false;      // an active-phase client
  bool open = false;        // set up and not yet closed
  bool closing = false;     // this client is closing it
  std::uint64_t nextId = 1;
  std::vector<Pending> pending;  // calls without an answer yet (one or two)
  int lastToggle = -1;           // the last status change this client was notified of
};

}  // namespace

struct ApiLoad::Impl {
  struct Toggle {
    bool online;
    Clock::time_point t0;  // RECORD sent, or the connection closed
    std::int64_t t0Ns;     // the same, CLOCK_REALTIME
    int expected;          // subscribed clients then
    bool failed = false;   // RECORD was refused: nothing to notify
  };

  explicit Impl(Options options)
      : o(std::move(options)),
        httpEndpoint(resolve(o.http)),
        rtspEndpoint(o.publisherCamera.empty() ? tcp::endpoint() : resolve(o.rtsp)),
        hostHeader(o.http.host + ":" + std::to_string(o.http.port)) {}

  asio::awaitable<void> runAll();

  // Connection set-up -------------------------------------------------------------------
  asio::awaitable<std::string> setUp(WsClient& c, bool subscribe);
  asio::awaitable<std::string> call(WsClient& c, const std::string& text, std::string_view what);
  asio::awaitable<void> setUpWorker(std::vector<std::shared_ptr<WsClient>>* clients, std::size_t* next,
                                    SetupStats* stats);
  asio::awaitable<void> setUpAll(std::vector<std::shared_ptr<WsClient>>& clients, SetupStats& stats);
  asio::awaitable<void> closeAll(std::vector<std::shared_ptr<WsClient>>& clients);
  asio::awaitable<void> closeOne(std::shared_ptr<WsClient> c);

  // Load ----------------------------------------------------------------------------------
  asio::awaitable<void> readLoop(std::shared_ptr<WsClient> c);
  asio::awaitable<void> callLoop(std::shared_ptr<WsClient> c, Clock::time_point first);
  asio::awaitable<void> restLoop(int index);
  asio::awaitable<void> publisherLoop();
  // `now`: when this client handles the message; `receivedNs`: when the kernel received it.
  void onMessage(WsClient& c, std::string_view text, Clock::time_point now, std::int64_t receivedNs);
  void onStatus(WsClient& c, const json::object& params, Clock::time_point now, std::int64_t receivedNs);

  // Helpers -------------------------------------------------------------------------------
  asio::awaitable<void> sleepUntil(Clock::time_point t);
  // Polls `done` until it holds or `deadline` passes; true if it holds.
  asio::awaitable<bool> waitFor(const std::function<bool()>& done, Clock::time_point deadline);
  bool inWindow(Clock::time_point t) const { return t >= windowStart && t < windowEnd; }
  std::string request(std::uint64_t id, const char* method, const std::string& params) const;
  template <typename Coroutine>
  void spawn(Coroutine&& coroutine) {
    asio::co_spawn(io, std::forward<Coroutine>(coroutine), reportException);
  }

  Options o;
  asio::io_context io{1};
  tcp::endpoint httpEndpoint;
  tcp::endpoint rtspEndpoint;
  std::string hostHeader;

  std::vector<std::shared_ptr<WsClient>> activeClients, idleClients;
  Clock::time_point start, windowStart, windowEnd;
  int workers = 0;       // set-up workers running
  int readers = 0;       // read loops running
  int callers = 0;       // call loops running
  int restRunning = 0;   // REST loops running
  bool publishing = false;
  int openActive = 0;
  int openIdle = 0;
  std::uint64_t outstanding = 0;  // RPCs sent in the window, not answered yet
  std::vector<Toggle> toggles;
  Samples rpc, rest, notification, sendLag;
  Samples rpcArrival, restArrival, notificationArrival;
  Report r;
};

// ------------------------------------------------------------------------------ helpers

asio::awaitable<void> ApiLoad::Impl::sleepUntil(Clock::time_point t) {
  asio::steady_timer timer(io, t);
  co_await timer.async_wait(kTuple);
}

asio::awaitable<bool> ApiLoad::Impl::waitFor(const std::function<bool()>& done, Clock::time_point deadline) {
  asio::steady_timer timer(io);
  while (!done()) {
    const auto now = Clock::now();
    if (now >= deadline) co_return false;
    timer.expires_at(std::min(deadline, now + kPoll));
    co_await timer.async_wait(kTuple);
  }
  co_return true;
}

std::string ApiLoad::Impl::request(std::uint64_t id, const char* method, const std::string& params) const {
  return "{\"jsonrpc\":\"2.0\",\"method\":\"" + std::string(method) + "\",\"params\":" + params +
         ",\"id\":" + std::to_string(id) + "}";
}

// ------------------------------------------------------------------------------ set-up

// One JSON-RPC call during set-up, before the read loop runs: "" when it answered a result.
asio::awaitable<std::string> ApiLoad::Impl::call(WsClient& c, const std::string& text, std::string_view what) {
  if (auto [e, n] = co_await c.ws.async_write(asio::buffer(text), kTuple); e) co_return failure(what, e, c.timedOut);
  for (;;) {
    auto [e, n] = co_await c.ws.async_read(c.buffer, kTuple);
    if (e) co_return failure(what, e, c.timedOut);
    const std::string_view message(static_cast<const char*>(c.buffer.data().data()), c.buffer.size());
    beast::error_code pe;
    const json::value v = json::parse(message, pe);
    c.buffer.consume(c.buffer.size());
    if (pe || !v.is_object()) co_return std::string(what) + ": not a JSON object";
    const auto& o = v.get_object();
    const auto* id = o.if_contains("id");
    if (!id || id->is_null()) continue;  // a notification
    if (const auto* error = o.if_contains("error")) {
      const auto* code = error->is_object() ? error->get_object().if_contains("code") : nullptr;
      co_return std::string(what) + ": error " + (code ? json::serialize(*code) : std::string("?"));
    }
    co_return std::string();
  }
}

asio::awaitable<std::string> ApiLoad::Impl::setUp(WsClient& c, bool subscribe) {
  auto& socket = c.ws.next_layer();
  arm(c.watchdog, socket, c.timedOut, seconds(o.timeoutS));  // covers every step below
  if (auto [e] = co_await socket.socket().async_connect(httpEndpoint, kTuple); e)
    co_return failure("connect", e, c.timedOut);
  socket.enableTimestamps();
  if (auto [e] = co_await c.ws.async_handshake(hostHeader, "/ws", kTuple); e)
    co_return failure("handshake", e, c.timedOut);
  const std::string authenticate = request(c.nextId++, "authenticate", "{\"auth_token\":" + jsonString(o.token) + "}");
  if (auto why = co_await call(c, authenticate, "authenticate"); !why.empty()) co_return why;
  if (subscribe) {
    const std::string sub = request(c.nextId++, "subscribe_events", "{\"topics\":[\"camera_status\"]}");
    if (auto why = co_await call(c, sub, "subscribe_events"); !why.empty()) co_return why;
  }
  c.watchdog.cancel();
  co_return std::string();
}

asio::awaitable<void> ApiLoad::Impl::setUpWorker(std::vector<std::shared_ptr<WsClient>>* clients, std::size_t* next,
                                                 SetupStats* stats) {
  while (*next < clients->size()) {
    auto c = (*clients)[(*next)++];
    const std::string why = co_await setUp(*c, c->active);
    if (why.empty()) {
      ++stats->connected;
      c->open = true;
      ++(c->active ? openActive : openIdle);
      spawn(readLoop(c));
    } else {
      ++stats->failed;
      ++stats->failures[why];
      c->watchdog.cancel();
      c->ws.next_layer().close();
    }
  }
  --workers;
}

asio::awaitable<void> ApiLoad::Impl::setUpAll(std::vector<std::shared_ptr<WsClient>>& clients, SetupStats& stats) {
  const auto t0 = Clock::now();
  stats.requested = static_cast<int>(clients.size());
  std::size_t next = 0;
  const int n = std::min<int>(o.inflight, static_cast<int>(clients.size()));
  for (int i = 0; i < n; ++i) {
    ++workers;
    spawn(setUpWorker(&clients, &next, &stats));
  }
  const std::function<bool()> done = [this] { return workers == 0; };
  co_await waitFor(done, Clock::time_point::max());
  stats.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
}

asio::awaitable<void> ApiLoad::Impl::closeOne(std::shared_ptr<WsClient> c) {
  const websocket::close_reason why(websocket::close_code::normal);
  co_await c->ws.async_close(why, kTuple);  // the read loop gets the server's close frame
}

asio::awaitable<void> ApiLoad::Impl::closeAll(std::vector<std::shared_ptr<WsClient>>& clients) {
  for (auto& c : clients) {
    if (!c->open) continue;
    c->closing = true;
    spawn(closeOne(c));
  }
  const std::function<bool()> done = [this] { return readers == 0; };
  if (!co_await waitFor(done, Clock::now() + 5s)) {
    for (auto& c : clients) c->ws.next_layer().close();  // cancels the reads
    co_await waitFor(done, Clock::now() + 2s);
  }
  clients.clear();
}

// ------------------------------------------------------------------------------ load

asio::awaitable<void> ApiLoad::Impl::readLoop(std::shared_ptr<WsClient> c) {
  ++readers;
  for (;;) {
    auto [e, n] = co_await c->ws.async_read(c->buffer, kTuple);
    if (e) break;
    const auto now = Clock::now();
    const std::string_view text(static_cast<const char*>(c->buffer.data().data()), c->buffer.size());
    onMessage(*c, text, now, c->ws.next_layer().lastReceiveNs());
    c->buffer.consume(c->buffer.size());
  }
  if (c->open) {
    c->open = false;
    --(c->active ? openActive : openIdle);
    if (c->active && !c->closing) ++r.disconnects;
  }
  --readers;
}

void ApiLoad::Impl::onMessage(WsClient& c, std::string_view text, Clock::time_point now, std::int64_t receivedNs) {
  beast::error_code e;
  const json::value v = json::parse(text, e);
  if (e || !v.is_object()) {
    ++r.badMessages;
    return;
  }
  const auto& o = v.get_object();
  if (const auto* id = o.if_contains("id"); id && !id->is_null()) {
    const auto want = idOf(*id);
    for (auto it = c.pending.begin(); it != c.pending.end(); ++it) {
      if (it->id != want) continue;
      if (it->counted) {
        --outstanding;
        rpc.add(ms(now - it->sent));
        rpcArrival.add(arrivalMs(it->sentNs, receivedNs));
        if (const auto* error = o.if_contains("error")) {
          ++r.rpcErrors;
          const auto* code = error->is_object() ? error->get_object().if_contains("code") : nullptr;
          ++r.rpcErrorCodes[code ? json::serialize(*code) : std::string("?")];
        }
      }
      c.pending.erase(it);
      break;
    }
    return;
  }
  const auto* method = o.if_contains("method");
  const auto* params = o.if_contains("params");
  if (method && method->is_string() && method->get_string() == "camera_status_update" && params &&
      params->is_object()) {
    onStatus(c, params->get_object(), now, receivedNs);
  }
}

// A notification belongs to the latest status change of the same kind on the publisher camera.
void ApiLoad::Impl::onStatus(WsClient& c, const json::object& params, Clock::time_point now,
                             std::int64_t receivedNs) {
  const auto* device = params.if_contains("device");
  const auto* status = params.if_contains("status");
  if (!device || !device->is_string() || device->get_string() != o.publisherCamera || !status || !status->is_string())
    return;
  const bool online = status->get_string() == "online";
  if (!online && status->get_string() != "offline") return;
  for (int i = static_cast<int>(toggles.size()) - 1; i >= 0; --i) {
    const auto& t = toggles[static_cast<std::size_t>(i)];
    if (t.online != online) continue;
    if (c.lastToggle == i) {
      ++r.notificationsDuplicate;
    } else if (!t.failed) {
      c.lastToggle = i;
      ++r.notificationsDelivered;
      notification.add(ms(now - t.t0));
      notificationArrival.add(arrivalMs(t.t0Ns, receivedNs));
    }
    return;
  }
}

asio::awaitable<void> ApiLoad::Impl::callLoop(std::shared_ptr<WsClient> c, Clock::time_point first) {
  ++callers;
  asio::steady_timer timer(io);
  const std::string device = "{\"device\":" + jsonString(c->device) + "}";
  for (auto next = first; next < windowEnd && c->open; next += kCallInterval) {
    timer.expires_at(next);
    co_await timer.async_wait(kTuple);
    if (!c->open) break;
    const auto now = Clock::now();
    const bool counted = inWindow(now);
    if (counted) {
      sendLag.add(ms(now - next));
      ++r.rpcCalls;
      ++outstanding;
    }
    const auto id = c->nextId++;
    const std::string text = request(id, "get_camera_status", device);
    c->pending.push_back({id, now, realtimeNs(), counted});
    if (auto [e, n] = co_await c->ws.async_write(asio::buffer(text), kTuple); e) break;  // the read loop counts it
  }
  --callers;
}

// REST connection `index` of o.restConnections sends requests k = index, index + C, … at
// start + k / R: open-loop, so a slow answer delays only its own connection's next request.
asio::awaitable<void> ApiLoad::Impl::restLoop(int index) {
  ++restRunning;
  TimestampedSocket stream(io.get_executor());
  asio::steady_timer watchdog(io);  // destroyed before `stream`
  bool timedOut = false;
  beast::flat_buffer buffer;
  bool connected = false;
  http::request<http::empty_body> req{http::verb::get, "/api/v1/cameras", 11};
  req.set(http::field::host, hostHeader);
  req.set(http::field::authorization, "Bearer " + o.token);
  req.set(http::field::user_agent, "ocellus-api_load");
  req.keep_alive(true);
  const auto period = seconds(1.0 / o.restRps);
  for (std::int64_t k = index;; k += o.restConnections) {
    const auto slot = start + k * period;
    if (slot >= windowEnd) break;
    co_await sleepUntil(slot);
    if (!connected) {
      arm(watchdog, stream, timedOut, seconds(o.timeoutS));
      auto [e] = co_await stream.socket().async_connect(httpEndpoint, kTuple);
      watchdog.cancel();
      if (e) {
        if (inWindow(slot)) {
          ++r.restRequests;
          ++r.restErrors;
          ++r.restFailures[failure("connect", e, timedOut)];
        }
        stream.close();
        continue;
      }
      stream.enableTimestamps();
      connected = true;
    }
    const auto sent = Clock::now();
    const auto sentNs = realtimeNs();
    const bool counted = inWindow(sent);
    if (counted) sendLag.add(ms(sent - slot));
    http::response<http::string_body> res;
    arm(watchdog, stream, timedOut, seconds(o.timeoutS));
    auto [we, wn] = co_await http::async_write(stream, req, kTuple);
    beast::error_code e = we;
    if (!e) {
      auto [re, rn] = co_await http::async_read(stream, buffer, res, kTuple);
      e = re;
    }
    watchdog.cancel();
    const auto done = Clock::now();
    if (counted) {
      ++r.restRequests;
      rest.add(ms(done - sent));
      if (!e) restArrival.add(arrivalMs(sentNs, stream.lastReceiveNs()));
      if (e) {
        ++r.restErrors;
        ++r.restFailures[failure("io", e, timedOut)];
      } else if (res.result_int() != 200) {
        ++r.restErrors;
        ++r.restFailures["status " + std::to_string(res.result_int())];
      }
    }
    if (e || !res.keep_alive()) {
      if (counted && !e) ++r.restFailures["server closed keep-alive"];
      stream.close();
      buffer.clear();
      connected = false;
    }
  }
  stream.close();
  --restRunning;
}

// Every o.toggleS from the start of the window: publish (RECORD) the publisher camera, keep it
// for half the period, then close the connection; each edge is one status change to time.
asio::awaitable<void> ApiLoad::Impl::publisherLoop() {
  publishing = true;
  const auto period = seconds(o.toggleS);
  const std::string url = "rtsp://" + o.rtsp.host + ":" + std::to_string(o.rtsp.port) + "/cameras/" + o.publisherCamera;
  for (auto cycle = windowStart + 250ms; cycle + period <= windowEnd; cycle += period) {
    co_await sleepUntil(cycle);
    RtspPublisher publisher(io.get_executor(), rtspEndpoint, url, seconds(o.timeoutS));
    if (auto why = co_await publisher.prepare(); !why.empty()) {
      ++r.publishFailures[why];
      publisher.close();
      continue;
    }
    toggles.push_back({true, Clock::now(), realtimeNs(), openActive});
    if (auto why = co_await publisher.record(); !why.empty()) {
      toggles.back().failed = true;
      ++r.publishFailures[why];
      publisher.close();
      continue;
    }
    co_await sleepUntil(toggles.back().t0 + period / 2);
    toggles.push_back({false, Clock::now(), realtimeNs(), openActive});
    publisher.close();
  }
  publishing = false;
}

// ------------------------------------------------------------------------------ phases

asio::awaitable<void> ApiLoad::Impl::runAll() {
  // Active phase: set up every client before the load starts.
  for (int i = 0; i < o.active; ++i) {
    auto c = std::make_shared<WsClient>(io.get_executor());
    c->active = true;
    c->device = o.cameras[static_cast<std::size_t>(i) % o.cameras.size()];
    activeClients.push_back(std::move(c));
  }
  co_await setUpAll(activeClients, r.active);

  start = Clock::now() + 100ms;
  windowStart = start + seconds(o.warmupS);
  windowEnd = windowStart + seconds(o.durationS);
  const auto n = activeClients.size();
  for (std::size_t i = 0; i < n; ++i) {  // first calls spread evenly over the first interval
    const auto& c = activeClients[i];
    if (!c->open) continue;
    const auto offset = std::chrono::duration_cast<Clock::duration>(kCallInterval * (static_cast<double>(i) + 0.5) /
                                                                     static_cast<double>(n));
    spawn(callLoop(c, start + offset));
  }
  if (o.restRps > 0) {
    for (int k = 0; k < o.restConnections; ++k) spawn(restLoop(k));
  }
  if (!o.publisherCamera.empty()) spawn(publisherLoop());

  co_await sleepUntil(windowStart);
  const double cpu0 = cpuS();
  marker("READY");
  co_await sleepUntil(windowEnd);
  const double cpu1 = cpuS();
  marker("WINDOW_END");
  r.windowS = std::chrono::duration<double>(Clock::now() - windowStart).count();
  r.clientCpuPct = 100 * (cpu1 - cpu0) / r.windowS;

  const std::function<bool()> settled = [this] {
    return outstanding == 0 && callers == 0 && restRunning == 0 && !publishing;
  };
  co_await waitFor(settled, windowEnd + seconds(o.graceS));
  r.rpcUnanswered = outstanding;
  for (const auto& t : toggles) {
    if (!t.failed) {
      ++r.toggles;
      r.notificationsExpected += static_cast<std::uint64_t>(t.expected);
    }
  }
  co_await closeAll(activeClients);

  // Idle phase: M connections that only authenticate, held open.
  if (o.idle <= 0) co_return;
  co_await sleepUntil(Clock::now() + 1s);  // the server tears the active clients down
  marker("IDLE_BEGIN");
  co_await sleepUntil(Clock::now() + 1s);  // the driver samples the server's RSS now
  for (int i = 0; i < o.idle; ++i) idleClients.push_back(std::make_shared<WsClient>(io.get_executor()));
  co_await setUpAll(idleClients, r.idle);
  co_await sleepUntil(Clock::now() + seconds(o.idleSettleS));
  r.idleOpenAtReady = openIdle;
  marker("IDLE_READY");
  co_await sleepUntil(Clock::now() + seconds(o.idleHoldS));
  r.idleOpenAtEnd = openIdle;
  co_await closeAll(idleClients);
}

// ------------------------------------------------------------------------------ ApiLoad

ApiLoad::ApiLoad(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
ApiLoad::~ApiLoad() = default;

Report ApiLoad::run() {
  auto& i = *impl_;
  i.spawn(i.runAll());
  i.io.run();
  i.r.rpc = i.rpc.summarize();
  i.r.rest = i.rest.summarize();
  i.r.notification = i.notification.summarize();
  i.r.sendLag = i.sendLag.summarize();
  i.r.rpcArrival = i.rpcArrival.summarize();
  i.r.restArrival = i.restArrival.summarize();
  i.r.notificationArrival = i.notificationArrival.summarize();
  return i.r;
}

}  // namespace ocellus::bench::api
