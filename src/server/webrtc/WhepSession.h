#pragma once

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
// own 12-byte header (DESIGN §3: SSRC, sequence, timestamp per viewer), answering NACKs from the
// shared units themselves — per viewer only a small map from its sequence numbers to the units
// of the last second — and sending SR + SDES.
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
  // NACKs are answered for what was sent in the last second: up to 64 units per track, a
  // second of 60 fps video or of 20 ms audio frames; the header is rebuilt by the track's sender.
  static constexpr std::size_t kHistoryUnits = 64;
  static constexpr std::chrono::milliseconds kHistoryAge{1000};

  std::string id_;
  io::IoContext& loop_;
  std::shared_ptr<media::Stream> stream_;
  std::vector<Track> tracks_;
  std::string cname_;
  std::function<void(const std::string&)> onClosed_;
  base::Logger log_;
  WebRtcTransport transport_;
  std::vector<rtp::RetransmissionBuffer<media::UnitPtr>> history_;  // one per track
  bool reading_ = false;
  bool closed_ = false;
  std::uint64_t retransmitted_ = 0;
  std::uint64_t keyframeRequests_ = 0;
};

}  // namespace ocellus::server::webrtc
