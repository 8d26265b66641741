#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/Result.h"

namespace ocellus::codec::h264 {

// AVCDecoderConfigurationRecord, the body of an MP4 `avcC` box and of an FLV/RTMP AVC sequence
// header (ISO/IEC 14496-15 §5.3.3.1):
//
//   configurationVersion(8)=1 AVCProfileIndication(8) profile_compatibility(8) AVCLevelIndication(8)
//   111111 lengthSizeMinusOne(2)   111 numOfSequenceParameterSets(5)  { length(16) SPS }...
//   numOfPictureParameterSets(8) { length(16) PPS }...
//   profiles 100, 110, 122, 144 only: 111111 chroma_format(2) 11111 bit_depth_luma_minus8(3)
//   11111 bit_depth_chroma_minus8(3) numOfSequenceParameterSetExt(8) { length(16) SPS ext }...
//
// A value type: it owns copies of the parameter sets. fromParameterSets() takes the profile
// fields from the parsed SPS; parse() reads a record that arrives as bytes and checks that the
// NAL units it lists are of the type the array says; serialize() writes what parse() reads.
// Many writers omit the high-profile trailer, so parse() accepts a record that ends before it.
struct DecoderConfigurationRecord {
  static constexpr std::size_t kMaxParameterSets = 31;  // five bits of count for SPS
  static constexpr std::size_t kMaxRecordSize = 64 * 1024;

  std::uint8_t profileIdc = 0;
  std::uint8_t profileCompatibility = 0;  // the SPS constraint_set flags byte
  std::uint8_t levelIdc = 0;
  std::uint8_t lengthSizeMinusOne = 3;    // our canonical form uses 4-byte lengths (codec/Codec.h)
  std::vector<std::vector<std::uint8_t>> sps;
  std::vector<std::vector<std::uint8_t>> pps;
  // The high-profile trailer; written when hasHighProfileFields() says so.
  std::uint8_t chromaFormat = 1;
  std::uint8_t bitDepthLumaMinus8 = 0;
  std::uint8_t bitDepthChromaMinus8 = 0;
  std::vector<std::vector<std::uint8_t>> spsExt;

  // A record from one SPS and one PPS NAL unit (headers included): profile, level, chroma format
  // and bit depths come from the parsed SPS.
  static base::Result<DecoderConfigurationRecord> fromParameterSets(std::span<const std::uint8_t> sps,
                                                                    std::span<const std::uint8_t> pps);
  static base::Result<DecoderConfigurationRecord> parse(std::span<const std::uint8_t> data);

  std::vector<std::uint8_t> serialize() const;
  // RFC 6381 §3.3 `avc1.PPCCLL`: profile, compatibility and level bytes in upper-case hex.
  std::string codecString() const;
  // True for the profiles whose record carries the chroma/bit-depth trailer (§5.3.3.1.2).
  bool hasHighProfileFields() const;

  bool operator==(const DecoderConfigurationRecord&) const = default;
};

}  // namespace ocellus::codec::h264
