// Fuzzes the RTP ingest path of a publisher or camera: reorder buffer, depacketizer,
// parameter-set completion and timestamp unwrapping, for H.264, H.265 and AAC, over UDP
// (reordering) and TCP. Input: records of [codec/transport byte][16-bit length][packet].
// Checks that every unit handed on is well formed and that pts never goes backwards by more
// than the jump bound allows.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "bridge/RtpTrackReceiver.h"
#include "codec/NalUnits.h"

using namespace ocellus;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  media::TrackInfo track;
  const std::uint8_t selector = data[0];
  switch (selector % 3) {
    case 0: track.codec = codec::CodecId::H264; break;
    case 1: track.codec = codec::CodecId::H265; break;
    default:
      track.codec = codec::CodecId::AAC;
      track.clockRate = 48000;
      track.audioConfig = {0x11, 0x90};
      break;
  }
  const bool reorder = (selector & 0x80) != 0;
  bridge::RtpTrackReceiver receiver(track, 0, reorder, 1000);
  std::int64_t lastPts = 0;
  std::span<const std::uint8_t> in(data + 1, size - 1);
  const auto now = base::Clock::system().now();
  while (in.size() >= 2) {
    const std::size_t length = std::min<std::size_t>((in[0] << 8 | in[1]), in.size() - 2);
    receiver.push(in.subspan(2, length), now, [&](media::MutableUnitPtr unit) {
      if (track.codec != codec::CodecId::AAC && !codec::NalUnits(unit->data).valid()) std::abort();
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
