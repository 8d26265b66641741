#include "server/rtsp/UdpMediaPort.h"

#include <boost/asio/post.hpp>
#include <sys/socket.h>

namespace ocellus::server::rtsp {

namespace {
base::Status bindSocket(boost::asio::ip::udp::socket& socket, const io::Address& address, std::uint16_t& port) {
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(address.bindHost(), ec);
  if (ec) return base::makeError(base::ErrorCode::InvalidArgument, "bad UDP address " + address.toString());
  const boost::asio::ip::udp::endpoint endpoint(ip, address.port);
  socket.open(endpoint.protocol(), ec);
  if (!ec) socket.set_option(boost::asio::socket_base::reuse_address(true), ec);
  if (!ec) socket.bind(endpoint, ec);
  if (!ec) socket.non_blocking(true, ec);
  if (!ec) socket.set_option(boost::asio::socket_base::send_buffer_size(4 << 20), ec);
  if (ec) {
    return base::makeError(base::ErrorCode::Io, "cannot bind UDP " + address.toString() + ": " + ec.message());
  }
  port = socket.local_endpoint().port();
  return {};
}
}  // namespace

base::Status UdpMediaPort::open(const io::Address& rtp, const io::Address& rtcp) {
  OCELLUS_TRY(bindSocket(rtp_, rtp, rtpPort_));
  OCELLUS_TRY(bindSocket(rtcp_, rtcp, rtcpPort_));
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
  std::array<iovec, 8> iov{};
  if (parts.size() > iov.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    iov[i].iov_base = const_cast<std::uint8_t*>(parts[i].data());
    iov[i].iov_len = parts[i].size();
  }
  msghdr msg{};
  msg.msg_name = const_cast<sockaddr*>(to.data());
  msg.msg_namelen = static_cast<socklen_t>(to.size());
  msg.msg_iov = iov.data();
  msg.msg_iovlen = parts.size();
  auto& socket = channel == Channel::Rtp ? rtp_ : rtcp_;
  if (::sendmsg(socket.native_handle(), &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
    sendDrops_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  return true;
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
