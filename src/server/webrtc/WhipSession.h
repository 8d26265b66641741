#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Log.h"
#include "bridge/RtpTrackReceiver.h"
#include "media/StreamRegistry.h"
#include "rtp/KeyframeScheduler.h"
#include "rtp/NackGenerator.h"
#include "rtp/ReceiverStatistics.h"
#include "server/webrtc/Session.h"
#include "server/webrtc/WebRtcTransport.h"

namespace ocellus::server::webrtc {

// One WHIP publisher: the browser's (or encoder's) RTP, once authenticated and decrypted,
// becomes a stream every reader can read (RTSP, WHEP, …). Packets go through the same wire →
// Unit path as an RTSP publisher's (bridge::RtpTrackReceiver, reordering on). Back to the
// publisher: Receiver Reports, NACKs for what went missing (rtp::NackGenerator) and a PLI when
// a loss cannot be repaired, at the start, and when no keyframe came for kMaxKeyframeInterval
// (a browser sends one only when asked; late viewers, HLS and recording need them).
//
// The stream is published when the session is made (WHIP POST), so a second publisher of the
// same path is refused at once; it is unpublished when the session ends. Lives on its loop.
class WhipSession final : public Session,
                          public WebRtcTransport::Owner,
                          public std::enable_shared_from_this<WhipSession> {
 public:
  // One negotiated receiving section.
  struct Track {
    media::TrackInfo info;
    std::uint8_t payloadType = 0;
    std::optional<std::uint32_t> ssrc;  // announced in the offer (a=ssrc), else learned
    bool nack = false;
  };
  struct Params {
    WebRtcTransport::Params transport;
    std::shared_ptr<media::Stream> stream;  // published, with one track per Track, in order
    media::StreamRegistry* registry = nullptr;
    std::vector<Track> tracks;
    std::function<void(const std::string& id)> onClosed;
  };
  static constexpr std::chrono::milliseconds kTick{20};  // NACK timer; reports every 50 ticks
  static constexpr std::chrono::milliseconds kMaxKeyframeInterval{2000};

  explicit WhipSession(Params params);
  ~WhipSession() override;

  base::Status start() override;
  void close(const std::string& why) override;

  // WebRtcTransport::Owner
  void onTransportConnected() override;
  void onTransportRtp(std::span<const std::uint8_t> packet, base::SteadyTime now) override;
  void onTransportRtcp(const rtp::rtcp::RtcpCompound& rtcp, base::SteadyTime now) override;
  void onTransportTick(base::SteadyTime now) override;
  void onTransportFailed(const std::string& why) override;

 private:
  struct Receiving {
    Track track;
    bridge::RtpTrackReceiver receiver;
    std::optional<rtp::ReceiverStatistics> stats;
    rtp::NackGenerator nacks{rtp::NackGenerator::Config{}};
    rtp::KeyframeScheduler keyframes{kMaxKeyframeInterval};  // video only
  };
  void sendPli(std::uint32_t mediaSsrc);

  std::string id_;
  std::shared_ptr<media::Stream> stream_;
  media::StreamRegistry* registry_;
  std::function<void(const std::string&)> onClosed_;
  base::Logger log_;
  WebRtcTransport transport_;
  std::vector<Receiving> tracks_;
  std::uint32_t ssrc_;  // ours, as the sender of RTCP
  unsigned ticks_ = 0;
  bool closed_ = false;
};

}  // namespace ocellus::server::webrtc
