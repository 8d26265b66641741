#include "server/webrtc/WebRtcTcpConnection.h"

#include <boost/asio/write.hpp>

namespace ocellus::server::webrtc {

namespace pw = proto::webrtc;

WebRtcTcpConnection::WebRtcTcpConnection(boost::asio::ip::tcp::socket socket, Endpoint remote, pw::TcpFraming framing,
                                         std::shared_ptr<const Handlers> handlers, base::SteadyTime checkDeadline,
                                         base::Logger log)
    : socket_(std::move(socket)),
      remote_(std::move(remote)),
      framing_(std::move(framing)),
      handlers_(std::move(handlers)),
      log_(std::move(log)),
      deadline_(socket_.get_executor(), checkDeadline),
      sendDropsTotal_(base::Metrics::global().counter(
          "ocellus_webrtc_tcp_send_drops_total", "Packets dropped because an ICE-TCP viewer's send queue was full")) {}

void WebRtcTcpConnection::start(std::vector<std::uint8_t> first) {
  // Small packets both ways: no Nagle delay on media or handshakes.
  boost::system::error_code ignored;
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->fail("no valid ICE check in time");
  });
  handlers_->onFrame(shared_from_this(), first);
  deliver();
  if (!closed_) read();
}

void WebRtcTcpConnection::checked() { deadline_.cancel(); }

void WebRtcTcpConnection::read() {
  socket_.async_read_some(boost::asio::buffer(readBuffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            if (self->closed_) return;
                            if (ec) return self->fail(ec == boost::asio::error::eof ? "closed by the peer" : ec.message());
                            self->framing_.append({self->readBuffer_.data(), n});
                            self->deliver();
                            if (!self->closed_) self->read();
                          });
}

void WebRtcTcpConnection::deliver() {
  while (!closed_) {
    auto frame = framing_.next();
    if (!frame) return fail(frame.error().message);
    if (!*frame) return;
    handlers_->onFrame(shared_from_this(), **frame);
  }
}

bool WebRtcTcpConnection::send(std::span<const std::uint8_t> packet) {
  if (closed_ || packet.empty() || packet.size() > pw::TcpFraming::kMaxFrame) return false;
  if (queued_.size() + writing_.size() + pw::TcpFraming::kPrefixSize + packet.size() > kMaxQueued) {
    ++sendDrops_;
    sendDropsTotal_.add();
    return false;
  }
  const auto prefix = pw::TcpFraming::prefix(packet.size());
  queued_.insert(queued_.end(), prefix.begin(), prefix.end());
  queued_.insert(queued_.end(), packet.begin(), packet.end());
  if (!writeInFlight_) flush();
  return true;
}

// One write of everything queued; what is sent meanwhile waits for the next.
void WebRtcTcpConnection::flush() {
  writing_.swap(queued_);
  queued_.clear();
  writeInFlight_ = true;
  boost::asio::async_write(socket_, boost::asio::buffer(writing_),
                           [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                             self->writeInFlight_ = false;
                             self->writing_.clear();
                             if (self->closed_) return;
                             if (ec) return self->fail(ec.message());
                             if (!self->queued_.empty()) self->flush();
                           });
}

void WebRtcTcpConnection::close() {
  if (closed_) return;
  closed_ = true;
  deadline_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
  if (sendDrops_ > 0) log_.info("closed after dropping {} packets (send queue full)", sendDrops_);
}

void WebRtcTcpConnection::fail(const std::string& why) {
  if (closed_) return;
  log_.debug("closed: {}", why);
  close();
  handlers_->onClosed(shared_from_this(), why);
}

}  // namespace ocellus::server::webrtc
