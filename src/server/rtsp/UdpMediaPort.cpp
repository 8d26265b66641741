#include "server/rtsp/UdpMediaPort.h"

#include <boost/asio/post.hpp>

#include "io/Udp.h"

namespace ocellus::server::rtsp {

base::Status UdpMediaPort::open(const io::Address& rtp, const io::Address& rtcp) {
  auto rtpPort = io::bindUdp(rtp_, rtp);
  if (!rtpPort) return rtpPort.error();
  auto rtcpPort = io::bindUdp(rtcp_, rtcp);
  if (!rtcpPort) return rtcpPort.error();
  rtpPort_ = *rtpPort;
  rtcpPort_ = *rtcpPort;
  boost::asio::post(loop_, [self = shared_from_this()] {
    self->receive(Channel::Rtp);
    self->receive(Channel::Rtcp);
  });
  return {};
}

void UdpMediaPort::close() {
  boost::asio::post(loop_, [self = shared_from_this()] {
    boost::system::error_code ec;
    self->rtp_.close(ec);
    self->rtcp_.close(ec);
    self->subscriptions_.clear();
  });
}

bool UdpMediaPort::send(Channel channel, const Endpoint& to, std::span<const std::span<const std::uint8_t>> parts) {
  if (io::sendDatagram(channel == Channel::Rtp ? rtp_ : rtcp_, to, parts)) return true;
  sendDrops_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void UdpMediaPort::subscribe(const Endpoint& from, io::IoContext& handlerLoop, const void* key, Handler handler) {
  boost::asio::post(loop_, [self = shared_from_this(), from, loop = &handlerLoop, key,
                            h = std::make_shared<Handler>(std::move(handler))] {
    self->subscriptions_[from] = Subscription{loop, key, h};
  });
}

void UdpMediaPort::unsubscribe(const Endpoint& from, const void* key) {
  boost::asio::post(loop_, [self = shared_from_this(), from, key] {
    auto it = self->subscriptions_.find(from);
    if (it != self->subscriptions_.end() && it->second.key == key) self->subscriptions_.erase(it);
  });
}

void UdpMediaPort::receive(Channel channel) {
  const auto i = static_cast<std::size_t>(channel);
  auto& socket = channel == Channel::Rtp ? rtp_ : rtcp_;
  socket.async_receive_from(
      boost::asio::buffer(buffers_[i]), senders_[i],
      [self = shared_from_this(), channel, i](const boost::system::error_code& ec, std::size_t n) {
        if (ec == boost::asio::error::operation_aborted) return;
        if (!ec) {
          auto it = self->subscriptions_.find(self->senders_[i]);
          if (it != self->subscriptions_.end()) {
            const auto& sub = it->second;
            if (sub.loop == &self->loop_) {
              (*sub.handler)(channel, std::span<const std::uint8_t>(self->buffers_[i].data(), n));
            } else {
              boost::asio::post(*sub.loop, [h = sub.handler, channel,
                                            data = std::vector<std::uint8_t>(self->buffers_[i].begin(),
                                                                             self->buffers_[i].begin() + n)] {
                (*h)(channel, data);
              });
            }
          }
        }
        auto& s = channel == Channel::Rtp ? self->rtp_ : self->rtcp_;
        if (s.is_open()) self->receive(channel);
      });
}

}  // namespace ocellus::server::rtsp
