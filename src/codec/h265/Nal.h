#pragma once

#include <cstdint>
#include <span>

namespace ocellus::codec::h265 {

// nal_unit_type (H.265 Table 7-1) and the RTP packet types that share its space (RFC 7798 §4.4).
enum class NalType : std::uint8_t {
  BlaWLp = 16,     // first IRAP type
  RsvIrap23 = 23,  // last IRAP type
  Vps = 32,
  Sps = 33,
  Pps = 34,
  Aud = 35,
  Filler = 38,
  Ap = 48,
  Fu = 49,
};

// forbidden_zero_bit(1) nal_unit_type(6) nuh_layer_id(6) nuh_temporal_id_plus1(3).
inline constexpr std::size_t kNalHeaderSize = 2;

// The type in the first byte of a NAL unit header.
inline NalType nalType(std::uint8_t firstHeaderByte) {
  return static_cast<NalType>((firstHeaderByte >> 1) & 0x3f);
}

// VCL NAL units (types 0..31, coded slice segments) must follow the parameter sets.
inline bool isVcl(NalType type) {
  return static_cast<std::uint8_t>(type) < static_cast<std::uint8_t>(NalType::Vps);
}

// Intra random access point pictures: types 16..23 (H.265 §7.4.2.2).
inline bool isIrap(NalType type) {
  return type >= NalType::BlaWLp && type <= NalType::RsvIrap23;
}

// True when an access unit in canonical form (codec/Codec.h) holds an IRAP picture.
bool isKeyframe(std::span<const std::uint8_t> unit);

}  // namespace ocellus::codec::h265
