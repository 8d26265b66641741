#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/Log.h"
#include "base/Metrics.h"
#include "base/Result.h"
#include "io/Address.h"
#include "io/IoContextPool.h"
#include "media/AccessControl.h"
#include "media/StreamRegistry.h"
#include "server/ConnectionSet.h"

namespace ocellus::server::rtmp {

class RtmpConnection;

// RTMP server (Adobe RTMP 1.0, Enhanced RTMP for H.265), plain on one port and RTMPS (TLS) on
// another: encoders publish, players play. Connections are spread over the loops and stay on
// theirs; the server only accepts and keeps the list for shutdown and key revocation.
//
// Paths: rtmp://HOST/live/{stream_key} is the camera whose stream key it is; any other
// rtmp://HOST/{app}/{name} is the path "{app}/{name}" (rtmp://HOST/{name}: "{name}"), checked
// with media::AccessControl like RTSP (credentials from ?user=&pass= or ?token=).
class RtmpServer {
 public:
  // The camera path ("cameras/<id>") whose stream key this is, nullopt for a wrong or revoked
  // key. Called from any loop concurrently: must be thread-safe and quick (no I/O).
  using StreamKeyLookup = std::function<std::optional<std::string>(std::string_view key)>;

  struct Options {
    io::Address address{"", 1935};
    std::optional<io::Address> tlsAddress;  // RTMPS when set, with the two files below
    std::string tlsCertificate;
    std::string tlsKey;
    std::chrono::seconds handshakeTimeout{10};   // until connect is answered (TLS included)
    std::chrono::seconds idleTimeout{30};        // a publisher that sends nothing, a client that does nothing
    std::chrono::seconds onDemandStartTimeout{10};  // a player waits this long for its path
    std::chrono::milliseconds tracksWait{1500};  // a publisher's missing audio/video config
    StreamKeyLookup streamKeys;                  // none: /live/{key} is an ordinary path
  };

  // What connections share. Lives as long as the server; members are safe from any loop.
  struct Context {
    Context(Options o, media::StreamRegistry& r, std::shared_ptr<const media::AccessControl> a);

    const Options options;
    media::StreamRegistry& registry;
    std::shared_ptr<boost::asio::ssl::context> tls;  // set before the first TLS accept
    const base::Logger log{"rtmp"};
    base::Counter& connections;
    base::Counter& badRequests;
    base::Counter& authFailures;
    base::Counter& droppedUnits;
    base::Counter& droppedMessages;

    std::shared_ptr<const media::AccessControl> access() const { return std::atomic_load(&access_); }
    void setAccess(std::shared_ptr<const media::AccessControl> a) { std::atomic_store(&access_, std::move(a)); }

   private:
    std::shared_ptr<const media::AccessControl> access_;
  };

  RtmpServer(io::IoContextPool& loops, media::StreamRegistry& registry,
             std::shared_ptr<const media::AccessControl> access, Options options);
  ~RtmpServer();

  base::Status start();
  // Closes the listeners and every connection; returns when they are closed or after 1 s.
  void stop();
  void setAccessControl(std::shared_ptr<const media::AccessControl> access) { context_->setAccess(std::move(access)); }
  // Disconnects whoever publishes `path` with a stream key (the key was rotated). Any thread.
  void dropKeyPublishers(const std::string& path);

  std::uint16_t port() const { return port_; }
  std::uint16_t tlsPort() const { return tlsPort_; }
  // Open RTMP(S) connections; any thread.
  std::size_t sessionCount() const;

 private:
  void accept(boost::asio::ip::tcp::acceptor& acceptor, bool tls);

  io::IoContextPool& loops_;
  std::shared_ptr<Context> context_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::acceptor tlsAcceptor_;
  std::uint16_t port_ = 0;
  std::uint16_t tlsPort_ = 0;
  ConnectionSet<RtmpConnection> connections_;
};

}  // namespace ocellus::server::rtmp
