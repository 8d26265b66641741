#include "api/events/WebhookSender.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "base/Clock.h"
#include "base/Metrics.h"

namespace ocellus::api::events {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using namespace std::chrono_literals;

// ------------------------------------------------------------------ a tiny HTTP receiver

struct Request {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
};

// Accepts on 127.0.0.1:<ephemeral> on its own thread, records every request and answers with
// the next status of `statuses` (the last one repeats). A silent receiver reads the request
// and never answers; a closed one refuses connections.
class Receiver {
 public:
  enum class Mode { Answer, AnswerWithoutLength, Silent };

  explicit Receiver(std::vector<int> statuses = {200}, Mode mode = Mode::Answer)
      : statuses_(std::move(statuses)),
        mode_(mode),
        acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, accept(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~Receiver() {
    ioc_.stop();
    thread_.join();
  }

  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }
  std::uint16_t port() const { return port_; }
  std::size_t connections() const { return connections_.load(); }
  std::size_t answered() const { return answered_.load(); }

 private:
  awaitable<void> accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket s = co_await acceptor_.async_accept(asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      ++connections_;
      asio::co_spawn(ioc_, serve(std::move(s)), asio::detached);
    }
  }

  awaitable<void> serve(tcp::socket s) {
    boost::system::error_code ec;
    auto token = asio::redirect_error(use_awaitable, ec);
    std::string in;
    const std::size_t n = co_await asio::async_read_until(s, asio::dynamic_buffer(in), "\r\n\r\n", token);
    if (ec) co_return;
    Request r;
    const std::string head = in.substr(0, n);
    in.erase(0, n);
    std::size_t pos = head.find("\r\n");
    const std::string line = head.substr(0, pos);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.find(' ', sp1 + 1);
    r.method = line.substr(0, sp1);
    r.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    pos += 2;
    while (pos < head.size()) {
      const auto end = head.find("\r\n", pos);
      if (end == pos) break;
      const std::string field = head.substr(pos, end - pos);
      pos = end + 2;
      const auto colon = field.find(':');
      std::string name = field.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      r.headers[name] = field.substr(field.find_first_not_of(' ', colon + 1));
    }
    const std::size_t length =
        std::stoul(r.headers.count("content-length") ? r.headers["content-length"] : "0");
    if (in.size() < length) {
      co_await asio::async_read(s, asio::dynamic_buffer(in), asio::transfer_exactly(length - in.size()),
                                token);
      if (ec) co_return;
    }
    r.body = in.substr(0, length);
    int status = 0;
    {
      std::lock_guard lock(mutex_);
      status = statuses_[std::min(requests_.size(), statuses_.size() - 1)];
      requests_.push_back(std::move(r));
    }
    if (mode_ == Mode::Silent) {
      // Keep the connection open and say nothing until the client gives up.
      std::array<char, 256> sink{};
      while (!ec) co_await s.async_read_some(asio::buffer(sink), token);
      co_return;
    }
    std::string answer = "HTTP/1.1 " + std::to_string(status) + " Whatever\r\nConnection: close\r\n";
    if (mode_ == Mode::Answer) answer += "Content-Length: 11\r\n";
    answer += "\r\nhello there";
    co_await asio::async_write(s, asio::buffer(answer), token);
    s.shutdown(tcp::socket::shutdown_send, ec);
    ++answered_;
  }

  const std::vector<int> statuses_;
  const Mode mode_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> answered_{0};
  mutable std::mutex mutex_;
  std::vector<Request> requests_;  // guarded by mutex_
};

// A port on which nothing listens: connections are refused.
std::uint16_t closedPort() {
  asio::io_context ioc;
  tcp::acceptor a(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

// ------------------------------------------------------------------ helpers

std::string hmacHex(const std::string& key, const std::string& message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &len);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kDigits[out[i] >> 4];
    hex += kDigits[out[i] & 15];
  }
  return hex;
}

std::uint64_t counter(const std::string& name) {
  return base::Metrics::global().counter(name).value();
}

Event alert(int n, std::string camera = "cam1") {
  Event e;
  e.topic = kAlerts;
  e.method = "alert";
  e.params = boost::json::object{{"id", "a" + std::to_string(n)}, {"n", n}, {"severity", "high"}};
  e.camera = std::move(camera);
  return e;
}

Event cameraStatus(int n) {
  Event e;
  e.topic = kCameraStatus;
  e.method = "camera_status_update";
  e.params = boost::json::object{{"device", "cam1"}, {"status", "online"}, {"n", n}};
  e.camera = "cam1";
  return e;
}

Event recordingStatus() {
  Event e;
  e.topic = kRecordingStatus;
  e.method = "recording_status_update";
  e.params = boost::json::object{{"device", "cam1"}};
  return e;
}

std::int64_t paramN(const Request& r) {
  return boost::json::parse(r.body).at("data").at("n").as_int64();
}

// The control loop runs on the test thread: each test drives it until what it waits for has
// happened, within a deadline.
class WebhookSenderTest : public ::testing::Test {
 protected:
  template <typename Pred>
  bool runUntil(Pred pred, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      loop_.run_for(2ms);  // the work guard keeps this from returning early
    }
    return true;
  }

  // Runs the loop without the guard: returns once nothing is pending any more.
  std::chrono::milliseconds drain() {
    guard_.reset();
    const auto t0 = std::chrono::steady_clock::now();
    loop_.restart();
    loop_.run_for(30s);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  }

  static WebhookSender::Options fast() {
    WebhookSender::Options o;
    o.backoffBase = 10ms;
    o.backoffMax = 40ms;
    o.timeout = 2s;
    return o;
  }

  asio::io_context loop_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard_{loop_.get_executor()};
  EventBus bus_;
};

// ------------------------------------------------------------------ pure parts

TEST(WebhookSenderUrlTest, ParsesHttpUrls) {
  auto t = WebhookSender::parseUrl("http://127.0.0.1:8080/hooks/in?token=x%20y");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 8080);
  EXPECT_EQ(t->hostHeader, "127.0.0.1:8080");
  EXPECT_EQ(t->path, "/hooks/in?token=x%20y");

  t = WebhookSender::parseUrl("http://Example.com");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "Example.com");
  EXPECT_EQ(t->port, 80);
  EXPECT_EQ(t->hostHeader, "Example.com");
  EXPECT_EQ(t->path, "/");

  t = WebhookSender::parseUrl("http://[::1]:9000/a#fragment");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->host, "::1");
  EXPECT_EQ(t->port, 9000);
  EXPECT_EQ(t->hostHeader, "[::1]:9000");
  EXPECT_EQ(t->path, "/a");
}

TEST(WebhookSenderUrlTest, RefusesWhatItCannotSendTo) {
  for (const char* bad :
       {"https://example.com/hook", "ftp://example.com/", "http://user:pw@example.com/", "http:///path",
        "http://example.com:0/", "http://example.com:65536/", "http://example.com:99999/", "not a url", ""}) {
    std::string error;
    EXPECT_FALSE(WebhookSender::parseUrl(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(WebhookSenderUrlTest, FormatsIsoTimestampsInUtcWithMilliseconds) {
  EXPECT_EQ(WebhookSender::isoTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(WebhookSender::isoTimestamp(1714564800123), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(WebhookSender::isoTimestamp(951782400007), "2000-02-29T00:00:00.007Z");
}

TEST(WebhookSenderUrlTest, BodyCarriesTheEvent) {
  const auto body = boost::json::parse(WebhookSender::makeBody(alert(1, ""), 0, "id-1")).as_object();
  EXPECT_EQ(body.at("event"), "alert");
  EXPECT_EQ(body.at("topic"), "alerts");
  EXPECT_TRUE(body.at("camera").is_null());  // not about one camera
  EXPECT_EQ(body.at("data").at("id"), "a1");
  EXPECT_EQ(body.at("timestamp"), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(body.at("id"), "id-1");
  EXPECT_EQ(body.size(), 6u);
}

// ------------------------------------------------------------------ deliveries

TEST_F(WebhookSenderTest, PostsSignedJsonWithHeaders) {
  Receiver receiver;
  const auto delivered = counter("webhook_delivered_total");
  WebhookSender sender(loop_, bus_, {{receiver.url("/hooks/in?x=1"), "s3cret", {}}}, fast());
  ASSERT_EQ(sender.size(), 1u);

  const auto before = base::wallMillis(base::Clock::system().wallNow());
  bus_.publish(alert(7));
  ASSERT_TRUE(runUntil([&] { return counter("webhook_delivered_total") > delivered; }));
  const auto after = base::wallMillis(base::Clock::system().wallNow());

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const Request& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hooks/in?x=1");
  EXPECT_EQ(r.headers.at("host"), "127.0.0.1:" + std::to_string(receiver.port()));
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  EXPECT_EQ(r.headers.at("user-agent"), "ocellus");
  EXPECT_EQ(r.headers.at("x-ocellus-event"), "alert");
  EXPECT_EQ(r.headers.at("content-length"), std::to_string(r.body.size()));
  EXPECT_EQ(r.headers.at("x-ocellus-signature"), "sha256=" + hmacHex("s3cret", r.body));
  EXPECT_NE(r.headers.at("x-ocellus-signature"), "sha256=" + hmacHex("other", r.body));

  const auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body.at("event"), "alert");
  EXPECT_EQ(body.at("topic"), "alerts");
  EXPECT_EQ(body.at("camera"), "cam1");
  EXPECT_EQ(body.at("data"), alert(7).params);
  const std::string id(body.at("id").as_string());
  EXPECT_EQ(r.headers.at("x-ocellus-delivery"), id);
  EXPECT_TRUE(
      std::regex_match(id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
  const std::string ts(body.at("timestamp").as_string());
  EXPECT_TRUE(std::regex_match(ts, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"))) << ts;
  EXPECT_GE(ts, WebhookSender::isoTimestamp(before));
  EXPECT_LE(ts, WebhookSender::isoTimestamp(after));
}

TEST_F(WebhookSenderTest, DeliveryIdsAreUniqueAndAnswersWithoutLengthAreRead) {
  Receiver receiver({200}, Receiver::Mode::AnswerWithoutLength);
  const auto delivered = counter("webhook_delivered_total");
  WebhookSender sender(loop_, bus_, {{receiver.url(), "k", {}}}, fast());
  for (int i = 0; i < 5; ++i) bus_.publish(alert(i));
  ASSERT_TRUE(runUntil([&] { return counter("webhook_delivered_total") >= delivered + 5; }));
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 5u);
  std::vector<std::string> ids;
  for (const auto& r : requests) ids.push_back(r.headers.at("x-ocellus-delivery"));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());
}

TEST_F(WebhookSenderTest, ResolvesHostNames) {
  Receiver receiver;
  const auto delivered = counter("webhook_delivered_total");
  WebhookSender sender(loop_, bus_, {{"http://localhost:" + std::to_string(receiver.port()) + "/h", "k", {}}},
                       fast());
  bus_.publish(alert(1));
  ASSERT_TRUE(runUntil([&] { return counter("webhook_delivered_total") > delivered; }));
  ASSERT_EQ(receiver.count(), 1u);
  EXPECT_EQ(receiver.requests()[0].headers.at("host"), "localhost:" + std::to_string(receiver.port()));
}

TEST_F(WebhookSenderTest, SendsOnlyTheTopicsEachHookWants) {
  Receiver receiver;
  WebhookSender sender(loop_, bus_,
                       {{receiver.url("/default"), "k", {}},
                        {receiver.url("/status"), "k", {"camera_status"}},
                        {receiver.url("/both"), "k", {"camera_status", "alerts"}}},
                       fast());
  bus_.publish(cameraStatus(1));
  bus_.publish(recordingStatus());  // nobody wants it
  bus_.publish(alert(2));
  bus_.publish(cameraStatus(3));
  // Each hook delivers in order, so once every hook has its last expected event, anything
  // wrongly queued before it would have arrived too.
  auto byPath = [&] {
    std::map<std::string, std::vector<std::int64_t>> m;
    for (const auto& r : receiver.requests()) m[r.target].push_back(paramN(r));
    return m;
  };
  ASSERT_TRUE(runUntil([&] { return receiver.count() >= 6; }));
  const auto m = byPath();
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m.at("/default"), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(m.at("/status"), (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(m.at("/both"), (std::vector<std::int64_t>{1, 2, 3}));
  for (const auto& r : receiver.requests())
    EXPECT_NE(r.headers.at("x-ocellus-event"), "recording_status_update");
}

TEST_F(WebhookSenderTest, RetriesUntilTheReceiverAccepts) {
  Receiver receiver({500, 500, 200});
  const auto delivered = counter("webhook_delivered_total");
  const auto failed = counter("webhook_failed_total");
  WebhookSender sender(loop_, bus_, {{receiver.url(), "k", {}}}, fast());

  bus_.publish(alert(1));
  ASSERT_TRUE(runUntil([&] { return counter("webhook_delivered_total") > delivered; }));
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& r : requests) {  // the same delivery each time
    EXPECT_EQ(r.body, requests[0].body);
    EXPECT_EQ(r.headers.at("x-ocellus-delivery"), requests[0].headers.at("x-ocellus-delivery"));
    EXPECT_EQ(r.headers.at("x-ocellus-signature"), requests[0].headers.at("x-ocellus-signature"));
  }
  EXPECT_EQ(counter("webhook_failed_total"), failed);
}

TEST_F(WebhookSenderTest, GivesUpAfterTheLastAttemptAndGoesOnWithTheNext) {
  Receiver receiver({503, 503, 503, 200});
  const auto delivered = counter("webhook_delivered_total");
  const auto failed = counter("webhook_failed_total");
  auto options = fast();
  options.maxAttempts = 3;
  WebhookSender sender(loop_, bus_, {{receiver.url(), "k", {}}}, options);

  bus_.publish(alert(1));
  bus_.publish(alert(2));
  ASSERT_TRUE(runUntil([&] { return counter("webhook_delivered_total") > delivered; }));
  EXPECT_EQ(counter("webhook_failed_total"), failed + 1);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(paramN(requests[2]), 1);
  EXPECT_EQ(paramN(requests[3]), 2);
}

TEST_F(WebhookSenderTest, SilentReceiverTimesOut) {
  Receiver receiver({200}, Receiver::Mode::Silent);
  const auto failed = counter("webhook_failed_total");
  auto options = fast();
  options.timeout = 100ms;
  options.maxAttempts = 2;
  WebhookSender sender(loop_, bus_, {{receiver.url(), "k", {}}}, options);

  bus_.publish(alert(1));
  ASSERT_TRUE(runUntil([&] { return counter("webhook_failed_total") > failed; }));
  EXPECT_EQ(receiver.count(), 2u);
}

TEST_F(WebhookSenderTest, FullQueueDropsTheOldest) {
  Receiver receiver({200}, Receiver::Mode::Silent);
  const auto dropped = counter("webhook_dropped_total");
  auto options = fast();
  options.queueLimit = 3;
  WebhookSender sender(loop_, bus_, {{receiver.url(), "k", {}}}, options);

  for (int i = 0; i < 10; ++i) bus_.publish(alert(i));  // before the loop runs: all queued
  EXPECT_EQ(counter("webhook_dropped_total"), dropped + 7);
  ASSERT_TRUE(runUntil([&] { return receiver.count() >= 1; }));
  EXPECT_EQ(paramN(receiver.requests()[0]), 7);  // the oldest that was kept
  sender.stop();
  EXPECT_LT(drain(), 1000ms);
}

TEST_F(WebhookSenderTest, DeadReceiversDoNotBlockPublishingOrOtherHooks) {
  Receiver silent({200}, Receiver::Mode::Silent);
  Receiver live;
  const std::string refused = "http://127.0.0.1:" + std::to_string(closedPort()) + "/hook";
  auto options = fast();
  options.timeout = 10s;
  options.backoffBase = 1s;
  WebhookSender sender(loop_, bus_, {{silent.url(), "k", {}}, {refused, "k", {}}, {live.url(), "k", {}}},
                       options);

  constexpr int kEvents = 20;
  for (int i = 0; i < kEvents; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    bus_.publish(alert(i));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms);  // a blocking send would wait out the 10 s timeout
    loop_.poll();  // let the hooks start connecting between events
  }
  ASSERT_TRUE(runUntil([&] { return live.count() >= kEvents; }));
  const auto requests = live.requests();
  ASSERT_EQ(requests.size(), static_cast<std::size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) EXPECT_EQ(paramN(requests[i]), i);
  ASSERT_TRUE(runUntil([&] { return silent.count() >= 1; }));
  EXPECT_EQ(silent.count(), 1u);  // still waiting on its first delivery

  const auto t0 = std::chrono::steady_clock::now();
  sender.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms);  // a blocking send would wait out the 10 s timeout
  EXPECT_LT(drain(), 1000ms);  // the silent connection and the refused hook's retry timer are gone
}

TEST_F(WebhookSenderTest, StopDuringAPendingRetryReturnsAtOnce) {
  Receiver receiver({500});
  auto options = fast();
  options.backoffBase = 30s;
  options.backoffMax = 60s;
  WebhookSender sender(loop_, bus_, {{receiver.url(), "k", {}}}, options);

  bus_.publish(alert(1));
  ASSERT_TRUE(runUntil([&] { return receiver.answered() >= 1; }));
  // Let the sender read the answer and arm its 30 s retry timer.
  runUntil([] { return false; }, 100ms);

  const auto t0 = std::chrono::steady_clock::now();
  sender.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1000ms);  // a stop that waited would wait out the 30 s retry
  EXPECT_LT(drain(), 1000ms);
  EXPECT_EQ(receiver.count(), 1u);

  bus_.publish(alert(2));  // unsubscribed: nothing happens
  EXPECT_LT(drain(), 1000ms);
  EXPECT_EQ(receiver.count(), 1u);
}

TEST_F(WebhookSenderTest, DestroyingTheSenderMidDeliveryIsSafe) {
  Receiver receiver({200}, Receiver::Mode::Silent);
  {
    WebhookSender sender(loop_, bus_, {{receiver.url(), "k", {}}}, fast());
    bus_.publish(alert(1));
    ASSERT_TRUE(runUntil([&] { return receiver.count() >= 1; }));
  }
  EXPECT_LT(drain(), 1000ms);  // the cancelled read completes after the sender is gone
}

TEST_F(WebhookSenderTest, InvalidHooksAreIgnored) {
  WebhookSender sender(loop_, bus_, {{"https://example.com/", "k", {}}, {"http://", "k", {}}}, fast());
  EXPECT_EQ(sender.size(), 0u);
  bus_.publish(alert(1));
  EXPECT_LT(drain(), 1000ms);
}

}  // namespace
}  // namespace ocellus::api::events
