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
#include "base/Metrics.h"
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
// send() and sendTrain() are non-blocking sendmsg calls, safe from any thread.
class WebRtcPort : public std::enable_shared_from_this<WebRtcPort> {
 public:
  using Endpoint = boost::asio::ip::udp::endpoint;
  // Called on the session's loop; the datagram is the handler's to keep.
  using Handler = std::function<void(const Endpoint& from, std::vector<std::uint8_t> datagram)>;
  static constexpr std::size_t kMaxDatagram = 2048;
  // Sources remembered per session (a browser may check from several candidates).
  static constexpr std::size_t kMaxSourcesPerSession = 8;
  static constexpr int kReceiveBuffer = 8 << 20;
  // Datagrams read per wake-up before the loop's other work gets its turn. The port shares a
  // media loop, whose queue holds a fan-out's worth of work when busy; each viewer sends an RTCP
  // report a second and a consent check every few, and a check that waits in a full receive
  // buffer is lost (3000 viewers on a saturated machine lost half with 64 per wake-up).
  static constexpr int kDrainPerWakeup = 1024;

  explicit WebRtcPort(io::IoContext& loop);
  base::Status open(const io::Address& address);
  void close();
  std::uint16_t port() const { return port_; }
  io::IoContext& loop() const { return loop_; }

  // Datagrams for `ufrag` (STUN checks naming it, then anything from the sources that sent
  // them) go to handler on sessionLoop, until remove(ufrag).
  void add(const std::string& ufrag, io::IoContext& sessionLoop, Handler handler);
  void remove(const std::string& ufrag);

  // False when the socket buffer was full or the send failed (counted in /metrics).
  bool send(const Endpoint& to, std::span<const std::uint8_t> datagram);
  // `train` holds datagrams of segmentSize bytes, the last one possibly shorter (at most
  // io::kMaxSegments and io::kMaxSegmentsBytes): sent with one system call by UDP GSO, or one
  // by one once the kernel said the port cannot do GSO. True when every datagram went.
  bool sendTrain(const Endpoint& to, std::span<const std::uint8_t> train, std::size_t segmentSize);

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
  base::Counter& unknownDrops_;
  base::Counter& sendDrops_;
  std::atomic<bool> gso_{true};
  base::Logger log_{"webrtc"};
};

}  // namespace ocellus::server::webrtc
