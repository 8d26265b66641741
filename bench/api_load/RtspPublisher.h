// The smallest RTSP publisher that makes a server announce a stream (RFC 2326 §10.11 ANNOUNCE,
// §10.4 SETUP with mode=record over TCP interleaved (§10.12), §10.11 RECORD): it never sends
// media. api_load uses it to toggle a publisher camera online (RECORD) and offline (close).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <string>

namespace ocellus::bench::api {

class RtspPublisher {
 public:
  // `url` is rtsp://HOST:PORT/PATH as sent in the request line; `server` is where to connect.
  RtspPublisher(const boost::asio::any_io_executor& executor, boost::asio::ip::tcp::endpoint server,
                std::string url, std::chrono::steady_clock::duration timeout);

  // Connects, ANNOUNCEs one H.264 track and SETUPs it. Returns "" or why it failed.
  boost::asio::awaitable<std::string> prepare();
  // Sends RECORD and waits for its answer; the stream is published when the server reads it.
  // Returns "" or why it failed.
  boost::asio::awaitable<std::string> record();
  // Closes the connection: the server ends the session and unpublishes the stream.
  void close();

 private:
  struct Reply {
    int status = 0;
    std::string session;
  };
  // One request and its reply; "" or why it failed.
  boost::asio::awaitable<std::string> exchange(const std::string& request, Reply& reply);
  std::string head(const char* method, const std::string& url);

  boost::beast::tcp_stream stream_;
  boost::asio::ip::tcp::endpoint server_;
  std::string url_;
  std::chrono::steady_clock::duration timeout_;
  std::string in_;
  std::string session_;
  int cseq_ = 0;
};

}  // namespace ocellus::bench::api
