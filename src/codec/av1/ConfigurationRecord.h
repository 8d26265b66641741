#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"
#include "codec/av1/SequenceHeader.h"

namespace ocellus::codec::av1 {

// AV1CodecConfigurationRecord, the body of an MP4 `av1C` box and of an Enhanced RTMP 'av01'
// SequenceStart (AV1 Codec ISO Media File Format Binding §2.3.3):
//
//   marker(1)=1 version(7)=1 | seq_profile(3) seq_level_idx_0(5) | seq_tier_0(1) high_bitdepth(1)
//   twelve_bit(1) monochrome(1) chroma_subsampling_x(1) chroma_subsampling_y(1)
//   chroma_sample_position(2) | reserved(3) initial_presentation_delay_present(1) (4) |
//   configOBUs: OBUs with their size fields, a sequence header first when there is one.
//
// fromSequenceHeader() makes one from a whole sequence header OBU; parse() reads one that
// arrives as bytes, checks its OBUs and takes the fields from the sequence header it carries
// (the restated fields must match it). Here a record must carry its sequence header: readers
// start from it.
struct ConfigurationRecord {
  static constexpr std::size_t kFixedSize = 4;
  static constexpr std::size_t kMaxRecordSize = 64 * 1024;

  SequenceHeader header;
  std::vector<std::uint8_t> configObus;  // the sequence header OBU first

  static base::Result<ConfigurationRecord> fromSequenceHeader(std::span<const std::uint8_t> obu);
  static base::Result<ConfigurationRecord> parse(std::span<const std::uint8_t> data);

  std::vector<std::uint8_t> serialize() const;
  // The sequence header OBU, whole (header, size field, payload).
  std::span<const std::uint8_t> sequenceHeaderObu() const { return findSequenceHeader(configObus)->whole; }

  bool operator==(const ConfigurationRecord&) const = default;
};

}  // namespace ocellus::codec::av1
