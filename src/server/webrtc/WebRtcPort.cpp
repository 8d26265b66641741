#include "server/webrtc/WebRtcPort.h"

#include <boost/asio/post.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "io/Udp.h"
#include "proto/webrtc/IceLite.h"
#include "proto/webrtc/PacketKind.h"
#include "proto/webrtc/StunMessage.h"

namespace ocellus::server::webrtc {

namespace pw = proto::webrtc;

WebRtcPort::WebRtcPort(io::IoContext& loop)
    : loop_(loop),
      socket_(loop),
      unknownDrops_(base::Metrics::global().counter(
          "ocellus_webrtc_unknown_source_drops_total",
          "Datagrams on the WebRTC port from a source no session knows (and not a check naming one)")),
      sendDrops_(base::Metrics::global().counter(
          "ocellus_webrtc_send_drops_total", "Datagrams the WebRTC port could not send (socket buffer full)")) {}

base::Status WebRtcPort::open(const io::Address& address) {
  auto port = io::bindUdp(socket_, address);
  if (!port) return port.error();
  port_ = *port;
  // A bigger receive buffer rides out fan-out bursts that keep the loop away (the kernel caps
  // SO_RCVBUF at net.core.rmem_max; SO_RCVBUFFORCE passes it when we may).
  const int size = kReceiveBuffer;
  if (::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
    boost::system::error_code ignored;
    socket_.set_option(boost::asio::socket_base::receive_buffer_size(size), ignored);
  }
  boost::asio::post(loop_, [self = shared_from_this()] { self->receive(); });
  return {};
}

void WebRtcPort::close() {
  boost::asio::post(loop_, [self = shared_from_this()] {
    boost::system::error_code ec;
    self->socket_.close(ec);
    std::lock_guard lock(self->mutex_);
    self->byUfrag_.clear();
    self->bySource_.clear();
  });
}

void WebRtcPort::add(const std::string& ufrag, io::IoContext& sessionLoop, Handler handler) {
  std::lock_guard lock(mutex_);
  byUfrag_[ufrag] = Session{&sessionLoop, std::make_shared<Handler>(std::move(handler)), {}};
}

void WebRtcPort::remove(const std::string& ufrag) {
  std::lock_guard lock(mutex_);
  const auto it = byUfrag_.find(ufrag);
  if (it == byUfrag_.end()) return;
  for (const auto& source : it->second.sources) bySource_.erase(source);
  byUfrag_.erase(it);
}

bool WebRtcPort::send(const Endpoint& to, std::span<const std::uint8_t> datagram) {
  const std::array<std::span<const std::uint8_t>, 1> parts{datagram};
  if (io::sendDatagram(socket_, to, parts)) return true;
  sendDrops_.add();
  return false;
}

bool WebRtcPort::sendTrain(const Endpoint& to, std::span<const std::uint8_t> train, std::size_t segmentSize) {
  if (train.size() <= segmentSize) return send(to, train);
  if (gso_.load(std::memory_order_relaxed)) {
    const int error = io::sendSegments(socket_, to, train, segmentSize);
    if (error == 0) return true;
    if (error != EIO && error != EINVAL && error != ENOPROTOOPT && error != EOPNOTSUPP) {
      sendDrops_.add((train.size() + segmentSize - 1) / segmentSize);
      return false;
    }
    // The route's device can do no checksum offload, or the kernel no UDP GSO: per packet from
    // now on (for every peer: rare enough not to be worth telling routes apart).
    if (gso_.exchange(false)) log_.warn("UDP GSO not available ({}): sending packets one by one", std::strerror(error));
  }
  bool sent = true;
  for (std::size_t at = 0; at < train.size(); at += segmentSize)
    sent = send(to, train.subspan(at, std::min(segmentSize, train.size() - at))) && sent;
  return sent;
}

void WebRtcPort::receive() {
  socket_.async_receive_from(boost::asio::buffer(buffer_), sender_,
                             [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                               if (ec == boost::asio::error::operation_aborted) return;
                               if (!ec) self->route({self->buffer_.data(), n});
                               // Drain what else is queued before going back to the loop: one
                               // wake-up per burst, not per datagram (the socket is non-blocking).
                               for (int i = 0; i < kDrainPerWakeup && self->socket_.is_open(); ++i) {
                                 boost::system::error_code e;
                                 const auto m = self->socket_.receive_from(boost::asio::buffer(self->buffer_),
                                                                           self->sender_, 0, e);
                                 if (e) break;
                                 self->route({self->buffer_.data(), m});
                               }
                               if (self->socket_.is_open()) self->receive();
                             });
}

void WebRtcPort::route(std::span<const std::uint8_t> datagram) {
  std::shared_ptr<Handler> handler;
  io::IoContext* loop = nullptr;
  {
    std::lock_guard lock(mutex_);
    Session* session = nullptr;
    // A check names its session by ufrag, even from a source address another (ending) session
    // used; anything else goes by source address. The session verifies each check's
    // integrity; a forged one only maps the forger's own address, which the session never
    // answers with media (it sends only to addresses that passed a check).
    std::optional<std::string_view> ufrag;  // points into the datagram
    if (pw::classifyPacket(datagram) == pw::PacketKind::Stun) {
      if (auto message = pw::StunMessage::parse(datagram)) ufrag = pw::IceLite::localUfragOf(*message);
    }
    if (ufrag) {
      if (const auto it = byUfrag_.find(*ufrag); it != byUfrag_.end()) {
        session = &it->second;
        const auto known = bySource_.find(sender_);
        if (known == bySource_.end() || known->second != it->first) {
          if (known != bySource_.end()) {
            auto& old = byUfrag_[known->second].sources;
            old.erase(std::remove(old.begin(), old.end(), sender_), old.end());
          }
          if (session->sources.size() >= kMaxSourcesPerSession) {
            bySource_.erase(session->sources.front());
            session->sources.erase(session->sources.begin());
          }
          session->sources.push_back(sender_);
          bySource_[sender_] = it->first;
        }
      }
    } else if (const auto known = bySource_.find(sender_); known != bySource_.end()) {
      if (const auto it = byUfrag_.find(known->second); it != byUfrag_.end()) session = &it->second;
    }
    if (session) {
      handler = session->handler;
      loop = session->loop;
    }
  }
  if (!handler) {
    unknownDrops_.add();
    return;
  }
  boost::asio::post(*loop, [h = std::move(handler), from = sender_,
                            data = std::vector<std::uint8_t>(datagram.begin(), datagram.end())]() mutable {
    (*h)(from, std::move(data));
  });
}

}  // namespace ocellus::server::webrtc
