#pragma once

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/Log.h"
#include "proto/webrtc/CertificateFingerprint.h"
#include "proto/webrtc/DtlsCertificate.h"
#include "proto/webrtc/DtlsEndpoint.h"
#include "proto/webrtc/IceLite.h"
#include "proto/webrtc/SrtpSession.h"
#include "rtp/rtcp/RtcpCompound.h"
#include "server/webrtc/WebRtcPort.h"
#include "server/webrtc/WebRtcTcpConnection.h"

namespace ocellus::server::webrtc {

class WebRtcTcpListener;

// The transport of one WebRTC session on the shared port: ICE-lite checks, the DTLS handshake
// (server role) and SRTP both ways; WHEP and WHIP sessions put their media on top of it.
// Datagrams and DTLS are taken only from addresses that passed a connectivity check; media is
// sent to the selected one. A path is a UDP source on the port or, with ICE-TCP, one TCP
// connection (RFC 6544): exactly one is selected, and a nomination on another path moves it.
// On a TCP path, what would be dropped on UDP (garbage, a check that fails authentication)
// closes that connection; the end of the selected connection ends the transport.
//
// One loop, owned by its session. Owner callbacks run on the loop while the session is alive
// (start() is given a weak reference to it); none runs after close(). An owner callback may
// call close() but must not destroy the session: a session ends by leaving its server's table.
class WebRtcTransport final : public proto::webrtc::DtlsEndpoint::Listener {
 public:
  class Owner {
   public:
    virtual ~Owner() = default;
    // DTLS is up and SRTP keyed: media may flow.
    virtual void onTransportConnected() = 0;
    // One RTP packet, already authenticated and decrypted; the span is valid during the call.
    virtual void onTransportRtp(std::span<const std::uint8_t> packet, base::SteadyTime now) = 0;
    // One compound (or reduced-size) RTCP packet, authenticated and decrypted.
    virtual void onTransportRtcp(const rtp::rtcp::RtcpCompound& rtcp, base::SteadyTime now) = 0;
    // Every tickInterval once connected: reports, NACKs.
    virtual void onTransportTick(base::SteadyTime now) = 0;
    // The transport gave up (ICE consent expired, no check at all, DTLS failed or closed).
    virtual void onTransportFailed(const std::string& why) = 0;
  };
  struct Params {
    std::string id;  // for logs
    io::IoContext* loop = nullptr;
    // Not owned: the server's port outlives every use, since sessions touch it only from running
    // loops, which stop before the server goes, and never from their destructors (a session
    // may be destroyed by another loop's shutdown after the port's loop is gone).
    WebRtcPort* port = nullptr;
    WebRtcTcpListener* tcp = nullptr;  // ICE-TCP, when on; the same lifetime as the port
    std::shared_ptr<const proto::webrtc::DtlsCertificate> certificate;
    proto::webrtc::IceCredentials localIce;
    proto::webrtc::IceCredentials remoteIce;
    std::vector<proto::webrtc::CertificateFingerprint> remoteFingerprints;
    std::chrono::milliseconds tickInterval{1000};
    // Connected (ICE nominated, DTLS done) this long after start(), or the transport fails: a
    // peer that leaves during the handshake sends nothing that says so, and ICE consent alone
    // would hold a WHIP publisher's path for 30 s.
    std::chrono::milliseconds connectTimeout{10000};
  };

  WebRtcTransport(Params params, Owner& owner, base::Logger log);
  ~WebRtcTransport() override;

  // Registers with the port and starts the timers. `life` guards every callback that crosses
  // time: nothing runs once it has expired.
  base::Status start(std::weak_ptr<void> life);
  void close();

  bool connected() const { return srtpOut_.has_value() && remote_.has_value(); }
  // One RTP packet to send: header and payload apart, since the stream shares payloads.
  struct RtpParts {
    std::span<const std::uint8_t> header;
    std::span<const std::uint8_t> payload;
  };
  // Protects and sends `packets` in order. On UDP a run of packets of one size (a frame's
  // fragments; the run's last may be shorter) leaves as one GSO train: one system call and one
  // trip through the kernel's stack for a frame, instead of one per packet. Returns the RTP
  // bytes (unprotected) of the packets sent: 0 when not connected, or when protection or the
  // socket failed for all of them.
  std::size_t sendRtp(std::span<const RtpParts> packets);
  // Protects and sends one compound RTCP packet.
  bool sendRtcp(std::span<const std::uint8_t> packet);
  const std::string& remoteAddress() const { return remoteText_; }
  // At most this many TCP connections per session (one per browser candidate); the oldest
  // unselected one goes for a new one.
  static constexpr std::size_t kMaxTcpPaths = 4;

  // DtlsEndpoint::Listener
  void onDtlsSend(proto::webrtc::DtlsEndpoint& endpoint, std::span<const std::uint8_t> datagram) override;
  void onDtlsConnected(proto::webrtc::DtlsEndpoint& endpoint, const proto::webrtc::DtlsSrtpKeys& keys) override;
  void onDtlsFailed(proto::webrtc::DtlsEndpoint& endpoint, const base::Error& error) override;
  void onDtlsClosed(proto::webrtc::DtlsEndpoint& endpoint) override;

 private:
  // Where a packet came from and where an answer goes: a UDP source, or one TCP connection.
  struct Path {
    WebRtcPort::Endpoint udp;
    std::shared_ptr<WebRtcTcpConnection> tcp;  // null: UDP
    bool operator==(const Path& o) const { return tcp ? tcp == o.tcp : !o.tcp && udp == o.udp; }
    proto::webrtc::TransportAddress address() const;  // the peer's
  };
  void onPacket(const Path& from, std::span<std::uint8_t> data);
  void onTcpFrame(const std::shared_ptr<WebRtcTcpConnection>& connection, std::span<std::uint8_t> frame);
  void onTcpClosed(const std::shared_ptr<WebRtcTcpConnection>& connection, const std::string& why);
  void dropTcp(const std::shared_ptr<WebRtcTcpConnection>& connection, const std::string& why);
  bool send(const Path& to, std::span<const std::uint8_t> packet);
  void fail(const std::string& why);
  void select(const Path& to);  // media goes there from now on
  void peerFinished();          // an SRTP or SRTCP packet from the peer authenticated
  void schedule();
  void onTimer();

  Params p_;
  Owner& owner_;
  base::Logger log_;
  std::weak_ptr<void> life_;
  proto::webrtc::IceLite ice_;
  std::unique_ptr<proto::webrtc::DtlsEndpoint> dtls_;
  std::optional<proto::webrtc::SrtpSession> srtpOut_;
  std::optional<proto::webrtc::SrtpSession> srtpIn_;
  std::optional<Path> remote_;    // the selected path
  std::optional<Path> dtlsFrom_;  // where the DTLS handshake talks
  std::vector<std::shared_ptr<WebRtcTcpConnection>> tcpPaths_;  // oldest first
  std::string remoteText_;
  boost::asio::steady_timer timer_;
  base::SteadyTime nextTick_{};
  base::SteadyTime connectDeadline_{};
  bool closed_ = false;
};

}  // namespace ocellus::server::webrtc
