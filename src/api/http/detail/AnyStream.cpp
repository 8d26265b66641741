#include "api/http/detail/AnyStream.h"

#include <boost/asio/append.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <openssl/ssl.h>

namespace ocellus::api::http::detail {

namespace {

namespace beast = boost::beast;
using tcp = net::ip::tcp;
using Socket = AnyStream::Socket;

void closeSocket(Socket& socket) {
  error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

class PlainImpl final : public AnyStream::Impl {
 public:
  explicit PlainImpl(Socket socket) : socket_(std::move(socket)) {}

  void readSome(const AnyStream::MutableBuffers& buffers, AnyStream::IoHandler handler) override {
    socket_.async_read_some(buffers, std::move(handler));
  }
  void writeSome(const AnyStream::ConstBuffers& buffers, AnyStream::IoHandler handler) override {
    socket_.async_write_some(buffers, std::move(handler));
  }
  void handshake(AnyStream::Handler handler) override {
    net::post(socket_.get_executor(), net::append(std::move(handler), error_code{}));
  }
  void shutdown(AnyStream::Handler handler) override {
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    net::post(socket_.get_executor(), net::append(std::move(handler), ec));
  }
  // RFC 6455 §7.1.1: the server closes the TCP connection first, after its close frame, but
  // reads what the client still sends so that closing does not reset the connection and
  // destroy the close frame in flight. (Beast 1.81's own TCP teardown stops draining after
  // the first read that returns data, which does exactly that.)
  void teardown(beast::role_type role, AnyStream::Handler handler) override {
    error_code ec;
    if (role == beast::role_type::server) socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
      closeSocket(socket_);
      net::post(socket_.get_executor(), net::append(std::move(handler), ec));
      return;
    }
    drainBuffer_ = std::make_unique<char[]>(kDrainChunk);
    drained_ = 0;
    drain(role, std::move(handler));
  }
  void close() override { closeSocket(socket_); }
  bool isOpen() const override { return socket_.is_open(); }

 private:
  static constexpr std::size_t kDrainChunk = 2048;
  static constexpr std::uint64_t kMaxDrain = 4 * 1024 * 1024;

  void drain(beast::role_type role, AnyStream::Handler handler) {
    socket_.async_read_some(
        net::buffer(drainBuffer_.get(), kDrainChunk),
        net::bind_executor(socket_.get_executor(),
                           [this, role, handler = std::move(handler)](error_code ec, std::size_t n) mutable {
                             drained_ += n;
                             if (!ec && drained_ <= kMaxDrain) return drain(role, std::move(handler));
                             drainBuffer_.reset();
                             if (ec == net::error::eof) ec = {};
                             error_code ignored;
                             if (!ec && role == beast::role_type::client)
                               socket_.shutdown(tcp::socket::shutdown_send, ignored);
                             closeSocket(socket_);
                             std::move(handler)(ec);
                           }));
  }

  Socket socket_;
  std::unique_ptr<char[]> drainBuffer_;  // during a teardown only
  std::uint64_t drained_ = 0;
};

class TlsImpl final : public AnyStream::Impl {
 public:
  TlsImpl(Socket socket, net::ssl::context& context) : stream_(std::move(socket), context) {}

  void readSome(const AnyStream::MutableBuffers& buffers, AnyStream::IoHandler handler) override {
    stream_.async_read_some(buffers, std::move(handler));
  }
  void writeSome(const AnyStream::ConstBuffers& buffers, AnyStream::IoHandler handler) override {
    // beast::ssl_stream coalesces small buffers into one TLS record.
    stream_.async_write_some(buffers, std::move(handler));
  }
  void handshake(AnyStream::Handler handler) override {
    stream_.async_handshake(net::ssl::stream_base::server, std::move(handler));
  }
  void shutdown(AnyStream::Handler handler) override { stream_.async_shutdown(std::move(handler)); }
  void teardown(beast::role_type role, AnyStream::Handler handler) override {
    using beast::websocket::async_teardown;
    async_teardown(role, stream_, net::bind_executor(stream_.get_executor(), std::move(handler)));
  }
  void close() override { closeSocket(beast::get_lowest_layer(stream_)); }
  bool isOpen() const override { return beast::get_lowest_layer(stream_).is_open(); }

 private:
  beast::ssl_stream<Socket> stream_;
};

}  // namespace

AnyStream::~AnyStream() = default;

AnyStream AnyStream::plain(Socket socket) {
  const auto executor = socket.get_executor();
  return AnyStream(std::make_unique<PlainImpl>(std::move(socket)), executor, false);
}

AnyStream AnyStream::tls(Socket socket, net::ssl::context& context) {
  const auto executor = socket.get_executor();
  return AnyStream(std::make_unique<TlsImpl>(std::move(socket), context), executor, true);
}

}  // namespace ocellus::api::http::detail
