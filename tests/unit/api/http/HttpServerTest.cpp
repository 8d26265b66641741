#include "api/http/HttpServer.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "api/ApiError.h"
#include "base/Metrics.h"
#include "unit/api/http/ServerFixture.h"

namespace ocellus::api::http::test {
namespace {

namespace fs = std::filesystem;

// Each test runs twice: with the connections on the server loop, and on two other loops (the
// handlers still on the server loop).
class HttpServerTest : public ServerFixture, public ::testing::WithParamInterface<bool> {
 protected:
  HttpServerTest() {
    if (GetParam()) useConnectionLoops();
    dir_ = fs::temp_directory_path() /
           ("ocellus-http-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(dir_);
    std::string data(1000, '\0');
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
    fileData_ = data;
    std::ofstream(dir_ / "clip.mp4", std::ios::binary) << data;

    router_->add(Method::Get, "/hello",
                 [](HttpRequest&, Reply reply) { reply(HttpResponse::text(200, "hello")); });
    router_->add(Method::Post, "/echo",
                 [](HttpRequest& req, Reply reply) { reply(HttpResponse::json(200, req.body)); });
    router_->add(Method::Delete, "/items/:id", [](HttpRequest& req, Reply reply) {
      reply(HttpResponse::text(200, "deleted " + std::string(req.param("id"))));
    });
    router_->add(Method::Get, "/slow", [this](HttpRequest& req, Reply reply) {
      // Answered later, from another thread.
      std::lock_guard lock(threadsMutex_);
      threads_.emplace_back([reply = std::move(reply), id = req.requestId]() mutable {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        reply(HttpResponse::text(200, "slow"));
      });
    });
    router_->add(Method::Get, "/throw", [](HttpRequest&, Reply) { throw std::runtime_error("boom"); });
    router_->add(Method::Get, "/api-error", [](HttpRequest&, Reply) {
      throw ApiError{409, "CAMERA_SERIAL_DUPLICATE", "serial exists", {}};
    });
    router_->add(Method::Get, "/drop", [](HttpRequest&, Reply) {});
    router_->add(Method::Get, "/query", [](HttpRequest& req, Reply reply) {
      reply(HttpResponse::text(200,
                               std::string(req.path) + "|" + std::string(req.queryParam("q").value_or("-"))));
    });
    router_->add(Method::Get, "/shared", [this](HttpRequest&, Reply reply) {
      handlerThreads_.push_back(std::this_thread::get_id());  // the server loop only: no lock
      reply(HttpResponse::shared({sharedHello_, base::SharedBytes::of(std::string(", world"))}, "text/plain"));
    });
    router_->add(Method::Get, "/files/*", [this](HttpRequest& req, Reply reply) {
      const std::string name(req.param("*"));
      reply(HttpResponse::file((dir_ / name).string(), {}, attachment(name)));
    });
  }

  ~HttpServerTest() override {
    shutdown();
    stopConnectionLoops();
    std::lock_guard lock(threadsMutex_);
    for (auto& t : threads_) t.join();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  const base::SharedBytes sharedHello_ = base::SharedBytes::of(std::string("hello"));
  std::vector<std::thread::id> handlerThreads_;
  static inline int counter_ = 0;
  fs::path dir_;
  std::string fileData_;
  std::mutex threadsMutex_;
  std::vector<std::thread> threads_;
};

std::string errorCode(const RawResponse& r) {
  return std::string(r.json().at("error").at("code").as_string());
}

TEST_P(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  startServer();
  Client c(clientIo_, port());
  const auto a = c.request(get("/hello"));
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "hello");
  EXPECT_EQ(a.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_FALSE(a.header("x-request-id").empty());
  EXPECT_EQ(a.header("server"), "Ocellus");
  const auto b = c.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(b.body, "{\"a\":1}");
  EXPECT_NE(a.header("x-request-id"), b.header("x-request-id"));
  EXPECT_EQ(server_->connectionCount(), 1u);
}

// Shared pieces go out in order, without a copy (the same bytes stay shared by the next
// response); the handler ran on the server loop wherever the connection lives.
TEST_P(HttpServerTest, SharedBodyPiecesAndHandlersOnTheServerLoop) {
  startServer();
  std::thread::id serverThread;
  net::post(loop_, [&serverThread] { serverThread = std::this_thread::get_id(); });
  Client c(clientIo_, port());
  const auto a = c.request(get("/shared"));
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, "hello, world");
  EXPECT_EQ(a.header("content-length"), "12");
  EXPECT_EQ(a.header("content-type"), "text/plain");
  Client d(clientIo_, port());
  EXPECT_EQ(d.request(get("/shared")).body, "hello, world");
  const auto head = d.request("HEAD /shared HTTP/1.1\r\nHost: t\r\n\r\n", true);
  EXPECT_EQ(head.header("content-length"), "12");
  EXPECT_TRUE(head.body.empty());
  // Once written, no response holds the bytes any more.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (sharedHello_.owner.use_count() > 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(sharedHello_.owner.use_count(), 1);
  shutdown();
  ASSERT_EQ(handlerThreads_.size(), 3u);
  for (const auto& id : handlerThreads_) EXPECT_EQ(id, serverThread);
}

// A media route's handler runs in place on the loop of the connection that read the request
// (the server loop when connections live there) and answers like any other, failures included.
TEST_P(HttpServerTest, MediaRoutesRunOnTheConnectionsLoop) {
  std::mutex mutex;
  std::vector<std::thread::id> seen;
  router_->add(
      Method::Get, "/media/:n",
      [&](HttpRequest& req, Reply reply) {
        {
          std::lock_guard lock(mutex);
          seen.push_back(std::this_thread::get_id());
        }
        if (req.param("n") == "throw") throw ApiError{409, "CONFLICT", "media conflict", {}};
        if (req.param("n") == "drop") return;
        reply(HttpResponse::text(200, "part " + std::string(req.param("n"))));
      },
      RouteKind::Media);
  startServer();
  std::thread::id serverThread;
  net::post(loop_, [&serverThread] { serverThread = std::this_thread::get_id(); });
  Client a(clientIo_, port());
  Client b(clientIo_, port());
  EXPECT_EQ(a.request(get("/media/1")).body, "part 1");
  EXPECT_EQ(b.request(get("/media/2")).body, "part 2");
  auto r = a.request(get("/media/throw"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(errorCode(r), "CONFLICT");
  r = a.request(get("/media/drop"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(errorCode(r), "INTERNAL_ERROR");
  EXPECT_EQ(a.request(get("/media/3")).body, "part 3");  // the connection goes on
  shutdown();
  std::lock_guard lock(mutex);
  ASSERT_EQ(seen.size(), 5u);
  if (!GetParam()) {
    for (const auto& id : seen) EXPECT_EQ(id, serverThread);
    return;
  }
  // a's requests on a's loop, b's on the other one, neither the server loop.
  const std::vector<std::thread::id> loops{ioThreads_[0].get_id(), ioThreads_[1].get_id()};
  EXPECT_NE(seen[0], seen[1]);
  for (const auto& id : seen) {
    EXPECT_NE(id, serverThread);
    EXPECT_NE(std::find(loops.begin(), loops.end(), id), loops.end());
  }
  for (std::size_t i = 2; i < seen.size(); ++i) EXPECT_EQ(seen[i], seen[0]);
}

TEST_P(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  startServer();
  Client c(clientIo_, port());
  // The first is answered last by its handler (from another thread, 50 ms later).
  c.send(get("/slow") + get("/hello") + "DELETE /items/42 HTTP/1.1\r\nHost: t\r\n\r\n" +
         get("/query?q=a%20b"));
  EXPECT_EQ(c.read()->body, "slow");
  EXPECT_EQ(c.read()->body, "hello");
  EXPECT_EQ(c.read()->body, "deleted 42");
  EXPECT_EQ(c.read()->body, "/query|a b");
}

TEST_P(HttpServerTest, ManyPipelinedRequestsBeyondTheQueueLimit) {
  options_.pipelineLimit = 2;
  startServer();
  Client c(clientIo_, port());
  std::string burst;
  for (int i = 0; i < 20; ++i) burst += get(i % 2 ? "/hello" : "/slow");
  c.send(burst);
  for (int i = 0; i < 20; ++i) {
    const auto r = c.read();
    ASSERT_TRUE(r.has_value()) << i;
    EXPECT_EQ(r->body, i % 2 ? "hello" : "slow") << i;
  }
}

TEST_P(HttpServerTest, BodyOverTheLimitGets413WithTheErrorBody) {
  options_.bodyLimit = 1024;
  startServer();
  {
    Client c(clientIo_, port());
    const auto r =
        c.request("POST /echo HTTP/1.1\r\nHost: t\r\nX-Request-Id: big-1\r\nContent-Length: 4096\r\n\r\n" +
                  std::string(4096, 'x'));
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.header("x-request-id"), "big-1");
    EXPECT_EQ(r.header("connection"), "close");
    const auto v = r.json();
    EXPECT_EQ(v.at("success"), false);
    EXPECT_EQ(v.at("error").at("code"), "PAYLOAD_TOO_LARGE");
    EXPECT_EQ(v.at("error").at("requestId"), "big-1");
    EXPECT_EQ(v.at("error").at("details").at("limit"), 1024);
    EXPECT_TRUE(c.closedByPeer());
  }
  {
    // A chunked body has no length up front: refused once it passes the limit.
    Client c(clientIo_, port());
    std::string chunked = "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 8; ++i) chunked += "200\r\n" + std::string(512, 'y') + "\r\n";
    chunked += "0\r\n\r\n";
    const auto r = c.request(chunked);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(errorCode(r), "PAYLOAD_TOO_LARGE");
    EXPECT_FALSE(r.json().at("error").at("requestId").as_string().empty());
  }
  {
    // Expect: 100-continue with a too-large length: refused before the body is sent.
    Client c(clientIo_, port());
    const auto r = c.request(
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n");
    EXPECT_EQ(r.status, 413);
  }
}

TEST_P(HttpServerTest, ExpectContinueGetsA100First) {
  startServer();
  Client c(clientIo_, port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  const auto cont = c.read();
  ASSERT_TRUE(cont.has_value());
  EXPECT_EQ(cont->status, 100);
  c.send("{}");
  EXPECT_EQ(c.read()->body, "{}");
}

TEST_P(HttpServerTest, RangeRequests) {
  startServer();
  Client c(clientIo_, port());

  auto r = c.request(get("/files/clip.mp4"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, fileData_);
  EXPECT_EQ(r.header("content-type"), "video/mp4");
  EXPECT_EQ(r.header("accept-ranges"), "bytes");
  EXPECT_EQ(r.header("content-disposition"), "attachment; filename=\"clip.mp4\"");
  EXPECT_FALSE(r.header("last-modified").empty());

  r = c.request(get("/files/clip.mp4", "Range: bytes=10-19\r\n"));
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.header("content-range"), "bytes 10-19/1000");
  EXPECT_EQ(r.header("content-length"), "10");
  EXPECT_EQ(r.body, fileData_.substr(10, 10));

  r = c.request(get("/files/clip.mp4", "Range: bytes=995-\r\n"));
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.header("content-range"), "bytes 995-999/1000");
  EXPECT_EQ(r.body, fileData_.substr(995));

  r = c.request(get("/files/clip.mp4", "Range: bytes=-3\r\n"));
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.header("content-range"), "bytes 997-999/1000");
  EXPECT_EQ(r.body, fileData_.substr(997));

  r = c.request(get("/files/clip.mp4", "Range: bytes=1000-\r\n"));
  EXPECT_EQ(r.status, 416);
  EXPECT_EQ(r.header("content-range"), "bytes */1000");
  EXPECT_EQ(errorCode(r), "RANGE_NOT_SATISFIABLE");

  r = c.request(get("/files/missing.mp4"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(errorCode(r), "NOT_FOUND");

  // The connection survived all of that.
  EXPECT_EQ(c.request(get("/hello")).body, "hello");
}

TEST_P(HttpServerTest, LargeFileIsStreamedWhole) {
  std::string big(3 * 1024 * 1024 + 17, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 % 251);
  std::ofstream(dir_ / "big.mkv", std::ios::binary) << big;
  startServer();
  Client c(clientIo_, port());
  const auto r = c.request(get("/files/big.mkv"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "video/x-matroska");
  ASSERT_EQ(r.body.size(), big.size());
  EXPECT_TRUE(r.body == big);
  const auto tail = c.request(get("/files/big.mkv", "Range: bytes=3145728-\r\n"));
  EXPECT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, big.substr(3145728));
}

TEST_P(HttpServerTest, HeadSendsHeadersOnly) {
  startServer();
  Client c(clientIo_, port());
  auto r = c.request("HEAD /files/clip.mp4 HTTP/1.1\r\nHost: t\r\n\r\n", true);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-length"), "1000");
  EXPECT_EQ(r.header("accept-ranges"), "bytes");
  r = c.request("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n", true);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-length"), "5");
  // Nothing but the next response follows: no stray body bytes.
  EXPECT_EQ(c.request(get("/hello")).body, "hello");
}

TEST_P(HttpServerTest, NotFoundAndMethodNotAllowed) {
  startServer();
  Client c(clientIo_, port());
  auto r = c.request(get("/nope"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(errorCode(r), "NOT_FOUND");
  EXPECT_EQ(r.json().at("error").at("requestId").as_string(), r.header("x-request-id"));
  r = c.request("PUT /hello HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(errorCode(r), "METHOD_NOT_ALLOWED");
  EXPECT_EQ(r.header("allow"), "GET, HEAD, OPTIONS");
  r = c.request("OPTIONS /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("allow"), "GET, HEAD, OPTIONS");
}

TEST_P(HttpServerTest, HandlerFailuresBecomeErrorBodies) {
  startServer();
  Client c(clientIo_, port());
  auto r = c.request(get("/throw", "X-Request-Id: t-1\r\n"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(errorCode(r), "INTERNAL_ERROR");
  EXPECT_EQ(r.json().at("error").at("requestId"), "t-1");
  EXPECT_EQ(r.body.find("boom"), std::string::npos);  // no internals leak
  r = c.request(get("/api-error"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(errorCode(r), "CAMERA_SERIAL_DUPLICATE");
  r = c.request(get("/drop"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(errorCode(r), "INTERNAL_ERROR");
  EXPECT_EQ(c.request(get("/hello")).status, 200);
}

TEST_P(HttpServerTest, MalformedRequestsGet400) {
  startServer();
  {
    Client c(clientIo_, port());
    const auto r = c.request("GET /bad%zz HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(errorCode(r), "BAD_REQUEST");
  }
  {
    Client c(clientIo_, port());
    const auto r = c.request("GARBAGE\r\n\r\n");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(errorCode(r), "BAD_REQUEST");
    EXPECT_TRUE(c.closedByPeer());
  }
  {
    Client c(clientIo_, port());  // the head is over the default 16 KiB
    const auto r = c.request(get("/hello", "X-Big: " + std::string(20000, 'h') + "\r\n"));
    EXPECT_EQ(r.status, 431);
  }
}

TEST_P(HttpServerTest, RequestIdIsEchoedWhenSane) {
  startServer();
  Client c(clientIo_, port());
  auto r = c.request(get("/hello", "X-Request-Id: abc-123_x.y:z\r\n"));
  EXPECT_EQ(r.header("x-request-id"), "abc-123_x.y:z");
  r = c.request(get("/hello", "X-Request-Id: not sane<script>\r\n"));
  const auto id = r.header("x-request-id");
  EXPECT_NE(id, "not sane<script>");
  EXPECT_EQ(id.size(), 36u);  // a generated UUID
  r = c.request(get("/hello", "X-Request-Id: " + std::string(200, 'a') + "\r\n"));
  EXPECT_EQ(r.header("x-request-id").size(), 36u);
}

TEST_P(HttpServerTest, CorsPreflightAndHeaders) {
  options_.corsOrigins = {"https://ui.example"};
  router_->add(Method::Get, "/varied", [](HttpRequest&, Reply reply) {
    reply(HttpResponse::text(200, "varied").setHeader("Vary", "Accept-Encoding"));
  });
  startServer();
  Client c(clientIo_, port());
  auto r = c.request(
      "OPTIONS /items/1 HTTP/1.1\r\nHost: t\r\nOrigin: https://ui.example\r\nAccess-Control-Request-Method: "
      "DELETE\r\n"
      "Access-Control-Request-Headers: authorization, content-type\r\n\r\n");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("access-control-allow-origin"), "https://ui.example");
  EXPECT_EQ(r.header("access-control-allow-methods"), "DELETE, OPTIONS");
  EXPECT_EQ(r.header("access-control-allow-headers"), "authorization, content-type");
  EXPECT_FALSE(r.header("access-control-max-age").empty());

  r = c.request(
      "OPTIONS /items/1 HTTP/1.1\r\nHost: t\r\nOrigin: "
      "https://evil.example\r\nAccess-Control-Request-Method: DELETE\r\n\r\n");
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(r.has("access-control-allow-origin"));
  EXPECT_EQ(errorCode(r), "CORS_ORIGIN_NOT_ALLOWED");

  r = c.request(get("/hello", "Origin: https://ui.example\r\n"));
  EXPECT_EQ(r.header("access-control-allow-origin"), "https://ui.example");
  EXPECT_EQ(r.header("vary"), "Origin");
  EXPECT_NE(r.header("access-control-expose-headers").find("X-Request-Id"), std::string::npos);

  // The handler's own Vary is extended, not replaced.
  r = c.request(get("/varied", "Origin: https://ui.example\r\n"));
  EXPECT_EQ(r.header("vary"), "Accept-Encoding, Origin");
  r = c.request(get("/varied"));
  EXPECT_EQ(r.header("vary"), "Accept-Encoding");

  r = c.request(get("/hello", "Origin: https://evil.example\r\n"));
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.has("access-control-allow-origin"));

  r = c.request(get("/nope", "Origin: https://ui.example\r\n"));  // errors carry CORS fields too
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.header("access-control-allow-origin"), "https://ui.example");
}

TEST_P(HttpServerTest, CorsWildcardAllowsAnyOrigin) {
  options_.corsOrigins = {"*"};
  startServer();
  Client c(clientIo_, port());
  const auto r = c.request(
      "OPTIONS /hello HTTP/1.1\r\nHost: t\r\nOrigin: http://anything:3000\r\nAccess-Control-Request-Method: "
      "GET\r\n\r\n");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("access-control-allow-origin"), "http://anything:3000");
}

TEST_P(HttpServerTest, ConnectionCloseAndHttp10) {
  startServer();
  {
    Client c(clientIo_, port());
    const auto r = c.request(get("/hello", "Connection: close\r\n"));
    EXPECT_EQ(r.header("connection"), "close");
    EXPECT_TRUE(c.closedByPeer());
  }
  {
    Client c(clientIo_, port());
    const auto r = c.request("GET /hello HTTP/1.0\r\n\r\n");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(c.closedByPeer());
  }
}

TEST_P(HttpServerTest, IdleConnectionsTimeOut) {
  options_.idleTimeout = std::chrono::milliseconds(200);
  startServer();
  Client c(clientIo_, port());
  EXPECT_EQ(c.request(get("/hello")).status, 200);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

TEST_P(HttpServerTest, MaxConnections) {
  options_.maxConnections = 1;
  startServer();
  Client first(clientIo_, port());
  EXPECT_EQ(first.request(get("/hello")).status, 200);
  Client second(clientIo_, port());
  EXPECT_TRUE(second.closedByPeer());
  EXPECT_EQ(first.request(get("/hello")).status, 200);
}

TEST_P(HttpServerTest, StopClosesEverythingQuickly) {
  startServer();
  Client idle(clientIo_, port());
  EXPECT_EQ(idle.request(get("/hello")).status, 200);
  Client silent(clientIo_, port());  // connected, never sent anything
  const auto t0 = std::chrono::steady_clock::now();
  server_->stop();
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, std::chrono::seconds(2));
  EXPECT_TRUE(idle.closedByPeer());
  EXPECT_TRUE(silent.closedByPeer());
  EXPECT_EQ(server_->connectionCount(), 0u);
  boost::system::error_code ec;
  tcp::socket s(clientIo_);
  s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port()), ec);
  EXPECT_TRUE(ec) << "still accepting after stop()";
  server_->stop();  // idempotent
}

TEST_P(HttpServerTest, BindFailureNamesTheAddress) {
  startServer();
  auto options = options_;
  options.address = io::Address{"127.0.0.1", port()};
  HttpServer second(loop_, router_, options);
  const auto status = second.start();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("127.0.0.1:" + std::to_string(port())), std::string::npos)
      << status.error().message;
}

TEST_P(HttpServerTest, MetricsCountResponsesByClass) {
  auto& ok = base::Metrics::global().counter("ocellus_http_requests_2xx_total");
  auto& missing = base::Metrics::global().counter("ocellus_http_requests_4xx_total");
  const auto ok0 = ok.value();
  const auto missing0 = missing.value();
  const auto count0 = base::Metrics::global().histogram("ocellus_http_request_duration_seconds").count();
  startServer();
  Client c(clientIo_, port());
  c.request(get("/hello"));
  c.request(get("/nope"));
  // Counted once the write has completed, which the client may see first.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (server_->latency().count() - count0 < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(ok.value() - ok0, 1u);
  EXPECT_EQ(missing.value() - missing0, 1u);
  EXPECT_EQ(server_->latency().count() - count0, 2u);
}

TEST_P(HttpServerTest, AccessLogLineRedactsSecrets) {
  options_.accessLog = true;
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out)));
  startServer();
  const auto count0 = server_->latency().count();
  {
    Client c(clientIo_, port());
    c.request(get("/query?q=1&token=s3cret&api_key=k", "X-Request-Id: log-1\r\n"));
  }
  // The line is written when the server's write completes, which may be after the client
  // has read the response.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (server_->latency().count() == count0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  shutdown();
  spdlog::set_default_logger(previous);
  const std::string log = out.str();
  EXPECT_NE(log.find("[http] GET /query?q=1&token=***&api_key=*** 200 "), std::string::npos) << log;
  EXPECT_NE(log.find(" B "), std::string::npos) << log;
  EXPECT_NE(log.find(" ms id=log-1 remote=127.0.0.1"), std::string::npos) << log;
  EXPECT_EQ(log.find("s3cret"), std::string::npos) << log;
}

TEST_P(HttpServerTest, Tls) {
  const auto cert = (dir_ / "cert.pem").string();
  const auto key = (dir_ / "key.pem").string();
  ASSERT_TRUE(makeSelfSignedCertificate(cert, key));
  options_.tlsCertificateFile = cert;
  options_.tlsKeyFile = key;
  startServer();
  EXPECT_TRUE(server_->secure());

  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.set_verify_mode(net::ssl::verify_none);
  net::ssl::stream<tcp::socket> stream(clientIo_, ctx);
  stream.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port()));
  stream.handshake(net::ssl::stream_base::client);
  ResponseReader reader([&](char* data, std::size_t size) -> std::size_t {
    boost::system::error_code ec;
    const auto n = stream.read_some(net::buffer(data, size), ec);
    if (ec) return 0;
    return n;
  });
  net::write(stream, net::buffer(get("/hello") + get("/files/clip.mp4", "Range: bytes=0-9\r\n")));
  auto r = reader.read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->body, "hello");
  r = reader.read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 206);
  EXPECT_EQ(r->body, fileData_.substr(0, 10));

  // Plain HTTP on the TLS port gets nowhere.
  Client plain(clientIo_, port());
  plain.send(get("/hello"));
  EXPECT_FALSE(plain.read().has_value());
}

TEST_P(HttpServerTest, TlsWithMissingFilesFailsToStart) {
  options_.tlsCertificateFile = "/nonexistent/cert.pem";
  options_.tlsKeyFile = "/nonexistent/key.pem";
  HttpServer server(loop_, router_, options_);
  const auto status = server.start();
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("/nonexistent/cert.pem"), std::string::npos)
      << status.error().message;
}

INSTANTIATE_TEST_SUITE_P(Loops, HttpServerTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "OnOtherLoops" : "OnServerLoop";
                         });

}  // namespace
}  // namespace ocellus::api::http::test
