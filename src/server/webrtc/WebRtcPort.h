#pragma once

#include <boost/asio/ip/udp.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "base/Log.h"
#include "base/Result.h"
#include "io/Address.h"
#include "io/IoContextPool.h"

namespace ocellus::server::webrtc {

// The one UDP port every WebRTC session shares (webrtc.udp_address, DESIGN §4): datagrams
// are demultiplexed by source address, and a source not seen before is matched by the ICE
// ufrag in the USERNAME of its STUN check (RFC 8445 §7.2.2: "<our ufrag>:<peer ufrag>"). Any
// other datagram from an unknown source (DTLS, SRTP, garbage) is dropped and counted.
//
// Threading: the socket belongs to the port's loop. Sessions live on their own loops: their
// datagrams are posted there. add() and remove() take effect at once from any thread (a mutex
// guards the tables; a session's first check may arrive right after its answer went out);
// send() is one non-blocking sendmsg, safe from any thread.
class WebRtcPort : public std::enable_shared_from_this<WebRtcPort> {
 public:
  using Endpoint = boost::asio::ip::udp::endpoint;
  // Called on the session's loop; the datagram is the handler's to keep.
  using Handler = std::function<void(const Endpoint& from, std::vector<std::uint8_t> datagram)>;
  static constexpr std::size_t kMaxDatagram = 2048;
  // Sources remembered per session (a browser may check from several candidates).
  static constexpr std::size_t kMaxSourcesPerSession = 8;
  static constexpr int kReceiveBuffer = 8 << 20;
  static constexpr int kDrainPerWakeup = 64;

  explicit WebRtcPort(io::IoContext& loop);
  base::Status open(const io::Address& address);
  void close();
  std::uint16_t port() const { return port_; }
  io::IoContext& loop() const { return loop_; }

  // Datagrams for `ufrag` (STUN checks naming it, then anything from the sources that sent
  // them) go to handler on sessionLoop, until remove(ufrag).
  void add(const std::string& ufrag, io::IoContext& sessionLoop, Handler handler);
  void remove(const std::string& ufrag);

  bool send(const Endpoint& to, std::span<const std::uint8_t> datagram);

  std::uint64_t unknownDrops() const { return unknownDrops_.load(std::memory_order_relaxed); }
  std::uint64_t sendDrops() const { return sendDrops_.load(std::memory_order_relaxed); }

 private:
  struct Session {
    io::IoContext* loop;
    std::shared_ptr<Handler> handler;
    std::vector<Endpoint> sources;
  };
  void receive();
  void route(std::span<const std::uint8_t> datagram);

  io::IoContext& loop_;
  boost::asio::ip::udp::socket socket_;
  std::uint16_t port_ = 0;
  std::array<std::uint8_t, kMaxDatagram> buffer_{};
  Endpoint sender_;
  std::mutex mutex_;  // guards the tables; held to look up, never while posting
  std::map<std::string, Session, std::less<>> byUfrag_;
  std::map<Endpoint, std::string> bySource_;  // source → ufrag
  std::atomic<std::uint64_t> unknownDrops_{0};
  std::atomic<std::uint64_t> sendDrops_{0};
  base::Logger log_{"webrtc"};
};

}  // namespace ocellus::server::webrtc
