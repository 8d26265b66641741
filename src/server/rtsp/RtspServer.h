#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "base/Histogram.h"
#include "base/Log.h"
#include "base/Metrics.h"
#include "base/Result.h"
#include "io/Address.h"
#include "io/IoContextPool.h"
#include "media/AccessControl.h"
#include "media/StreamRegistry.h"
#include "proto/rtsp/ServerAuth.h"
#include "server/ConnectionSet.h"
#include "server/rtsp/UdpMediaPort.h"

namespace ocellus::server::rtsp {

class RtspConnection;

// RTSP 1.0 server (RFC 2326): read with DESCRIBE/SETUP/PLAY, publish with ANNOUNCE/SETUP/
// RECORD, over TCP interleaved or UDP unicast. Connections are spread over the loops and stay
// on theirs; the server only accepts and keeps the list for shutdown.
class RtspServer {
 public:
  struct Options {
    io::Address address{"", 8554};
    io::Address udpRtpAddress{"", 8000};
    io::Address udpRtcpAddress{"", 8001};
    bool udp = true;
    bool tcp = true;
    std::chrono::seconds sessionTimeout{60};
    std::chrono::seconds onDemandStartTimeout{10};
  };

  // What connections share. Lives as long as the server; members are safe from any loop.
  struct Context {
    Context(Options o, media::StreamRegistry& r, std::shared_ptr<const media::AccessControl> a);

    const Options options;
    media::StreamRegistry& registry;
    std::shared_ptr<UdpMediaPort> udp;  // null when UDP is off; set before the first accept
    const proto::rtsp::ServerAuth auth; // challenges and checks credentials (stateless nonces)
    const base::Logger log{"rtsp"};
    base::Counter& connections;
    base::Counter& badRequests;
    base::Counter& authFailures;
    base::Counter& droppedUnits;
    base::Histogram relayLatency;  // unit received → handed to a reader's socket

    std::shared_ptr<const media::AccessControl> access() const { return std::atomic_load(&access_); }
    void setAccess(std::shared_ptr<const media::AccessControl> a) { std::atomic_store(&access_, std::move(a)); }

   private:
    std::shared_ptr<const media::AccessControl> access_;
  };

  RtspServer(io::IoContextPool& loops, media::StreamRegistry& registry,
             std::shared_ptr<const media::AccessControl> access, Options options);
  ~RtspServer();

  base::Status start();
  // Closes the listener and every connection; returns when they are closed or after 1 s.
  void stop();
  void setAccessControl(std::shared_ptr<const media::AccessControl> access) { context_->setAccess(std::move(access)); }

  std::uint16_t port() const { return port_; }
  // Open RTSP connections; any thread.
  std::size_t sessionCount() const;

 private:
  void accept();
  void reportLatency();

  io::IoContextPool& loops_;
  std::shared_ptr<Context> context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer statsTimer_;
  std::uint16_t port_ = 0;
  ConnectionSet<RtspConnection> connections_;
};

}  // namespace ocellus::server::rtsp
