// Fuzzes the RTP ingest path of a publisher or camera: reorder buffer, depacketizer,
// parameter-set completion, keyframe description (sizes, AV1 sequence headers) and timestamp
// unwrapping, for H.264, H.265, AAC, AV1, VP8 and VP9, over UDP (reordering) and TCP. Input: a
// codec/transport byte (bit 7: reorder; the rest modulo 6 picks the codec in that order), then
// records of [16-bit length][packet].
// Checks that every unit handed on is well formed and that pts never goes backwards by more
// than the jump bound allows.
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <span>

#include "bridge/RtpTrackReceiver.h"
#include "codec/NalUnits.h"
#include "codec/av1/Obu.h"

using namespace ocellus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  media::TrackInfo track;
  const std::uint8_t selector = data[0];
  constexpr codec::CodecId kCodecs[] = {codec::CodecId::H264, codec::CodecId::H265, codec::CodecId::AAC,
                                         codec::CodecId::AV1,  codec::CodecId::VP8,  codec::CodecId::VP9};
  track.codec = kCodecs[(selector & 0x7f) % std::size(kCodecs)];
  if (track.codec == codec::CodecId::AAC) {
    track.clockRate = 48000;
    track.audioConfig = {0x11, 0x90};
  }
  const bool reorder = (selector & 0x80) != 0;
  bridge::RtpTrackReceiver receiver(track, 0, reorder, 1000);
  std::int64_t lastPts = 0;
  std::span<const std::uint8_t> in(data + 1, size - 1);
  const auto now = base::Clock::system().now();
  while (in.size() >= 2) {
    const std::size_t length = std::min<std::size_t>((in[0] << 8 | in[1]), in.size() - 2);
    receiver.push(in.subspan(2, length), now, [&](media::MutableUnitPtr unit) {
      const bool nalUnits = track.codec == codec::CodecId::H264 || track.codec == codec::CodecId::H265;
      if (nalUnits && !codec::NalUnits(unit->data).valid()) std::abort();
      if (track.codec == codec::CodecId::AV1 && !codec::av1::forEachObu(unit->data, [](const codec::av1::Obu&) {})) {
        std::abort();
      }
      if (unit->data.empty()) std::abort();
      // A jump of more than 10 s is absorbed, so pts moves by less than that between units.
      const std::int64_t limit = static_cast<std::int64_t>(track.clockRate) * 11;
      if (lastPts != 0 && std::llabs(unit->pts - lastPts) > limit) std::abort();
      lastPts = unit->pts;
    });
    (void)receiver.takeTrackChange();
    in = in.subspan(2 + length);
  }
  return 0;
}
