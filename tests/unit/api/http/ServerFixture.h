#pragma once

// A running HttpServer on 127.0.0.1, port 0, with its loop on a thread, and a blocking
// HTTP/1.1 client that reads raw responses (so tests see exactly what went on the wire).

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/http/HttpServer.h"

namespace ocellus::api::http::test {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; repeated ones combined
  std::string body;

  std::string header(const std::string& lowerName) const {
    const auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
  }
  bool has(const std::string& lowerName) const { return headers.count(lowerName) != 0; }
  boost::json::value json() const { return boost::json::parse(body); }
};

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads HTTP/1.1 responses from any blocking stream through two callables; keeps what it
// read past one response for the next (pipelining).
class ResponseReader {
 public:
  // readSome(buffer, size) → bytes read, 0 at end of stream; throws on error.
  explicit ResponseReader(std::function<std::size_t(char*, std::size_t)> readSome)
      : readSome_(std::move(readSome)) {}

  // nullopt when the stream ends before a full head.
  std::optional<RawResponse> read(bool headRequest = false) {
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    RawResponse r;
    const std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    std::size_t lineEnd = head.find("\r\n");
    const std::string statusLine = head.substr(0, lineEnd);
    r.status = std::atoi(statusLine.substr(9, 3).c_str());
    while (lineEnd != std::string::npos) {
      const std::size_t next = head.find("\r\n", lineEnd + 2);
      const std::string line =
          head.substr(lineEnd + 2, next == std::string::npos ? std::string::npos : next - lineEnd - 2);
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        // Repeated field lines combine into one comma-separated value (RFC 9110 §5.3).
        auto [it, added] = r.headers.try_emplace(lower(line.substr(0, colon)), value);
        if (!added) it->second += ", " + value;
      }
      lineEnd = next;
    }
    if (headRequest || r.status == 204 || r.status == 304 || r.status < 200) return r;
    const auto length = static_cast<std::size_t>(std::atoll(r.header("content-length").c_str()));
    while (buffer_.size() < length) {
      if (!fill()) break;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, std::min(length, buffer_.size()));
    return r;
  }

  // True when the peer has closed (reads until end of stream or error).
  bool closedByPeer() {
    try {
      while (fill()) {
      }
      return true;
    } catch (const std::exception&) {
      return true;
    }
  }

  const std::string& leftover() const { return buffer_; }

 private:
  bool fill() {
    char chunk[16384];
    const std::size_t n = readSome_(chunk, sizeof chunk);
    if (n == 0) return false;
    buffer_.append(chunk, n);
    return true;
  }

  std::function<std::size_t(char*, std::size_t)> readSome_;
  std::string buffer_;
};

// A blocking plain-TCP client with a receive timeout (so a broken server fails the test
// instead of hanging it).
class Client {
 public:
  Client(net::io_context& io, std::uint16_t port,
         std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
      : socket_(io), reader_([this](char* data, std::size_t size) { return readSome(data, size); }) {
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  Client(Client&&) = delete;  // the reader captures this

  void send(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }
  std::optional<RawResponse> read(bool head = false) { return reader_.read(head); }
  RawResponse request(const std::string& bytes, bool head = false) {
    send(bytes);
    auto r = read(head);
    if (!r) throw std::runtime_error("the connection closed before a response");
    return *r;
  }
  bool closedByPeer() { return reader_.closedByPeer(); }
  tcp::socket& socket() { return socket_; }

 private:
  std::size_t readSome(char* data, std::size_t size) {
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(net::buffer(data, size), ec);
    if (ec == net::error::eof) return 0;
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

  tcp::socket socket_;
  ResponseReader reader_;
};

// A throw-away self-signed certificate (P-256) made with the openssl binary; false on failure.
inline bool makeSelfSignedCertificate(const std::string& certFile, const std::string& keyFile) {
  const std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost "
      "-keyout " +
      keyFile + " -out " + certFile + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

inline std::string get(const std::string& target, const std::string& extra = {}) {
  return "GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

class ServerFixture : public ::testing::Test {
 protected:
  ServerFixture() : guard_(net::make_work_guard(loop_)) {
    options_.address = io::Address{"127.0.0.1", 0};
    options_.accessLog = false;
    router_ = std::make_shared<Router>();
  }

  ~ServerFixture() override {
    shutdown();
    stopConnectionLoops();
  }

  // Stops the server and its loop; a derived fixture whose members server callbacks touch
  // calls this first in its own destructor. Idempotent.
  void shutdown() {
    if (server_) server_->stop();
    server_.reset();
    guard_.reset();
    loop_.stop();
    if (thread_.joinable()) thread_.join();
  }

  // Connections on two other loops, by turns (HttpServer::Options::connectionLoop, as the
  // application spreads them over its media loops). Before startServer().
  void useConnectionLoops() {
    for (auto& loop : ioLoops_) {
      ioGuards_.push_back(net::make_work_guard(loop));
      ioThreads_.emplace_back([&loop] { loop.run(); });
    }
    options_.connectionLoop = [this]() -> net::io_context& { return ioLoops_[nextLoop_++ % ioLoops_.size()]; };
  }

  // After shutdown(). As IoContextPool::stop does: what is left (timers of closed sockets) is
  // dropped; then sessions that the server loop's queue still holds, which have timers on the
  // other loops, go before those loops do (as Application::run does). Idempotent.
  void stopConnectionLoops() {
    ioGuards_.clear();
    for (auto& loop : ioLoops_) loop.stop();
    for (auto& t : ioThreads_) t.join();
    ioThreads_.clear();
    loop_.restart();
    loop_.poll();
  }

  // Sessions are counted until their object is gone, a little after their callbacks ran.
  bool waitConnections(std::size_t n, std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (server_->connectionCount() != n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return server_->connectionCount() == n;
  }

  void startServer() {
    thread_ = std::thread([this] { loop_.run(); });
    server_ = std::make_unique<HttpServer>(loop_, router_, options_);
    const auto status = server_->start();
    ASSERT_TRUE(status.ok()) << status.error().describe();
    ASSERT_NE(server_->port(), 0);
  }

  std::uint16_t port() const { return server_->port(); }
  Client connect() { return Client(clientIo_, port()); }

  net::io_context loop_;
  net::executor_work_guard<net::io_context::executor_type> guard_;
  std::thread thread_;
  net::io_context clientIo_;
  HttpServer::Options options_;
  std::shared_ptr<Router> router_;
  std::unique_ptr<HttpServer> server_;
  std::array<net::io_context, 2> ioLoops_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> ioGuards_;
  std::vector<std::thread> ioThreads_;
  std::atomic<std::size_t> nextLoop_{0};
};

}  // namespace ocellus::api::http::test
