#include "server/webrtc/WebRtcPort.h"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "io/Udp.h"
#include "proto/webrtc/IceLite.h"
#include "proto/webrtc/PacketKind.h"
#include "proto/webrtc/StunMessage.h"

namespace ocellus::server::webrtc {

namespace pw = proto::webrtc;

WebRtcPort::WebRtcPort(io::IoContext& loop) : loop_(loop), socket_(loop) {}

base::Status WebRtcPort::open(const io::Address& address) {
  auto port = io::bindUdp(socket_, address);
  if (!port) return port.error();
  port_ = *port;
  boost::asio::post(loop_, [self = shared_from_this()] { self->receive(); });
  return {};
}

void WebRtcPort::close() {
  boost::asio::post(loop_, [self = shared_from_this()] {
    boost::system::error_code ec;
    self->socket_.close(ec);
    self->byUfrag_.clear();
    self->bySource_.clear();
  });
}

void WebRtcPort::add(const std::string& ufrag, io::IoContext& sessionLoop, Handler handler) {
  boost::asio::post(loop_, [self = shared_from_this(), ufrag, loop = &sessionLoop,
                            h = std::make_shared<Handler>(std::move(handler))] {
    self->byUfrag_[ufrag] = Session{loop, h, {}};
  });
}

void WebRtcPort::remove(const std::string& ufrag) {
  boost::asio::post(loop_, [self = shared_from_this(), ufrag] {
    const auto it = self->byUfrag_.find(ufrag);
    if (it == self->byUfrag_.end()) return;
    for (const auto& source : it->second.sources) self->bySource_.erase(source);
    self->byUfrag_.erase(it);
  });
}

bool WebRtcPort::send(const Endpoint& to, std::span<const std::uint8_t> datagram) {
  const std::array<std::span<const std::uint8_t>, 1> parts{datagram};
  if (io::sendDatagram(socket_, to, parts)) return true;
  sendDrops_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void WebRtcPort::receive() {
  socket_.async_receive_from(boost::asio::buffer(buffer_), sender_,
                             [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                               if (ec == boost::asio::error::operation_aborted) return;
                               if (!ec) self->route({self->buffer_.data(), n});
                               if (self->socket_.is_open()) self->receive();
                             });
}

void WebRtcPort::route(std::span<const std::uint8_t> datagram) {
  Session* session = nullptr;
  if (const auto known = bySource_.find(sender_); known != bySource_.end()) {
    if (const auto it = byUfrag_.find(known->second); it != byUfrag_.end()) session = &it->second;
  } else if (pw::classifyPacket(datagram) == pw::PacketKind::Stun) {
    // A new source: its first check names the session. The session itself verifies the
    // check's integrity; a forged one only maps the forger's own address, which the session
    // never answers with media (it sends only to addresses that passed a check).
    if (auto message = pw::StunMessage::parse(datagram)) {
      if (auto ufrag = pw::IceLite::localUfragOf(*message)) {
        if (const auto it = byUfrag_.find(*ufrag); it != byUfrag_.end()) {
          session = &it->second;
          if (session->sources.size() >= kMaxSourcesPerSession) {
            bySource_.erase(session->sources.front());
            session->sources.erase(session->sources.begin());
          }
          session->sources.push_back(sender_);
          bySource_[sender_] = it->first;
        }
      }
    }
  }
  if (!session) {
    unknownDrops_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  boost::asio::post(*session->loop, [h = session->handler, from = sender_,
                                     data = std::vector<std::uint8_t>(datagram.begin(), datagram.end())]() mutable {
    (*h)(from, std::move(data));
  });
}

}  // namespace ocellus::server::webrtc
