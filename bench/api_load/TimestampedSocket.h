// A TCP socket for Beast whose reads also keep the kernel's receive time of the data
// (socket(7) SO_TIMESTAMPNS, delivered with recvmsg as SCM_TIMESTAMPNS, CLOCK_REALTIME).
//
// Why: api_load runs on one thread, so the time at which it handles a message includes its own
// work on every message that arrived before it (1000 notifications arrive at once). The kernel's
// time of the last segment a read consumed does not; it is an upper bound on when the message
// reached this host's socket.
#pragma once

#include <sys/uio.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <cstdint>
#include <span>
#include <utility>

namespace ocellus::bench::api {

class TimestampedSocket {
 public:
  using executor_type = boost::asio::any_io_executor;

  explicit TimestampedSocket(const executor_type& executor) : socket_(executor) {}

  executor_type get_executor() { return socket_.get_executor(); }
  boost::asio::ip::tcp::socket& socket() { return socket_; }
  // After connecting: have the kernel time every segment it receives.
  void enableTimestamps();
  // CLOCK_REALTIME, ns, of the last segment consumed by the latest read; 0 before any.
  std::int64_t lastReceiveNs() const { return lastReceiveNs_; }
  // Closes the socket; pending operations complete with operation_aborted.
  void close();

  template <typename MutableBuffers, typename Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
        ReadOp<MutableBuffers>{this, buffers}, token, socket_);
  }

  template <typename ConstBuffers, typename Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return socket_.async_write_some(buffers, std::forward<Token>(token));
  }

 private:
  static constexpr std::size_t kMaxIov = 16;

  // One non-blocking recvmsg: bytes read, or would_block, or an error (eof when the peer closed).
  std::size_t receive(std::span<iovec> iov, boost::system::error_code& ec);

  template <typename MutableBuffers>
  struct ReadOp {
    enum class State { Start, Waiting, Done };
    TimestampedSocket* socket;
    MutableBuffers buffers;
    State state = State::Start;
    boost::system::error_code result{};
    std::size_t bytes = 0;

    template <typename Self>
    void operator()(Self& self, boost::system::error_code ec = {}) {
      if (state == State::Done) {  // the post below
        self.complete(result, bytes);
        return;
      }
      if (!ec) {
        iovec iov[kMaxIov];
        std::size_t n = 0;
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers) && n < kMaxIov; ++it) {
          const boost::asio::mutable_buffer b(*it);
          if (b.size() > 0) iov[n++] = iovec{b.data(), b.size()};
        }
        if (n > 0) {
          bytes = socket->receive(std::span<iovec>(iov, n), ec);
          if (ec == boost::asio::error::would_block) {
            state = State::Waiting;
            socket->socket_.async_wait(boost::asio::ip::tcp::socket::wait_read, std::move(self));
            return;
          }
        }
      }
      result = ec;
      if (state == State::Waiting) {  // already asynchronous
        self.complete(result, bytes);
        return;
      }
      state = State::Done;  // never complete inside the initiating call
      auto executor = socket->socket_.get_executor();
      boost::asio::post(executor, std::move(self));
    }
  };

  boost::asio::ip::tcp::socket socket_;
  std::int64_t lastReceiveNs_ = 0;
};

// Beast's customization points (found by ADL): a WebSocket close tears the TCP socket down,
// a failing WebSocket closes it.
void teardown(boost::beast::role_type role, TimestampedSocket& s, boost::system::error_code& ec);
template <typename Handler>
void async_teardown(boost::beast::role_type role, TimestampedSocket& s, Handler&& handler) {
  boost::beast::websocket::async_teardown(role, s.socket(), std::forward<Handler>(handler));
}
void beast_close_socket(TimestampedSocket& s);

}  // namespace ocellus::bench::api
