#include "format/fmp4/Muxer.h"

#include <fmt/format.h>

#include <algorithm>

#include "format/fmp4/InitSegment.h"

namespace ocellus::format::fmp4 {
namespace {

base::Error invalid(const std::string& what) { return base::makeError(base::ErrorCode::InvalidArgument, "fmp4 muxer: " + what); }

}  // namespace

base::Result<Muxer> Muxer::create(std::vector<TrackConfig> tracks) {
  auto init = InitSegment::write(tracks);
  if (!init) return init.error();
  return Muxer(std::move(tracks), std::move(*init));
}

Muxer::Muxer(std::vector<TrackConfig> tracks, std::vector<std::uint8_t> init)
    : tracks_(std::move(tracks)), init_(std::move(init)), state_(tracks_.size()), primary_(fmp4::primaryTrack(tracks_)) {}

base::Status Muxer::release(std::size_t track, std::uint32_t duration) {
  TrackState& s = state_[track];
  if (!s.held) return {};
  Entry entry = *s.held;
  entry.duration = duration;
  s.ready.push_back(entry);
  s.readyDuration += duration;
  s.held.reset();
  return {};
}

base::Status Muxer::push(std::size_t track, const Frame& frame) {
  if (track >= state_.size()) return invalid(fmt::format("no track {}", track));
  if (frame.dts < 0) return invalid(fmt::format("track {}: negative dts {}", track, frame.dts));
  const std::int64_t cts = frame.pts - frame.dts;
  if (cts < INT32_MIN || cts > INT32_MAX) return invalid(fmt::format("track {}: pts - dts {} out of range", track, cts));
  if (frame.data.empty()) return invalid(fmt::format("track {}: empty frame", track));
  if (state_[track].ready.size() >= Fragment::kMaxSamplesPerTrack) {
    return base::makeError(base::ErrorCode::TooLarge, fmt::format("fmp4 muxer: track {}: too many samples unflushed", track));
  }
  TrackState& s = state_[track];
  if (s.held) {
    const std::int64_t duration = frame.dts - s.held->dts;
    if (duration <= 0) return invalid(fmt::format("track {}: dts {} does not follow {}", track, frame.dts, s.held->dts));
    if (duration > UINT32_MAX) return invalid(fmt::format("track {}: gap of {} ticks", track, duration));
    OCELLUS_TRY(release(track, static_cast<std::uint32_t>(duration)));
  }
  const bool keyframe = codec::mediaKind(tracks_[track].codec) != codec::MediaKind::Video || frame.keyframe;
  s.held = Entry{s.buffer.size(), frame.data.size(), frame.dts, frame.pts, 0, keyframe};
  s.buffer.insert(s.buffer.end(), frame.data.begin(), frame.data.end());
  return {};
}

base::Status Muxer::finish(std::size_t track, std::uint32_t lastDuration) {
  if (track >= state_.size()) return invalid(fmt::format("no track {}", track));
  if (lastDuration == 0) return invalid("a last duration of 0");
  return release(track, lastDuration);
}

bool Muxer::readyStartsWithKeyframe(std::size_t track) const {
  const auto& ready = state_.at(track).ready;
  return !ready.empty() && ready.front().keyframe;
}

bool Muxer::hasReady() const {
  return std::ranges::any_of(state_, [](const TrackState& s) { return !s.ready.empty(); });
}

std::optional<std::int64_t> Muxer::heldDts(std::size_t track) const {
  const auto& held = state_.at(track).held;
  return held ? std::optional<std::int64_t>(held->dts) : std::nullopt;
}

base::Result<Muxer::Output> Muxer::flush() {
  if (!hasReady()) return base::makeError(base::ErrorCode::InvalidState, "fmp4 muxer: no sample is ready");
  std::vector<Sample> samples;
  std::size_t total = 0;
  for (const auto& s : state_) total += s.ready.size();
  samples.reserve(total);
  std::vector<TrackRun> runs;
  runs.reserve(state_.size());
  for (std::size_t i = 0; i < state_.size(); ++i) {
    const TrackState& s = state_[i];
    if (s.ready.empty()) continue;
    const std::size_t first = samples.size();
    for (const auto& e : s.ready) {
      samples.push_back(Sample{std::span<const std::uint8_t>(s.buffer).subspan(e.offset, e.size), e.duration,
                               static_cast<std::int32_t>(e.pts - e.dts), e.keyframe});
    }
    runs.push_back(TrackRun{tracks_[i].id, static_cast<std::uint64_t>(s.ready.front().dts),
                            std::span<const Sample>(samples).subspan(first, s.ready.size())});
  }
  Output out;
  out.sequenceNumber = ++sequence_;
  OCELLUS_TRY(Fragment::write(out.sequenceNumber, runs, out.bytes));
  const TrackState& primary = state_[primary_];
  out.independent = !primary.ready.empty() && primary.ready.front().keyframe;
  if (!primary.ready.empty()) out.startTime = static_cast<std::uint64_t>(primary.ready.front().dts);
  out.duration = primary.readyDuration;

  for (auto& s : state_) {
    if (s.ready.empty()) continue;
    const std::size_t consumed = s.held ? s.held->offset : s.buffer.size();
    s.buffer.erase(s.buffer.begin(), s.buffer.begin() + static_cast<std::ptrdiff_t>(consumed));
    if (s.held) s.held->offset = 0;
    s.ready.clear();
    s.readyDuration = 0;
  }
  return out;
}

}  // namespace ocellus::format::fmp4
