#include <gtest/gtest.h>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <filesystem>

#include <malloc.h>

#include <array>
#include <atomic>
#include <future>
#include <mutex>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();  // <sanitizer/allocator_interface.h>
#endif

#include "unit/api/http/ServerFixture.h"

namespace ocellus::api::http::test {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

std::size_t allocatedBytes() {
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes();
#else
  return mallinfo2().uordblks;
#endif
}

struct Closed {
  std::uint16_t code = 0;
  std::string reason;
};

// Each test runs twice: with the connections on the server loop, and on two other loops
// (HttpServer::Options::connectionLoop, as the application spreads them over its media loops).
class WebSocketTest : public ServerFixture, public ::testing::WithParamInterface<bool> {
 protected:
  WebSocketTest() {
    if (GetParam()) useConnectionLoops();
    router_->addWebSocket("/echo", [this](std::shared_ptr<WsConnection> ws, const HttpRequest& req) {
      EXPECT_EQ(req.path, "/echo");
      EXPECT_EQ(ws->remoteIp(), "127.0.0.1");
      std::weak_ptr<WsConnection> weak = ws;
      ws->onMessage([weak](std::string_view message) {
        auto c = weak.lock();
        if (!c) return;
        if (message == "close-please") {
          c->send("bye");
          c->close(4000, "done");
          return;
        }
        c->send(std::string(message));
      });
      ws->onClose([this](std::uint16_t code, std::string_view reason) {
        std::lock_guard lock(mutex_);
        if (!closedSet_) closed_.set_value(Closed{code, std::string(reason)});
        closedSet_ = true;
      });
      std::lock_guard lock(mutex_);
      connections_.push_back(ws);
      if (opened_) opened_->set_value(ws);
      opened_.reset();
    });
  }

  ~WebSocketTest() override {
    shutdown();  // onClose callbacks touch this object
    stopConnectionLoops();
    std::lock_guard lock(mutex_);
    connections_.clear();
    for (auto& t : threads_) t.join();
  }

  // A connected, handshaken Beast client with a receive timeout.
  std::unique_ptr<websocket::stream<tcp::socket>> open(const std::string& path = "/echo") {
    auto ws = std::make_unique<websocket::stream<tcp::socket>>(clientIo_);
    ws->next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port()));
    timeval tv{5, 0};
    ::setsockopt(ws->next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ws->handshake("127.0.0.1", path);
    return ws;
  }

  std::future<std::shared_ptr<WsConnection>> nextOpen() {
    std::lock_guard lock(mutex_);
    opened_.emplace();
    return opened_->get_future();
  }

  Closed waitClosed() {
    auto f = closed_.get_future();
    if (f.wait_for(std::chrono::seconds(5)) != std::future_status::ready) return Closed{0, "timeout"};
    return f.get();
  }

  std::mutex mutex_;
  std::vector<std::shared_ptr<WsConnection>> connections_;
  std::optional<std::promise<std::shared_ptr<WsConnection>>> opened_;
  std::promise<Closed> closed_;
  bool closedSet_ = false;
  std::vector<std::thread> threads_;
};

std::string readText(websocket::stream<tcp::socket>& ws) {
  beast::flat_buffer buffer;
  ws.read(buffer);
  EXPECT_TRUE(ws.got_text());
  return beast::buffers_to_string(buffer.data());
}

// Reads until the server's close frame; returns its code (0 when the connection just dropped).
std::uint16_t readUntilClosed(websocket::stream<tcp::socket>& ws) {
  beast::flat_buffer buffer;
  beast::error_code ec;
  for (int i = 0; i < 100000 && !ec; ++i) {
    ws.read(buffer, ec);
    buffer.clear();
  }
  return ec == websocket::error::closed ? ws.reason().code : 0;
}

TEST_P(WebSocketTest, EchoRoundTripAndClientClose) {
  startServer();
  auto ws = open();
  ws->text(true);
  ws->write(net::buffer(std::string("hello")));
  EXPECT_EQ(readText(*ws), "hello");
  const std::string big(200 * 1024, 'z');  // several TCP segments, one message
  ws->write(net::buffer(big));
  EXPECT_EQ(readText(*ws), big);
  ws->close(websocket::close_code::normal);
  const auto c = waitClosed();
  EXPECT_EQ(c.code, 1000);
  EXPECT_TRUE(waitConnections(0));
}

TEST_P(WebSocketTest, ServerCloseFlushesQueuedMessagesFirst) {
  startServer();
  auto ws = open();
  ws->text(true);
  ws->write(net::buffer(std::string("close-please")));
  EXPECT_EQ(readText(*ws), "bye");
  EXPECT_EQ(readUntilClosed(*ws), 4000);
  EXPECT_EQ(std::string(ws->reason().reason.data(), ws->reason().reason.size()), "done");
  EXPECT_EQ(waitClosed().code, 4000);
}

TEST_P(WebSocketTest, OversizedMessageCloses1009) {
  options_.wsMessageLimit = 1024;
  startServer();
  auto ws = open();
  ws->text(true);
  ws->write(net::buffer(std::string(1024, 'a')));  // at the limit: fine
  EXPECT_EQ(readText(*ws).size(), 1024u);
  beast::error_code ec;
  ws->write(net::buffer(std::string(4096, 'b')), ec);
  EXPECT_EQ(readUntilClosed(*ws), 1009);
  EXPECT_EQ(waitClosed().code, 1009);
}

TEST_P(WebSocketTest, BinaryFramesAreRefused) {
  startServer();
  auto ws = open();
  ws->binary(true);
  ws->write(net::buffer(std::string("\x01\x02", 2)));
  EXPECT_EQ(readUntilClosed(*ws), 1003);
}

TEST_P(WebSocketTest, ClientThatNeverReadsIsDisconnectedWhenItsQueueOverflows) {
  options_.wsSendQueueLimit = 256 * 1024;
  options_.wsCloseTimeout = std::chrono::milliseconds(300);
  startServer();
  auto opened = nextOpen();
  // A small receive window so the kernel buffers fill soon.
  auto ws = std::make_unique<websocket::stream<tcp::socket>>(clientIo_);
  ws->next_layer().open(tcp::v4());
  ws->next_layer().set_option(net::socket_base::receive_buffer_size(4096));
  ws->next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port()));
  ws->handshake("127.0.0.1", "/echo");
  ASSERT_EQ(opened.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  auto conn = opened.get();

  const std::string chunk(64 * 1024, 'q');
  int accepted = 0;
  bool refused = false;
  for (int i = 0; i < 20000 && !refused; ++i) {  // from this (non-loop) thread
    if (conn->send(chunk)) {
      ++accepted;
    } else {
      refused = true;
    }
  }
  EXPECT_TRUE(refused) << "sent " << accepted << " x 64 KiB without the queue filling";
  const auto c = waitClosed();
  EXPECT_EQ(c.code, 1008);
  EXPECT_EQ(c.reason, "send queue full");
  EXPECT_FALSE(conn->send("more"));
  // The client, reading at last, finds the connection gone (after what was in flight).
  timeval tv{5, 0};
  ::setsockopt(ws->next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  readUntilClosed(*ws);
  EXPECT_TRUE(waitConnections(0));
}

TEST_P(WebSocketTest, StopSendsGoingAwayQuickly) {
  startServer();
  auto opened = nextOpen();
  auto ws = open();
  // (A server stopping during a handshake never calls onOpen; wait until it has.)
  ASSERT_EQ(opened.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  const auto t0 = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  const auto code = readUntilClosed(*ws);
  EXPECT_TRUE(code == 1001 || code == 0) << code;
  EXPECT_EQ(waitClosed().code, 1001);
}

TEST_P(WebSocketTest, PlainGetOnAWebSocketPathGets426) {
  startServer();
  Client c(clientIo_, port());
  const auto r = c.request(get("/echo"));
  EXPECT_EQ(r.status, 426);
  EXPECT_EQ(r.json().at("error").at("code"), "UPGRADE_REQUIRED");
}

TEST_P(WebSocketTest, SendFromManyThreads) {
  startServer();
  auto opened = nextOpen();
  auto ws = open();
  ASSERT_EQ(opened.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  auto conn = opened.get();
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([conn, t] {
      for (int i = 0; i < 50; ++i) conn->send(std::to_string(t) + ":" + std::to_string(i));
    });
  }
  for (auto& s : senders) s.join();
  std::vector<int> next(4, 0);
  for (int i = 0; i < 200; ++i) {
    const auto m = readText(*ws);
    const int t = m[0] - '0';
    EXPECT_EQ(m.substr(2), std::to_string(next[static_cast<std::size_t>(t)]++));  // per-thread order kept
  }
}

TEST_P(WebSocketTest, SilentPeerIsClosedWhenThePongDoesNotCome) {
  options_.wsPingInterval = std::chrono::milliseconds(100);
  startServer();
  // A raw client: completes the handshake, then never reads, so never answers a ping.
  Client raw(clientIo_, port());
  const auto r = raw.request(
      "GET /echo HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  ASSERT_EQ(r.status, 101);
  const auto t0 = std::chrono::steady_clock::now();
  const auto c = waitClosed();
  EXPECT_EQ(c.code, 1006);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  EXPECT_TRUE(raw.closedByPeer());
}

TEST_P(WebSocketTest, PeerThatAnswersPingsStaysConnected) {
  options_.wsPingInterval = std::chrono::milliseconds(100);
  router_->addWebSocket("/late", [this](std::shared_ptr<WsConnection> ws, const HttpRequest&) {
    std::lock_guard lock(mutex_);
    threads_.emplace_back([ws] {
      std::this_thread::sleep_for(std::chrono::milliseconds(700));  // several ping intervals of silence
      ws->send("late");
    });
  });
  startServer();
  auto ws = open("/late");
  EXPECT_EQ(readText(*ws), "late");  // Beast's read answers the pings meanwhile
}

TEST_P(WebSocketTest, SecureWebSocketEcho) {
  const auto dir = std::filesystem::temp_directory_path() / ("ocellus-wss-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto cert = (dir / "cert.pem").string();
  const auto key = (dir / "key.pem").string();
  ASSERT_TRUE(makeSelfSignedCertificate(cert, key));
  options_.tlsCertificateFile = cert;
  options_.tlsKeyFile = key;
  startServer();
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.set_verify_mode(net::ssl::verify_none);
  websocket::stream<net::ssl::stream<tcp::socket>> ws(clientIo_, ctx);
  beast::get_lowest_layer(ws).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port()));
  ws.next_layer().handshake(net::ssl::stream_base::client);
  ws.handshake("127.0.0.1", "/echo");
  ws.text(true);
  ws.write(net::buffer(std::string("over tls")));
  beast::flat_buffer buffer;
  ws.read(buffer);
  EXPECT_EQ(beast::buffers_to_string(buffer.data()), "over tls");
  ws.close(websocket::close_code::normal);
  EXPECT_EQ(waitClosed().code, 1000);
  EXPECT_TRUE(waitConnections(0));
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

TEST_P(WebSocketTest, IdleConnectionsAreSmall) {
  router_->addWebSocket("/rpc", [](std::shared_ptr<WsConnection> ws, const HttpRequest&) {
    // What an authenticated JSON-RPC session keeps: a little state and two callbacks.
    auto session = std::make_shared<std::string>("viewer:session-0123456789abcdef");
    std::weak_ptr<WsConnection> weak = ws;
    ws->onMessage([weak, session](std::string_view m) {
      if (auto c = weak.lock()) c->send(std::string(m));
    });
    ws->onClose([session](std::uint16_t, std::string_view) {});
  });
  startServer();
  constexpr int kConnections = 100;
  std::vector<std::unique_ptr<Client>> clients;
  clients.reserve(kConnections);
  // Warm-up: first-use allocations (metrics, loggers) are not per connection.
  {
    auto warm = std::make_unique<Client>(clientIo_, port());
    warm->request(
        "GET /rpc HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  }
  const auto settle = [&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (server_->connectionCount() != clients.size() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  };
  settle();
  const auto before = allocatedBytes();
  for (int i = 0; i < kConnections; ++i) {
    clients.push_back(std::make_unique<Client>(clientIo_, port()));
    const auto r = clients.back()->request(
        "GET /rpc HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    ASSERT_EQ(r.status, 101);
  }
  settle();
  const auto after = allocatedBytes();
  const auto perConnection = (after > before ? after - before : 0) / kConnections;
  std::printf("[ INFO     ] heap per idle WebSocket connection (server and test client): %zu bytes\n",
              perConnection);
  // A guard against a per-connection buffer that is never released, not the 20 KB target: that
  // is measured with real clients by bench/api_load.
  EXPECT_LT(perConnection, 64u * 1024u);
}

INSTANTIATE_TEST_SUITE_P(Loops, WebSocketTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "OnOtherLoops" : "OnServerLoop";
                         });

}  // namespace
}  // namespace ocellus::api::http::test
