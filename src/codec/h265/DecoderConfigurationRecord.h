#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/Result.h"

namespace ocellus::codec::h265 {

// HEVCDecoderConfigurationRecord, the body of an MP4 `hvcC` box and of an Enhanced RTMP HEVC
// sequence start (ISO/IEC 14496-15 §8.3.3.1):
//
//   configurationVersion(8)=1 general_profile_space(2) general_tier_flag(1) general_profile_idc(5)
//   general_profile_compatibility_flags(32) general_constraint_indicator_flags(48) general_level_idc(8)
//   1111 min_spatial_segmentation_idc(12)  111111 parallelismType(2)  111111 chromaFormat(2)
//   11111 bitDepthLumaMinus8(3)  11111 bitDepthChromaMinus8(3)  avgFrameRate(16)
//   constantFrameRate(2) numTemporalLayers(3) temporalIdNested(1) lengthSizeMinusOne(2)
//   numOfArrays(8) { array_completeness(1) 0 NAL_unit_type(6) numNalus(16) { length(16) NAL }... }...
//
// A value type owning copies of the NAL units. fromParameterSets() fills the general fields from
// the parsed SPS; parse() reads a record that arrives as bytes and checks that each NAL unit has
// the type of its array; serialize() writes what parse() reads.
struct DecoderConfigurationRecord {
  static constexpr std::size_t kMaxRecordSize = 64 * 1024;

  struct NalArray {
    bool complete = true;  // array_completeness: all NAL units of this type are in the record
    std::uint8_t type = 0;
    std::vector<std::vector<std::uint8_t>> units;
    bool operator==(const NalArray&) const = default;
  };

  std::uint8_t profileSpace = 0;
  bool tierFlag = false;
  std::uint8_t profileIdc = 0;
  std::uint32_t profileCompatibilityFlags = 0;  // general_profile_compatibility_flag[0] is bit 31
  std::uint64_t constraintFlags = 0;            // 48 bits
  std::uint8_t levelIdc = 0;
  std::uint16_t minSpatialSegmentationIdc = 0;
  std::uint8_t parallelismType = 0;
  std::uint8_t chromaFormat = 1;
  std::uint8_t bitDepthLumaMinus8 = 0;
  std::uint8_t bitDepthChromaMinus8 = 0;
  std::uint16_t avgFrameRate = 0;
  std::uint8_t constantFrameRate = 0;
  std::uint8_t numTemporalLayers = 1;
  bool temporalIdNested = false;
  std::uint8_t lengthSizeMinusOne = 3;  // our canonical form uses 4-byte lengths (codec/Codec.h)
  std::vector<NalArray> arrays;

  // A record from one VPS, SPS and PPS NAL unit each (2-byte headers included).
  static base::Result<DecoderConfigurationRecord> fromParameterSets(std::span<const std::uint8_t> vps,
                                                                    std::span<const std::uint8_t> sps,
                                                                    std::span<const std::uint8_t> pps);
  static base::Result<DecoderConfigurationRecord> parse(std::span<const std::uint8_t> data);

  std::vector<std::uint8_t> serialize() const;
  // ISO/IEC 14496-15 Annex E.3, as RFC 6381 carries it: `hvc1.<space letter><profile_idc>.
  // <compatibility flags bit-reversed, hex>.<L|H><level_idc>[.<constraint byte hex>...]`, trailing
  // zero constraint bytes left out, e.g. hvc1.1.6.L93.B0.
  std::string codecString() const;
  // The NAL units of one type across all arrays (for SDP sprop-* and packetizers).
  std::vector<std::span<const std::uint8_t>> unitsOfType(std::uint8_t type) const;

  bool operator==(const DecoderConfigurationRecord&) const = default;
};

}  // namespace ocellus::codec::h265
