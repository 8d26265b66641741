#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "base/Log.h"
#include "base/Metrics.h"
#include "base/Result.h"
#include "io/Address.h"
#include "io/IoContextPool.h"
#include "server/webrtc/WebRtcTcpConnection.h"

namespace ocellus::server::webrtc {

// The passive ICE-TCP listener (RFC 6544; webrtc.ice_tcp) on the UDP port's number, for viewers
// whose network blocks UDP. A connection is unbound until its first RFC 4571 frame, which must
// be a STUN check whose USERNAME names a session by our ufrag (the lookup of WebRtcPort); the
// connection then moves to that session's loop as a WebRtcTcpConnection and the session's
// handlers get its frames, that check first. A broken first frame, one that is not such a
// check, an unknown ufrag or no frame within kCheckTimeout close it; at most kMaxUnbound wait
// at once and further ones are closed as they come.
//
// Threading: the acceptor and unbound connections belong to the listener's loop. add() and
// remove() take effect at once from any thread (a mutex guards the table, as on the port).
class WebRtcTcpListener : public std::enable_shared_from_this<WebRtcTcpListener> {
 public:
  static constexpr std::size_t kMaxUnbound = 64;
  // For the first frame, and (WebRtcTcpConnection::checked) for the first valid check.
  static constexpr std::chrono::seconds kCheckTimeout{5};

  explicit WebRtcTcpListener(io::IoContext& loop);
  base::Status open(const io::Address& address);
  void close();
  std::uint16_t port() const { return port_; }

  // Connections whose first check names `ufrag` move to sessionLoop and go to handlers, until
  // remove(ufrag).
  void add(const std::string& ufrag, io::IoContext& sessionLoop, WebRtcTcpConnection::Handlers handlers);
  void remove(const std::string& ufrag);

 private:
  struct Unbound;
  struct Session {
    io::IoContext* loop;
    std::shared_ptr<const WebRtcTcpConnection::Handlers> handlers;
  };
  void accept();
  void read(const std::shared_ptr<Unbound>& u);
  void bind(const std::shared_ptr<Unbound>& u, std::span<const std::uint8_t> first);
  void drop(const std::shared_ptr<Unbound>& u, std::string_view why);

  io::IoContext& loop_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::set<std::shared_ptr<Unbound>> unbound_;  // the listener's loop only
  std::mutex mutex_;                            // guards byUfrag_; never held while posting
  std::map<std::string, Session, std::less<>> byUfrag_;
  base::Counter& accepted_;
  base::Counter& refused_;
  base::Logger log_{"webrtc"};
};

}  // namespace ocellus::server::webrtc
