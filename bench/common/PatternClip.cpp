#include "common/PatternClip.h"

#include <cstdio>
#include <cstdlib>
#include <iterator>

#include "codec/h264/Nal.h"
#include "sources/testpattern/PatternEncoder.h"

namespace ocellus::bench {

PatternClip PatternClip::encode(const sources::testpattern::H264Encoder::Config& config, int frames) {
  auto encoder = sources::testpattern::PatternEncoder::create(config);
  if (!encoder) {
    std::fprintf(stderr, "encoder: %s\n", encoder.error().describe().c_str());
    std::exit(1);
  }
  PatternClip clip;
  clip.fps = config.fps;
  for (int i = 0; i < frames; ++i) {
    const auto status = (*encoder)->encodeNext(1'700'000'000'000 + static_cast<std::uint64_t>(i * 1000 / config.fps),
                                               {}, [&](media::MutableUnitPtr u) { clip.units.push_back(u); });
    if (!status) {
      std::fprintf(stderr, "encoder: %s\n", status.error().describe().c_str());
      std::exit(1);
    }
  }
  if (clip.units.empty()) {
    std::fprintf(stderr, "encoder: no frames asked for\n");
    std::exit(1);
  }
  auto track = sources::testpattern::PatternEncoder::describe(*clip.units.front(), config.fps);
  if (!track) {
    std::fprintf(stderr, "encoder: %s\n", track.error().describe().c_str());
    std::exit(1);
  }
  clip.track = *track;
  return clip;
}

void PatternClip::fillTo(int kbps) {
  std::size_t bytes = 0;
  for (const auto& u : units) bytes += u->data.size();
  const auto target = static_cast<std::size_t>(kbps) * 1000 / 8 * units.size() / static_cast<std::size_t>(fps);
  // Per unit: the canonical length prefix, the NAL header, 0xFF bytes, the stop bit (0x80).
  constexpr std::size_t kOverhead = 4 + codec::h264::kNalHeaderSize + 1;
  if (target <= bytes + units.size() * kOverhead) return;
  const std::size_t nal = (target - bytes) / units.size() - 4;
  for (auto& u : units) {
    const auto n = static_cast<std::uint32_t>(nal);
    const std::uint8_t prefix[] = {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                                   static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    u->data.insert(u->data.end(), std::begin(prefix), std::end(prefix));
    u->data.push_back(static_cast<std::uint8_t>(codec::h264::NalType::Filler));  // nal_ref_idc 0
    u->data.insert(u->data.end(), nal - codec::h264::kNalHeaderSize - 1, 0xff);
    u->data.push_back(0x80);
  }
}

double PatternClip::mbitPerSecond() const {
  std::size_t bytes = 0;
  for (const auto& u : units) bytes += u->data.size();
  return units.empty() ? 0 : static_cast<double>(bytes) * 8 * fps / static_cast<double>(units.size()) / 1e6;
}

}  // namespace ocellus::bench
