#include "bridge/RtpTrackReceiver.h"

#include "base/SeqNum.h"
#include "bridge/VideoSize.h"
#include "codec/AnnexB.h"
#include "codec/NalUnits.h"
#include "codec/h264/Nal.h"
#include "codec/h265/Nal.h"
#include "rtp/RtpPacket.h"

namespace ocellus::bridge {
namespace {

// A timestamp step larger than this (either way) is a camera's clock jump, not time passing.
constexpr std::int64_t kMaxStepSeconds = 10;

}  // namespace

RtpTrackReceiver::RtpTrackReceiver(media::TrackInfo track, std::uint32_t index, bool reorder, std::int64_t ptsBase)
    : track_(std::move(track)), index_(index), ptsBase_(ptsBase) {
  depacketizer_ = rtp::makeDepacketizer(rtp::PayloadParams{
      .codec = track_.codec, .clockRate = track_.clockRate, .packetizationMode = track_.packetizationMode});
  if (reorder) reorder_.emplace();
  // Seed the parameter-set cache with what the SDP said.
  std::vector<std::uint8_t> known;
  for (const auto* nal : {&track_.vps, &track_.sps, &track_.pps}) {
    if (!nal->empty()) codec::appendNal(*nal, known);
  }
  if (track_.codec == codec::CodecId::H264) {
    params_.emplace<codec::h264::ParameterSetCache>().observe(known);
  } else if (track_.codec == codec::CodecId::H265) {
    params_.emplace<codec::h265::ParameterSetCache>().observe(known);
  }
  applySps(track_);
}

void RtpTrackReceiver::push(std::span<const std::uint8_t> packet, base::SteadyTime received, const Publish& publish) {
  auto parsed = rtp::RtpPacket::parse(packet);
  if (!parsed) {
    ++malformed_;
    return;
  }
  ++packets_;
  if (!reorder_) {
    process(*parsed, received, publish);
    return;
  }
  // Held packets are copies, so the ones handed back are parsed again (they parsed once already).
  reorder_->push(parsed->sequence(), packet, [&](std::span<const std::uint8_t> ordered) {
    if (auto p = rtp::RtpPacket::parse(ordered)) process(*p, received, publish);
  });
}

void RtpTrackReceiver::process(const rtp::RtpPacket& p, base::SteadyTime received, const Publish& publish) {
  depacketizer_->push(p.sequence(), p.timestamp(), p.marker(), p.payload(),
                      [&](const rtp::DepacketizedUnit& du) { onUnit(du, received, publish); });
}

void RtpTrackReceiver::onUnit(const rtp::DepacketizedUnit& du, base::SteadyTime received, const Publish& publish) {
  // RTP timestamp → pts: unwrap to 64 bits, start at ptsBase, and absorb clock jumps.
  std::int64_t extended;
  const bool first = !started_;
  if (first) {
    started_ = true;
    extended = firstExtended_ = du.rtpTimestamp;
  } else {
    extended = base::unwrapTimestamp(lastExtended_, du.rtpTimestamp);
  }
  std::int64_t pts = extended - firstExtended_ + ptsBase_ + jumpOffset_;
  const std::int64_t maxStep = static_cast<std::int64_t>(track_.clockRate) * kMaxStepSeconds;
  if (!first && (pts - lastPts_ > maxStep || pts < lastPts_ - maxStep)) {
    jumpOffset_ += (lastPts_ + frameStep()) - pts;
    pts = lastPts_ + frameStep();
  }
  lastExtended_ = extended;
  lastPts_ = pts;

  auto unit = media::UnitPool::forThisThread().acquire();
  unit->track = index_;
  unit->pts = unit->dts = pts;
  unit->keyframe = du.keyframe;
  unit->received = received;

  auto complete = [&](auto& cache) {
    cache.observe(du.data);
    // track_ holds the sets last described, so a change shows without copying anything per unit.
    auto same = [](const std::vector<std::uint8_t>& known, std::span<const std::uint8_t> seen) {
      return std::equal(known.begin(), known.end(), seen.begin(), seen.end());
    };
    bool changed = !same(track_.sps, cache.sps()) || !same(track_.pps, cache.pps());
    if constexpr (requires { cache.vps(); }) changed = changed || !same(track_.vps, cache.vps());
    if (changed) {
      track_.sps.assign(cache.sps().begin(), cache.sps().end());
      track_.pps.assign(cache.pps().begin(), cache.pps().end());
      if constexpr (requires { cache.vps(); }) track_.vps.assign(cache.vps().begin(), cache.vps().end());
      applySps(track_);
      trackChanged_ = true;
    }
    if (du.keyframe) {
      if (auto completed = cache.complete(du.data)) {
        unit->data = std::move(*completed);
        return;
      }
    }
    unit->data.assign(du.data.begin(), du.data.end());
  };
  if (auto* h264 = std::get_if<codec::h264::ParameterSetCache>(&params_)) {
    complete(*h264);
  } else if (auto* h265 = std::get_if<codec::h265::ParameterSetCache>(&params_)) {
    complete(*h265);
  } else {
    if (du.keyframe && applyKeyframe(track_, du.data)) trackChanged_ = true;
    unit->data.assign(du.data.begin(), du.data.end());
  }
  publish(std::move(unit));
}

}  // namespace ocellus::bridge
