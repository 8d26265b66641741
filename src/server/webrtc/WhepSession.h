#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/Log.h"
#include "bridge/RtpTrackSender.h"
#include "media/Reader.h"
#include "media/Stream.h"
#include "rtp/RetransmissionBuffer.h"
#include "server/webrtc/Session.h"
#include "server/webrtc/WebRtcTransport.h"

namespace ocellus::server::webrtc {

// One WHEP viewer: once the transport is up it joins the stream as a reader (so its first
// packets are the GOP cache's keyframe) and sends the stream's shared RTP packets with only its
// own 12-byte header (DESIGN §3: SSRC, sequence, timestamp per viewer), answering NACKs from a
// per-viewer history of references to the shared units (no copies) and sending SR + SDES.
//
// Lives on its loop: every member function runs there. Ends on close(), a transport failure or
// the stream's end; then onClosed runs once.
class WhepSession final : public Session,
                          public media::Reader,
                          public WebRtcTransport::Owner,
                          public std::enable_shared_from_this<WhepSession> {
 public:
  // One negotiated sending section: the stream track it carries and its header writer.
  struct Track {
    std::size_t streamTrack = 0;
    bool nack = false;
    std::unique_ptr<bridge::RtpTrackSender> sender;
  };
  struct Params {
    WebRtcTransport::Params transport;
    std::shared_ptr<media::Stream> stream;
    std::vector<Track> tracks;
    std::string cname;
    std::function<void(const std::string& id)> onClosed;
  };

  explicit WhepSession(Params params);
  ~WhepSession() override;

  base::Status start() override;
  void close(const std::string& why) override;

  // media::Reader
  void onUnit(const media::UnitPtr& unit) override;
  void onStreamEnd() override;

  // WebRtcTransport::Owner
  void onTransportConnected() override;
  void onTransportRtp(std::span<const std::uint8_t> packet, base::SteadyTime now) override;
  void onTransportRtcp(const rtp::rtcp::RtcpCompound& rtcp, base::SteadyTime now) override;
  void onTransportTick(base::SteadyTime now) override;
  void onTransportFailed(const std::string& why) override;

 private:
  // What a NACK needs to send a packet again: the unit holding its payload and its header.
  struct Sent {
    media::UnitPtr unit;
    std::uint16_t payload = 0;
    std::array<std::uint8_t, 12> header{};
  };
  static constexpr std::size_t kHistoryPackets = 1024;
  static constexpr std::chrono::milliseconds kHistoryAge{1000};

  std::string id_;
  io::IoContext& loop_;
  std::shared_ptr<media::Stream> stream_;
  std::vector<Track> tracks_;
  std::string cname_;
  std::function<void(const std::string&)> onClosed_;
  base::Logger log_;
  WebRtcTransport transport_;
  std::vector<rtp::RetransmissionBuffer<Sent>> history_;  // one per track
  std::vector<std::uint8_t> headers_;
  bool reading_ = false;
  bool closed_ = false;
  std::uint64_t retransmitted_ = 0;
  std::uint64_t keyframeRequests_ = 0;
};

}  // namespace ocellus::server::webrtc
