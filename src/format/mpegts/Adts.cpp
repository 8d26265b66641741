#include "format/mpegts/Adts.h"

#include <array>

#include "base/BitReader.h"

namespace ocellus::format::mpegts {
namespace {

constexpr std::uint32_t kSyncword = 0xfff;
constexpr std::size_t kMaxFrameSize = (1u << 13) - 1;
constexpr std::uint32_t kExplicitRateIndex = 15;

base::Error error(base::ErrorCode code, const char* what) {
  return base::makeError(code, std::string("adts: ") + what);
}

}  // namespace

base::Result<AdtsHeader> AdtsHeader::parse(std::span<const std::uint8_t> data) {
  if (data.size() < kHeaderSize) return error(base::ErrorCode::Truncated, "ends inside the header");
  base::BitReader r(data);
  const auto sync = r.bits(12);
  r.skipBits(3);  // ID, layer
  const auto protectionAbsent = r.bits(1);
  const auto profile = r.bits(2);
  const auto rateIndex = r.bits(4);
  r.skipBits(1);
  const auto channels = r.bits(3);
  r.skipBits(4);
  const auto frameLength = r.bits(13);
  r.skipBits(11);
  const auto blocks = r.bits(2);
  if (!blocks) return error(base::ErrorCode::Truncated, "ends inside the header");
  if (*sync != kSyncword) return error(base::ErrorCode::Malformed, "no syncword");
  if (*rateIndex == kExplicitRateIndex) return error(base::ErrorCode::Malformed, "sampling_frequency_index 15");

  // The same three fields begin an AudioSpecificConfig: let its parser map the rate index.
  const std::uint32_t asc = ((*profile + 1) << 11) | (*rateIndex << 7) | (*channels << 3);
  const std::array<std::uint8_t, 2> ascBytes = {static_cast<std::uint8_t>(asc >> 8), static_cast<std::uint8_t>(asc)};
  auto config = codec::aac::AudioSpecificConfig::parse(ascBytes);
  if (!config) return error(base::ErrorCode::Malformed, "reserved sampling_frequency_index");

  AdtsHeader h;
  h.config = *config;
  h.headerSize = *protectionAbsent ? kHeaderSize : kHeaderSize + kCrcSize;
  h.frameSize = *frameLength;
  h.rawBlocks = *blocks + 1;
  if (h.frameSize <= h.headerSize) return error(base::ErrorCode::Malformed, "aac_frame_length too small");
  if (h.frameSize > data.size()) return error(base::ErrorCode::Truncated, "frame runs past the buffer");
  return h;
}

base::Status AdtsHeader::write(const codec::aac::AudioSpecificConfig& config, std::size_t payloadSize,
                               std::vector<std::uint8_t>& out) {
  if (config.objectType < 1 || config.objectType > 4)
    return error(base::ErrorCode::Unsupported, "object type not expressible in ADTS");
  if (config.channelConfig > 7) return error(base::ErrorCode::Unsupported, "channel configuration above 7");
  const auto asc = config.serialize();  // objectType(5) index(4) ...: take the index back out
  const std::uint32_t rateIndex = ((asc[0] & 0x07u) << 1) | (asc[1] >> 7);
  if (rateIndex == kExplicitRateIndex) return error(base::ErrorCode::Unsupported, "sample rate without index");
  const std::size_t frameSize = kHeaderSize + payloadSize;
  if (frameSize > kMaxFrameSize) return error(base::ErrorCode::TooLarge, "frame over 8191 bytes");

  const std::uint32_t profile = config.objectType - 1u;
  const std::uint32_t ch = config.channelConfig;
  const std::uint32_t len = static_cast<std::uint32_t>(frameSize);
  constexpr std::uint32_t kFullness = 0x7ff;  // variable rate
  out.push_back(0xff);
  out.push_back(0xf1);  // MPEG-4, layer 0, no CRC
  out.push_back(static_cast<std::uint8_t>((profile << 6) | (rateIndex << 2) | (ch >> 2)));
  out.push_back(static_cast<std::uint8_t>(((ch & 3) << 6) | (len >> 11)));
  out.push_back(static_cast<std::uint8_t>(len >> 3));
  out.push_back(static_cast<std::uint8_t>(((len & 7) << 5) | (kFullness >> 6)));
  out.push_back(static_cast<std::uint8_t>((kFullness & 0x3f) << 2));  // one raw data block
  return {};
}

}  // namespace ocellus::format::mpegts
