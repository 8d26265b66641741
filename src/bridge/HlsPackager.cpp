#include "bridge/HlsPackager.h"

namespace ocellus::bridge {

using std::chrono::microseconds;

base::Result<std::unique_ptr<HlsPackager>> HlsPackager::create(const std::vector<media::TrackInfo>& tracks,
                                                               proto::hls::RingConfig ring, const base::Clock& clock,
                                                               base::Logger log) {
  auto made = Fmp4Tracks::create(tracks, log);
  if (!made) return made.error();
  for (const auto& s : made->skipped()) log.info("track {} ({}) is left out: {}", s.track, codec::codecName(s.codec), s.reason);
  return std::unique_ptr<HlsPackager>(new HlsPackager(std::move(made).value(), ring, clock));
}

HlsPackager::HlsPackager(Fmp4Tracks tracks, proto::hls::RingConfig ring, const base::Clock& clock)
    : tracks_(std::move(tracks)),
      ring_(ring, std::make_shared<const std::vector<std::uint8_t>>(tracks_.muxer().initSegment())),
      clock_(clock) {}

void HlsPackager::push(const media::Unit& unit) {
  if (ring_.finished()) return;
  const auto sample = tracks_.push(unit);
  if (!sample || !sample->primary) return;
  pending_.emplace_back(sample->decodeTime, unit.received);
  cutIfDue(sample->keyframe);
}

void HlsPackager::cutIfDue(bool keyframe) {
  const auto& muxer = tracks_.muxer();
  const std::size_t primary = muxer.primaryTrack();
  if (muxer.readyCount(primary) == 0) return;
  const microseconds ready = tracks_.toMicros(muxer.readyDuration(primary));
  const auto* open = ring_.openSegment();
  const microseconds elapsed = open ? open->duration : microseconds{0};
  // Before a keyframe that will start the next segment, or once the part is long enough.
  if ((keyframe && elapsed + ready >= ring_.config().targetDuration) || ready >= ring_.config().partTarget) writePart();
}

void HlsPackager::writePart() {
  auto out = tracks_.muxer().flush();
  if (!out) {
    tracks_.log().warn("fMP4 fragment not written: {}", out.error().message);
    return;
  }
  const auto start = static_cast<std::int64_t>(out->startTime);
  const auto end = static_cast<std::int64_t>(out->startTime + out->duration);
  while (!pending_.empty() && pending_.front().first < start) pending_.pop_front();
  const base::SteadyTime received = pending_.empty() ? clock_.now() : pending_.front().second;
  while (!pending_.empty() && pending_.front().first < end) pending_.pop_front();
  const auto wall = clock_.wallNow() - (clock_.now() - received);
  proto::hls::Part part{std::make_shared<const std::vector<std::uint8_t>>(std::move(out->bytes)),
                        tracks_.toMicros(out->duration), out->independent};
  ring_.addPart(std::move(part), std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()));
}

void HlsPackager::finish() {
  if (ring_.finished()) return;
  tracks_.finish();
  if (tracks_.muxer().hasReady()) writePart();
  ring_.finish();
}

}  // namespace ocellus::bridge
