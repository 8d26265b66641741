#include "rtp/H264Depacketizer.h"

#include "codec/h264/Nal.h"

namespace ocellus::rtp {

using codec::h264::NalType;
using codec::h264::nalType;

namespace {

constexpr std::size_t kFuPrefixSize = 2;   // FU indicator, FU header (§5.8)
constexpr std::uint8_t kLastNalType = 23;  // 24..31 are packet types or undefined (§5.2)

}  // namespace

H264Depacketizer::H264Depacketizer() : NalDepacketizer(codec::h264::kNalHeaderSize) {}

bool H264Depacketizer::depacketize(std::span<const std::uint8_t> payload) {
  if (payload.empty()) return false;
  switch (nalType(payload[0])) {
    case NalType::StapA:
      return addAggregate(payload.subspan(codec::h264::kNalHeaderSize));  // after the STAP-A header
    case NalType::FuA: {
      if (payload.size() < kFuPrefixSize) return false;
      const std::uint8_t fuHeader = payload[1];
      const std::uint8_t header[] = {static_cast<std::uint8_t>((payload[0] & 0xe0) | (fuHeader & 0x1f))};
      return addFragment(header, payload.subspan(kFuPrefixSize), fuHeader & 0x80, fuHeader & 0x40);
    }
    default:
      return addNal(payload);
  }
}

NalDepacketizer::NalKind H264Depacketizer::classify(std::span<const std::uint8_t> header) const {
  const NalType type = nalType(header[0]);
  if (type == NalType::Aud || type == NalType::Filler) return NalKind::Discard;
  const auto number = static_cast<std::uint8_t>(type);
  return number >= 1 && number <= kLastNalType ? NalKind::Keep : NalKind::Invalid;
}

bool H264Depacketizer::isKeyframe(std::span<const std::uint8_t> unit) const {
  return codec::h264::isKeyframe(unit);
}

}  // namespace ocellus::rtp
