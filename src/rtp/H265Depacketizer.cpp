#include "rtp/H265Depacketizer.h"

#include "codec/h265/Nal.h"

namespace ocellus::rtp {

using codec::h265::kNalHeaderSize;
using codec::h265::NalType;
using codec::h265::nalType;

namespace {

constexpr std::size_t kFuPrefixSize = 3;  // PayloadHdr (2 bytes), FU header (§4.4.3)

}  // namespace

H265Depacketizer::H265Depacketizer() : NalDepacketizer(kNalHeaderSize) {}

bool H265Depacketizer::depacketize(std::span<const std::uint8_t> payload) {
  if (payload.size() < kNalHeaderSize) return false;
  switch (nalType(payload[0])) {
    case NalType::Ap:
      return addAggregate(payload.subspan(kNalHeaderSize));  // after the PayloadHdr
    case NalType::Fu: {
      if (payload.size() < kFuPrefixSize) return false;
      const std::uint8_t fuHeader = payload[2];
      // The NAL unit header is the PayloadHdr with its type replaced by FuType.
      const std::uint8_t header[] = {static_cast<std::uint8_t>((payload[0] & 0x81) | (fuHeader & 0x3f) << 1),
                                     payload[1]};
      return addFragment(header, payload.subspan(kFuPrefixSize), fuHeader & 0x80, fuHeader & 0x40);
    }
    default:
      return addNal(payload);
  }
}

NalDepacketizer::NalKind H265Depacketizer::classify(std::span<const std::uint8_t> header) const {
  const NalType type = nalType(header[0]);
  if (type == NalType::Aud || type == NalType::Filler) return NalKind::Discard;
  // 48..63 are packet types (AP, FU, PACI) or unspecified (§4.4).
  return static_cast<std::uint8_t>(type) < static_cast<std::uint8_t>(NalType::Ap) ? NalKind::Keep
                                                                                  : NalKind::Invalid;
}

bool H265Depacketizer::isKeyframe(std::span<const std::uint8_t> unit) const {
  return codec::h265::isKeyframe(unit);
}

}  // namespace ocellus::rtp
