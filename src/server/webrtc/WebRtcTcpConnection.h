#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/Clock.h"
#include "base/Log.h"
#include "base/Metrics.h"
#include "proto/webrtc/TcpFraming.h"

namespace ocellus::server::webrtc {

// One ICE-TCP connection (RFC 6544, our candidate is passive: the peer connected) once a STUN
// check on it named a session (WebRtcTcpListener binds it): RFC 4571 frames in go to the
// session's transport, packets out are framed into a bounded queue. A viewer whose TCP path
// cannot take the stream loses packets (counted), never memory: when kMaxQueued bytes wait,
// send() drops. The peer must pass a check by checkDeadline (checked()), else the connection
// closes; so does a broken frame, the peer's end or a socket error.
//
// Lives on its session's loop: every member runs there. The transport keeps it while it is one
// of its paths; its own pending reads and writes keep it alive otherwise.
class WebRtcTcpConnection : public std::enable_shared_from_this<WebRtcTcpConnection> {
 public:
  using Endpoint = boost::asio::ip::tcp::endpoint;
  struct Handlers {
    // One frame, valid and writable during the call (SRTP decrypts in place). May send() and
    // close() this connection.
    std::function<void(const std::shared_ptr<WebRtcTcpConnection>&, std::span<std::uint8_t> frame)> onFrame;
    // The connection ended by itself (not by close()); runs once, last.
    std::function<void(const std::shared_ptr<WebRtcTcpConnection>&, const std::string& why)> onClosed;
  };
  // About a second of a 2 Mbit/s stream beyond what the kernel's socket buffer holds.
  static constexpr std::size_t kMaxQueued = 256 * 1024;
  static constexpr std::size_t kReadSize = 4096;

  WebRtcTcpConnection(boost::asio::ip::tcp::socket socket, Endpoint remote, proto::webrtc::TcpFraming framing,
                      std::shared_ptr<const Handlers> handlers, base::SteadyTime checkDeadline, base::Logger log);

  // Hands over `first` (the frame that bound the connection), then any whole frames the framing
  // already holds, then reads.
  void start(std::vector<std::uint8_t> first);
  // A valid ICE check came: the check deadline is met.
  void checked();
  // Frames and queues one packet; false (counted) when the queue is full or the connection closed.
  bool send(std::span<const std::uint8_t> packet);
  void close();

  bool isOpen() const { return !closed_; }
  const Endpoint& remote() const { return remote_; }
  std::uint64_t sendDrops() const { return sendDrops_; }

 private:
  void read();
  void deliver();
  void flush();
  void fail(const std::string& why);

  boost::asio::ip::tcp::socket socket_;
  Endpoint remote_;
  proto::webrtc::TcpFraming framing_;
  std::shared_ptr<const Handlers> handlers_;
  base::Logger log_;
  boost::asio::steady_timer deadline_;
  std::array<std::uint8_t, kReadSize> readBuffer_{};
  std::vector<std::uint8_t> queued_;   // framed packets waiting for the write in flight
  std::vector<std::uint8_t> writing_;  // what the write in flight sends
  bool writeInFlight_ = false;
  bool closed_ = false;
  std::uint64_t sendDrops_ = 0;
  base::Counter& sendDropsTotal_;
};

}  // namespace ocellus::server::webrtc
