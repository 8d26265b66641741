#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include "base/Clock.h"
#include "codec/h264/ParameterSetCache.h"
#include "codec/h265/ParameterSetCache.h"
#include "media/TrackInfo.h"
#include "media/Unit.h"
#include "rtp/Payloader.h"
#include "rtp/ReorderBuffer.h"
#include "rtp/RtpPacket.h"

namespace ocellus::bridge {

// Wire → Unit for one RTP track (an RTSP publisher's or a pulled camera's): parses packets,
// restores order (UDP), reassembles access units, completes keyframes with the parameter sets
// the camera sent only once (in SDP or in-band), and turns RTP timestamps into monotonic pts.
// A malformed packet is dropped and counted; it never ends the session. One loop only.
class RtpTrackReceiver {
 public:
  using Publish = std::function<void(media::MutableUnitPtr)>;

  // `reorder`: packets may arrive out of order (UDP). `ptsBase`: pts of the first unit, so a
  // reconnecting source continues its timeline.
  RtpTrackReceiver(media::TrackInfo track, std::uint32_t index, bool reorder, std::int64_t ptsBase = 0);

  // Feeds one RTP packet; completed units go to `publish`.
  void push(std::span<const std::uint8_t> packet, base::SteadyTime received, const Publish& publish);

  const media::TrackInfo& track() const { return track_; }
  // True once after in-band parameter sets changed the track description.
  bool takeTrackChange() { return std::exchange(trackChanged_, false); }
  // pts the next unit would get if the stream continued without a gap (for reconnects).
  std::int64_t nextPts() const { return lastPts_ + frameStep(); }

  std::uint64_t packets() const { return packets_; }
  std::uint64_t malformed() const { return malformed_; }
  std::uint64_t lostPackets() const { return reorder_ ? reorder_->lost() : 0; }

 private:
  void process(const rtp::RtpPacket& packet, base::SteadyTime received, const Publish& publish);
  void onUnit(const rtp::DepacketizedUnit& du, base::SteadyTime received, const Publish& publish);
  std::int64_t frameStep() const { return track_.clockRate / 30; }

  media::TrackInfo track_;
  std::uint32_t index_;
  std::unique_ptr<rtp::Depacketizer> depacketizer_;
  std::optional<rtp::ReorderBuffer> reorder_;
  std::variant<std::monostate, codec::h264::ParameterSetCache, codec::h265::ParameterSetCache> params_;
  bool trackChanged_ = false;

  std::int64_t ptsBase_;
  bool started_ = false;
  std::int64_t firstExtended_ = 0;
  std::int64_t lastExtended_ = 0;
  std::int64_t lastPts_ = 0;
  std::int64_t jumpOffset_ = 0;

  std::uint64_t packets_ = 0;
  std::uint64_t malformed_ = 0;
};

}  // namespace ocellus::bridge
