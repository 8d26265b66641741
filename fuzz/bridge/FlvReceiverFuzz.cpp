// Fuzzes the RTMP ingest path of a publisher: FLV tag parsing, decoder configuration records
// (avcC, hvcC, av1C), NAL length rewriting, AV1 temporal units, parameter-set completion,
// timestamp unwrapping and the units held before the track layout is fixed. Input: records of
// [flags][32-bit timestamp][16-bit length][tag body]; flags bit 0: audio, bit 1: start the
// stream after this record, bit 2: announce video only. Checks that every unit handed on is well
// formed (NAL units, or OBUs with their size fields), on a track of the layout, and that dts
// never goes back and pts is never before dts.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "bridge/FlvReceiver.h"
#include "codec/NalUnits.h"
#include "codec/av1/Obu.h"

using namespace ocellus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  bridge::FlvReceiver receiver;
  std::vector<media::TrackInfo> tracks;
  std::vector<std::int64_t> lastDts;
  auto check = [&](media::MutableUnitPtr unit) {
    if (unit->track >= tracks.size()) std::abort();
    const auto& track = tracks[unit->track];
    if (track.codec == codec::CodecId::AV1) {
      if (!codec::av1::forEachObu(unit->data, [](const codec::av1::Obu&) {})) std::abort();
    } else if (track.isVideo() && !codec::NalUnits(unit->data).valid()) {
      std::abort();
    }
    if (unit->pts < unit->dts || unit->dts < lastDts[unit->track]) std::abort();
    lastDts[unit->track] = unit->dts;
  };
  std::span<const std::uint8_t> in(data, size);
  const auto now = base::Clock::system().now();
  while (in.size() >= 7) {
    const std::uint8_t flags = in[0];
    const std::uint32_t ts = std::uint32_t{in[1]} << 24 | std::uint32_t{in[2]} << 16 | std::uint32_t{in[3]} << 8 | in[4];
    const std::size_t length = std::min<std::size_t>((in[5] << 8 | in[6]), in.size() - 7);
    const auto body = in.subspan(7, length);
    in = in.subspan(7 + length);
    if (flags & 4) receiver.expect(true, false);
    (void)((flags & 1) ? receiver.pushAudio(ts, body, now) : receiver.pushVideo(ts, body, now));
    if ((flags & 2) && !receiver.started() && receiver.hasTracks()) {
      tracks = receiver.tracks();
      lastDts.assign(tracks.size(), INT64_MIN);
      receiver.start(check);
    }
    while (auto change = receiver.takeTrackChange()) {
      if (change->first >= tracks.size() || !change->second.compatibleWith(tracks[change->first])) std::abort();
    }
  }
  return 0;
}
