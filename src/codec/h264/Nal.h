#pragma once

#include <cstdint>
#include <span>

namespace ocellus::codec::h264 {

// nal_unit_type (H.264 Table 7-1) and the RTP packet types that share its space (RFC 6184 §5.2).
enum class NalType : std::uint8_t {
  Slice = 1,
  Idr = 5,
  Sps = 7,
  Pps = 8,
  Aud = 9,
  Filler = 12,
  StapA = 24,
  FuA = 28,
};

inline constexpr std::size_t kNalHeaderSize = 1;

// The type in a NAL unit header byte: forbidden_zero_bit(1) nal_ref_idc(2) nal_unit_type(5).
inline NalType nalType(std::uint8_t header) {
  return static_cast<NalType>(header & 0x1f);
}

// True for VCL NAL units (types 1..5, coded slices), which must follow the parameter sets.
inline bool isVcl(NalType type) {
  return type >= NalType::Slice && type <= NalType::Idr;
}

// True when an access unit in canonical form (codec/Codec.h) holds an IDR picture.
bool isKeyframe(std::span<const std::uint8_t> unit);

}  // namespace ocellus::codec::h264
