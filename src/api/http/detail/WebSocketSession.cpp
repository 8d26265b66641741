// The WebSocket side of the HTTP server (RFC 6455 through Boost.Beast). One of the three
// translation units that instantiate Beast; see HttpServer.cpp.

#include "api/http/detail/WebSocketSession.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <deque>

namespace ocellus::api::http::detail {

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kStopGrace{200};
constexpr std::chrono::seconds kHandshakeTimeout{10};

// One WebSocket. Its I/O runs on its home loop, the one its HTTP connection was on: the server
// loop, or the loop the server's connectionLoop option picked (then the callbacks onOpen, onMessage and onClose are posted to the
// server loop, one message at a time: the next read starts once the server loop has taken the
// last message, which keeps TCP's back-pressure on a client that sends faster than it is
// served). Home-only and server-loop-only state is marked; send() and close() are the
// cross-thread entry points and only touch the atomics before posting. Completion handlers hold
// the object by shared_ptr, so it lives until the last one has run.
class WebSocketSession final : public WsConnection,
                               public Session,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(std::shared_ptr<ServerState> server, net::io_context& home, AnyStream stream,
                   std::string remoteIp, std::uint16_t remotePort)
      : Session(std::move(server)),
        home_(home),
        remote_(&home != &server_->loop),
        ws_(std::move(stream)),
        executor_(ws_.get_executor()),
        closeTimer_(executor_),
        remoteIp_(std::move(remoteIp)),
        remotePort_(remotePort) {}

  void run(boost::beast::http::request<boost::beast::http::string_body> upgrade, HttpRequest request,
           const Router::WebSocketHandler& onOpen) {
    const auto& o = server_->options;
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = kHandshakeTimeout;
    // Beast pings after half the idle time without a frame from the client and gives up
    // after the whole of it: a ping every wsPingInterval, a close when its pong is missing.
    timeouts.idle_timeout = 2 * o.wsPingInterval;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    websocket::permessage_deflate deflate;
    deflate.server_enable = false;
    deflate.client_enable = false;
    ws_.set_option(deflate);
    ws_.read_message_max(o.wsMessageLimit);
    ws_.auto_fragment(false);
    ws_.set_option(websocket::stream_base::decorator([id = request.requestId](websocket::response_type& res) {
      res.set(beast::http::field::server, "Ocellus");
      res.set("X-Request-Id", id);
    }));
    handshake_ =
        std::make_unique<Handshake>(Handshake{std::move(upgrade), std::move(request), &onOpen, Clock::now()});
    enroll(weak_from_this());
    ws_.async_accept(handshake_->upgrade,
                     [self = shared_from_this()](beast::error_code ec) { self->onAccepted(ec); });
  }

  // --- WsConnection ----------------------------------------------------------------------

  using WsConnection::send;
  bool send(std::shared_ptr<const std::string> text) override {
    if (closing_.load(std::memory_order_acquire)) return false;
    const std::size_t n = text->size();
    const std::size_t before = queuedBytes_.fetch_add(n, std::memory_order_acq_rel);
    if (before + n > server_->options.wsSendQueueLimit) {
      queuedBytes_.fetch_sub(n, std::memory_order_acq_rel);
      bool expected = false;
      if (closing_.compare_exchange_strong(expected, true)) {
        server_->wsOverflows.add();
        if (const auto count = server_->slowClientLog.allow()) {
          server_->log.warn("WebSocket client {}:{} too slow: send queue over {} bytes, closing ({} such)",
                            remoteIp_, remotePort_, server_->options.wsSendQueueLimit, count);
        }
        net::post(executor_,
                  [self = shared_from_this()] { self->requestClose(1008, "send queue full", true, false); });
      }
      return false;
    }
    // On the home loop (a notification fan-out, an answer to a request) queue at once: a post
    // per connection would double the cost of telling a thousand clients.
    if (home_.get_executor().running_in_this_thread()) {
      enqueue(std::move(text));
    } else {
      net::post(executor_, [self = shared_from_this(), text = std::move(text)]() mutable {
        self->enqueue(std::move(text));
      });
    }
    return true;
  }

  void close(std::uint16_t code, std::string reason) override {
    bool expected = false;
    if (!closing_.compare_exchange_strong(expected, true)) return;
    net::post(executor_, [self = shared_from_this(), code, reason = std::move(reason)]() mutable {
      self->requestClose(code, std::move(reason), false, false);
    });
  }

  const std::string& remoteIp() const override { return remoteIp_; }
  net::io_context& serverLoop() const { return server_->loop; }

  void onMessage(std::function<void(std::string_view)> callback) override {
    onMessage_ = std::move(callback);
  }

  void onClose(std::function<void(std::uint16_t, std::string_view)> callback) override {
    onClose_ = std::move(callback);
  }

  // --- Session ---------------------------------------------------------------------------

  void shutdown() override {
    closing_.store(true, std::memory_order_release);
    onHome([self = shared_from_this()] {
      self->requestClose(websocket::close_code::going_away, "server stopping", true, true);
    });
  }

 private:
  // Runs `f` on the server loop (where the route's callbacks live), or at once when home is it.
  template <typename F>
  void onServerLoop(F&& f) {
    if (remote_) {
      net::post(server_->loop, std::forward<F>(f));
    } else {
      f();
    }
  }
  template <typename F>
  void onHome(F&& f) {
    if (remote_) {
      net::post(executor_, std::forward<F>(f));
    } else {
      f();
    }
  }

  // Server loop: what the route's callbacks do when they throw.
  void failInCallback(const char* which, const std::exception& e) {
    server_->log.error("WebSocket {}:{}: {} threw: {}", remoteIp_, remotePort_, which, e.what());
    closing_.store(true, std::memory_order_release);
    onHome([self = shared_from_this()] {
      self->requestClose(websocket::close_code::internal_error, "internal error", false, false);
    });
  }

  void onAccepted(beast::error_code ec) {
    auto handshake = std::move(handshake_);
    const HttpRequest& request = handshake->request;
    if (ec) {
      server_->log.debug("WebSocket handshake with {}:{} failed: {}", remoteIp_, remotePort_, ec.message());
      return finish(ec);
    }
    if (finished_) return;
    open_ = true;
    server_->wsConnections.add();
    server_->finished(request.methodName, request.target, 101, 0, Clock::now() - handshake->started,
                      request.requestId, remoteIp_, RouteKind::Api);
    if (closeRequested_) {  // the server is stopping
      readLoop();
      return startClose();
    }
    onServerLoop([self = shared_from_this(), handshake = std::shared_ptr<Handshake>(std::move(handshake))] {
      try {
        (*handshake->onOpen)(self, handshake->request);
      } catch (const std::exception& e) {
        self->failInCallback("onOpen", e);
      }
    });
    readLoop();
    if (!writing_ && !queue_.empty() && !closeStarted_) writeNext();
    if (closeRequested_ && !writing_ && !closeStarted_) startClose();
  }

  // --- reading ---------------------------------------------------------------------------

  void readLoop() {
    ws_.async_read(readBuffer_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
  }

  void onRead(beast::error_code ec) {
    if (ec) return finish(ec);
    if (!ws_.got_text()) {
      releaseReadBuffer();
      closing_.store(true, std::memory_order_release);
      requestClose(websocket::close_code::unknown_data, "text frames only", true, false);
      return readLoop();  // the closing handshake goes on through reads
    }
    server_->wsReceived.add();
    const std::string_view message(static_cast<const char*>(readBuffer_.data().data()), readBuffer_.size());
    if (!remote_) {
      deliver(message);
      releaseReadBuffer();
      if (!finished_) readLoop();
      return;
    }
    net::post(server_->loop, [self = shared_from_this(), text = std::string(message)] {
      self->deliver(text);
      net::post(self->executor_, [self] {
        if (!self->finished_) self->readLoop();
      });
    });
    releaseReadBuffer();
  }

  // Server loop.
  void deliver(std::string_view message) {
    if (!onMessage_ || callbacksDone_) return;
    try {
      onMessage_(message);
    } catch (const std::exception& e) {
      failInCallback("onMessage", e);
    }
  }

  // An idle connection keeps no message buffer (the per-connection memory target).
  void releaseReadBuffer() {
    readBuffer_.consume(readBuffer_.size());
    readBuffer_.shrink_to_fit();
  }

  // --- writing ---------------------------------------------------------------------------

  void enqueue(std::shared_ptr<const std::string> text) {
    if (closeRequested_ || finished_) {
      queuedBytes_.fetch_sub(text->size(), std::memory_order_acq_rel);
      return;
    }
    queue_.push_back(std::move(text));
    if (open_ && !writing_) writeNext();
  }

  void writeNext() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onWritten(ec); });
  }

  void onWritten(beast::error_code ec) {
    writing_ = false;
    queuedBytes_.fetch_sub(queue_.front()->size(), std::memory_order_acq_rel);
    queue_.pop_front();
    if (ec) {
      dropQueue();
      ws_.next_layer().close();  // the read fails next and finishes the connection
      return;
    }
    if (finished_) return;
    server_->wsSent.add();
    if (!queue_.empty()) return writeNext();
    if (closeRequested_ && !closeStarted_) startClose();
  }

  void dropQueue() {
    std::size_t dropped = 0;
    auto first = queue_.begin();
    if (writing_ && first != queue_.end())
      ++first;  // the message being written stays until its write completes
    for (auto it = first; it != queue_.end(); ++it) dropped += (*it)->size();
    queue_.erase(first, queue_.end());
    queuedBytes_.fetch_sub(dropped, std::memory_order_acq_rel);
  }

  // --- closing ---------------------------------------------------------------------------

  // drop: discard what is queued (a slow client, a server stop) instead of writing it first.
  void requestClose(std::uint16_t code, std::string reason, bool drop, bool stopping) {
    if (finished_ || closeRequested_) {
      if (stopping) hardClose();
      return;
    }
    closeRequested_ = true;
    // A close frame's payload is at most 125 bytes (RFC 6455 §5.5): 2 for the code, 123 for text.
    closeReason_ = websocket::close_reason(static_cast<websocket::close_code>(code),
                                           std::string_view(reason).substr(0, 123));
    if (drop) dropQueue();
    const auto grace = stopping
                           ? std::min<std::chrono::milliseconds>(kStopGrace, server_->options.wsCloseTimeout)
                           : server_->options.wsCloseTimeout;
    closeTimer_.expires_after(grace);
    closeTimer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->hardClose();
    });
    if (!open_) return;  // the handshake is still running; onAccepted goes on from here
    if (!writing_) startClose();
  }

  void startClose() {
    closeStarted_ = true;
    ws_.async_close(closeReason_, [self = shared_from_this()](beast::error_code) {
      self->closeTimer_.cancel();
      self->ws_.next_layer().close();
    });
  }

  void hardClose() { ws_.next_layer().close(); }

  void finish(beast::error_code ec) {
    if (finished_) return;
    finished_ = true;
    closing_.store(true, std::memory_order_release);
    leave();
    std::uint16_t code = websocket::close_code::abnormal;
    std::string reason;
    if (ec == websocket::error::message_too_big) {
      code = websocket::close_code::too_big;
      reason = "message too big";
    } else if (ws_.reason().code != websocket::close_code::none) {
      code = ws_.reason().code;
      reason = std::string(ws_.reason().reason.data(), ws_.reason().reason.size());
    } else if (closeRequested_) {
      code = closeReason_.code;
      reason = std::string(closeReason_.reason.data(), closeReason_.reason.size());
    }
    // A close handshake in progress finishes on its own (bounded by closeTimer_); otherwise
    // the socket goes now.
    if (!closeStarted_) {
      closeTimer_.cancel();
      hardClose();
    }
    dropQueue();
    releaseReadBuffer();
    if (open_) server_->log.debug("WebSocket {}:{} closed: {} {}", remoteIp_, remotePort_, code, reason);
    onServerLoop([self = shared_from_this(), code, reason = std::move(reason), wasOpen = open_] {
      self->callbacksDone_ = true;
      auto onClose = std::move(self->onClose_);
      self->onClose_ = nullptr;
      self->onMessage_ = nullptr;
      if (!onClose || !wasOpen) return;
      try {
        onClose(code, reason);
      } catch (const std::exception& e) {
        self->server_->log.error("WebSocket {}:{}: onClose threw: {}", self->remoteIp_, self->remotePort_,
                                 e.what());
      }
    });
  }

  net::io_context& home_;  // runs every operation on ws_
  const bool remote_;      // home_ is not the server loop
  websocket::stream<AnyStream> ws_;
  net::any_io_executor executor_;
  net::steady_timer closeTimer_;
  const std::string remoteIp_;
  const std::uint16_t remotePort_;

  // Server loop only: the route's callbacks.
  std::function<void(std::string_view)> onMessage_;
  std::function<void(std::uint16_t, std::string_view)> onClose_;
  bool callbacksDone_ = false;  // onClose has run: no more messages

  // Home loop only.
  beast::flat_buffer readBuffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;  // front: the message being written
  websocket::close_reason closeReason_;
  struct Handshake {
    boost::beast::http::request<boost::beast::http::string_body> upgrade;
    HttpRequest request;
    const Router::WebSocketHandler* onOpen;
    Clock::time_point started;
  };
  std::unique_ptr<Handshake> handshake_;  // until the handshake is done (home loop)
  bool open_ = false;
  bool writing_ = false;
  bool closeRequested_ = false;
  bool closeStarted_ = false;
  bool finished_ = false;

  // Any thread.
  std::atomic<std::size_t> queuedBytes_{0};
  std::atomic<bool> closing_{false};  // send() refuses from here on
};

}  // namespace

void startWebSocket(std::shared_ptr<ServerState> server, net::io_context& current, AnyStream stream,
                    boost::beast::http::request<boost::beast::http::string_body> upgrade, HttpRequest request,
                    const Router::WebSocketHandler& onOpen) {
  auto ip = request.remoteIp;
  const auto port = request.remotePort;
  auto session =
      std::make_shared<WebSocketSession>(std::move(server), current, std::move(stream), std::move(ip), port);
  session->run(std::move(upgrade), std::move(request), onOpen);
}

}  // namespace ocellus::api::http::detail
