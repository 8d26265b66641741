#pragma once

#include <boost/asio/ip/udp.hpp>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "base/Result.h"
#include "io/Address.h"
#include "io/IoContextPool.h"

namespace ocellus::server::rtsp {

// The RTSP server's UDP side (RFC 2326 §12.39 server_port): one RTP and one RTCP socket shared
// by every UDP session, owned by one loop.
//
// Sending is allowed from any loop: it is a non-blocking sendmsg on the socket's descriptor
// (one system call, safe concurrently); a full socket buffer drops the datagram and counts it.
// Receiving runs on the owning loop and hands each datagram to the handler registered for its
// source address, posted to that handler's loop. Registration is posted to the owning loop,
// so the lookup table is touched by that loop only.
class UdpMediaPort : public std::enable_shared_from_this<UdpMediaPort> {
 public:
  enum class Channel { Rtp = 0, Rtcp = 1 };
  // Called on the registering loop with a datagram valid only during the call.
  using Handler = std::function<void(Channel, std::span<const std::uint8_t>)>;
  using Endpoint = boost::asio::ip::udp::endpoint;

  static constexpr std::size_t kMaxDatagram = 2048;

  explicit UdpMediaPort(io::IoContext& loop) : loop_(loop), rtp_(loop), rtcp_(loop) {}

  base::Status open(const io::Address& rtp, const io::Address& rtcp);
  void close();

  std::uint16_t rtpPort() const { return rtpPort_; }
  std::uint16_t rtcpPort() const { return rtcpPort_; }

  // Sends the concatenation of `parts` as one datagram to `to`. Any thread.
  bool send(Channel channel, const Endpoint& to, std::span<const std::span<const std::uint8_t>> parts);

  // Datagrams from `from` (either channel) go to `handler` on `handlerLoop`. Replaces any
  // previous handler for that address; `key` identifies the registration for unsubscribe.
  void subscribe(const Endpoint& from, io::IoContext& handlerLoop, const void* key, Handler handler);
  void unsubscribe(const Endpoint& from, const void* key);

  std::uint64_t sendDrops() const { return sendDrops_.load(std::memory_order_relaxed); }

 private:
  struct Subscription {
    io::IoContext* loop;
    const void* key;
    std::shared_ptr<Handler> handler;
  };
  void receive(Channel channel);

  io::IoContext& loop_;
  boost::asio::ip::udp::socket rtp_;
  boost::asio::ip::udp::socket rtcp_;
  std::uint16_t rtpPort_ = 0;
  std::uint16_t rtcpPort_ = 0;
  std::array<std::array<std::uint8_t, kMaxDatagram>, 2> buffers_{};
  std::array<Endpoint, 2> senders_;
  // Keyed by the peer's address and port; both of a peer's ports map to its subscription.
  std::map<Endpoint, Subscription> subscriptions_;  // owning loop only
  std::atomic<std::uint64_t> sendDrops_{0};
};

}  // namespace ocellus::server::rtsp
