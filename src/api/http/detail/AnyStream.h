#pragma once

// Internal to the HTTP server's .cpp files: includes Asio and a Beast enum.

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/role.hpp>

#include <array>
#include <memory>
#include <string>

#include "base/Result.h"

namespace boost::asio::ssl {
class context;
}

namespace ocellus::api::http::detail {

namespace net = boost::asio;
using boost::system::error_code;

// A fixed-capacity buffer sequence: what crosses the type-erased boundary below without an
// allocation. Empty buffers are skipped; a sequence longer than N is cut, which read_some and
// write_some semantics allow (the caller loops for the rest).
template <typename Buffer, std::size_t N>
struct BufferList {
  using value_type = Buffer;
  using const_iterator = const Buffer*;
  std::array<Buffer, N> items{};
  std::size_t count = 0;
  const Buffer* begin() const { return items.data(); }
  const Buffer* end() const { return items.data() + count; }

  template <typename Sequence>
  static BufferList from(const Sequence& sequence) {
    BufferList list;
    for (auto it = net::buffer_sequence_begin(sequence);
         it != net::buffer_sequence_end(sequence) && list.count < N; ++it) {
      const Buffer b(*it);
      if (b.size() != 0) list.items[list.count++] = b;
    }
    return list;
  }
};

// A byte stream that is either plain TCP or TLS over TCP, behind one non-template type, so
// the HTTP and WebSocket code (Beast templates, slow to compile) is instantiated once instead
// of once per transport. Models Asio's AsyncReadStream/AsyncWriteStream and Beast's teardown
// and close_socket customisation points. One owner; all calls on the stream's executor.
class AnyStream {
 public:
  // The socket's own io_context executor, not any_io_executor: a composed operation (Beast's
  // read and write) passes its executor through the type-erased handlers below, and an
  // any_io_executor inside those is too big for their small-object buffer, so each operation
  // would allocate three or four times for executors alone.
  using executor_type = net::io_context::executor_type;
  using Socket = net::basic_stream_socket<net::ip::tcp, executor_type>;
  using IoHandler = net::any_completion_handler<void(error_code, std::size_t)>;
  using Handler = net::any_completion_handler<void(error_code)>;
  using MutableBuffers = BufferList<net::mutable_buffer, 8>;
  using ConstBuffers = BufferList<net::const_buffer, 16>;

  class Impl {
   public:
    virtual ~Impl() = default;
    virtual void readSome(const MutableBuffers& buffers, IoHandler handler) = 0;
    virtual void writeSome(const ConstBuffers& buffers, IoHandler handler) = 0;
    virtual void handshake(Handler handler) = 0;
    virtual void shutdown(Handler handler) = 0;
    virtual void teardown(boost::beast::role_type role, Handler handler) = 0;
    virtual void close() = 0;
    virtual bool isOpen() const = 0;
  };

  static AnyStream plain(Socket socket);
  // The context must outlive the stream.
  static AnyStream tls(Socket socket, net::ssl::context& context);

  AnyStream(AnyStream&&) noexcept = default;
  AnyStream& operator=(AnyStream&&) noexcept = default;
  ~AnyStream();

  executor_type get_executor() noexcept { return executor_; }
  bool secure() const { return secure_; }
  bool isOpen() const { return impl_ && impl_->isOpen(); }
  // Closes the socket at once; pending operations complete with operation_aborted.
  void close() {
    if (impl_) impl_->close();
  }

  template <typename MutableBufferSequence, typename Token>
  auto async_read_some(const MutableBufferSequence& buffers, Token&& token) {
    return net::async_initiate<Token, void(error_code, std::size_t)>(
        [](auto handler, Impl* impl, const MutableBuffers& b) {
          impl->readSome(b, IoHandler(std::move(handler)));
        },
        token, impl_.get(), MutableBuffers::from(buffers));
  }

  template <typename ConstBufferSequence, typename Token>
  auto async_write_some(const ConstBufferSequence& buffers, Token&& token) {
    return net::async_initiate<Token, void(error_code, std::size_t)>(
        [](auto handler, Impl* impl, const ConstBuffers& b) {
          impl->writeSome(b, IoHandler(std::move(handler)));
        },
        token, impl_.get(), ConstBuffers::from(buffers));
  }

  // The TLS server handshake; completes at once (posted) for plain TCP.
  template <typename Token>
  auto async_handshake(Token&& token) {
    return net::async_initiate<Token, void(error_code)>(
        [](auto handler, Impl* impl) { impl->handshake(Handler(std::move(handler))); }, token, impl_.get());
  }

  // Ends the sending side: TCP FIN, or TLS close_notify (which waits for the peer's).
  template <typename Token>
  auto async_shutdown(Token&& token) {
    return net::async_initiate<Token, void(error_code)>(
        [](auto handler, Impl* impl) { impl->shutdown(Handler(std::move(handler))); }, token, impl_.get());
  }

  // Beast customisation points (found by argument-dependent lookup).
  friend void beast_close_socket(AnyStream& stream) { stream.close(); }
  template <typename TeardownHandler>
  friend void async_teardown(boost::beast::role_type role, AnyStream& stream, TeardownHandler&& handler) {
    stream.impl_->teardown(role, Handler(std::forward<TeardownHandler>(handler)));
  }
  friend void teardown(boost::beast::role_type, AnyStream& stream, error_code& ec) {
    stream.close();
    ec = {};
  }

 private:
  AnyStream(std::unique_ptr<Impl> impl, executor_type executor, bool secure)
      : impl_(std::move(impl)), executor_(std::move(executor)), secure_(secure) {}

  std::unique_ptr<Impl> impl_;
  executor_type executor_;
  bool secure_ = false;
};

}  // namespace ocellus::api::http::detail
