#pragma once

#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Log.h"
#include "bridge/RtpTrackSender.h"
#include "media/Reader.h"
#include "media/Stream.h"
#include "proto/webrtc/DtlsCertificate.h"
#include "proto/webrtc/DtlsEndpoint.h"
#include "proto/webrtc/IceLite.h"
#include "proto/webrtc/NegotiatedSession.h"
#include "proto/webrtc/SrtpSession.h"
#include "rtp/RetransmissionBuffer.h"
#include "server/webrtc/WebRtcPort.h"

namespace ocellus::server::webrtc {

// One WHEP viewer (RFC 9725-style playback): ICE-lite checks, the DTLS handshake, then the
// stream's shared RTP packets with this viewer's SSRC, sequence and timestamp (DESIGN §3:
// only the 12-byte header is per viewer), protected with SRTP and sent from the shared port.
// Answers NACKs from a per-viewer history that holds references to the shared units (no
// copies), and sends Sender Reports once a second.
//
// Lives on its loop: every member function runs there (start() included). Joins the stream
// as a reader once DTLS is up, so its first packets are the GOP cache's keyframe. Ends on
// close(), ICE failure (consent expired), DTLS failure or close, or the stream's end; then
// `onClosed` runs once (on the loop).
class WhepSession final : public media::Reader,
                          public proto::webrtc::DtlsEndpoint::Listener,
                          public std::enable_shared_from_this<WhepSession> {
 public:
  // One negotiated sending section: the stream track it carries and its header writer.
  struct Track {
    std::size_t streamTrack = 0;
    std::uint8_t payloadType = 0;
    bool nack = false;
    std::unique_ptr<bridge::RtpTrackSender> sender;
  };
  struct Params {
    std::string id;
    io::IoContext* loop = nullptr;
    std::shared_ptr<WebRtcPort> port;
    std::shared_ptr<const proto::webrtc::DtlsCertificate> certificate;
    std::shared_ptr<media::Stream> stream;
    proto::webrtc::IceCredentials localIce;
    proto::webrtc::NegotiatedSession negotiated;
    std::vector<Track> tracks;
    std::string cname;
    std::function<void(const std::string& id)> onClosed;
  };

  explicit WhepSession(Params params);
  ~WhepSession() override;

  base::Status start();
  void close(const std::string& why);
  const std::string& id() const { return p_.id; }
  io::IoContext* loop() const { return p_.loop; }
  const std::string& answerSdp() const { return p_.negotiated.answer; }

  // media::Reader
  void onUnit(const media::UnitPtr& unit) override;
  void onStreamEnd() override;

  // DtlsEndpoint::Listener
  void onDtlsSend(proto::webrtc::DtlsEndpoint& endpoint, std::span<const std::uint8_t> datagram) override;
  void onDtlsConnected(proto::webrtc::DtlsEndpoint& endpoint, const proto::webrtc::DtlsSrtpKeys& keys) override;
  void onDtlsFailed(proto::webrtc::DtlsEndpoint& endpoint, const base::Error& error) override;
  void onDtlsClosed(proto::webrtc::DtlsEndpoint& endpoint) override;

 private:
  // What a NACK needs to send a packet again: the unit holding its payload and its header.
  struct Sent {
    media::UnitPtr unit;
    std::uint16_t payload = 0;
    std::array<std::uint8_t, 12> header{};
  };
  static constexpr std::size_t kHistoryPackets = 1024;
  static constexpr std::chrono::milliseconds kHistoryAge{1000};
  static constexpr std::chrono::seconds kReportInterval{1};

  void onDatagram(const WebRtcPort::Endpoint& from, std::vector<std::uint8_t> datagram);
  void onRtcp(std::vector<std::uint8_t> packet);
  bool sendRtp(Track& track, std::span<const std::uint8_t> header, std::span<const std::uint8_t> payload);
  void sendReports();
  void schedule();
  void onTimer();

  Params p_;
  base::Logger log_;
  proto::webrtc::IceLite ice_;
  std::unique_ptr<proto::webrtc::DtlsEndpoint> dtls_;
  std::optional<proto::webrtc::SrtpSession> srtpOut_;
  std::optional<proto::webrtc::SrtpSession> srtpIn_;
  std::optional<WebRtcPort::Endpoint> remote_;   // the selected address
  std::optional<WebRtcPort::Endpoint> dtlsFrom_;  // where the DTLS handshake talks
  std::vector<rtp::RetransmissionBuffer<Sent>> history_;  // one per track
  std::vector<std::uint8_t> headers_;
  std::vector<std::uint8_t> packet_;
  boost::asio::steady_timer timer_;
  base::SteadyTime nextReport_{};
  bool reading_ = false;
  bool closed_ = false;
  std::uint64_t retransmitted_ = 0;
  std::uint64_t keyframeRequests_ = 0;
};

}  // namespace ocellus::server::webrtc
