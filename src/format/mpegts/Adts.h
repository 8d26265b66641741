#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"
#include "codec/aac/AudioSpecificConfig.h"

namespace ocellus::format::mpegts {

// One ADTS frame header (ISO/IEC 13818-7 §6.2.1, 14496-3 §1.A.2.2), as AAC travels in
// MPEG-TS (stream_type 0x0F):
//
//   syncword(12)=FFF ID(1) layer(2) protection_absent(1) profile(2) sampling_frequency_index(4)
//   private(1) channel_configuration(3) original(1) home(1) copyright_id(2)
//   aac_frame_length(13) buffer_fullness(11) number_of_raw_data_blocks_in_frame(2)
//   [crc_check(16) when protection_absent = 0]
struct AdtsHeader {
  static constexpr std::size_t kHeaderSize = 7;
  static constexpr std::size_t kCrcSize = 2;
  static constexpr std::uint32_t kSamplesPerBlock = 1024;

  codec::aac::AudioSpecificConfig config;  // objectType = profile + 1
  std::size_t headerSize = kHeaderSize;     // 9 with a CRC
  std::size_t frameSize = 0;                // aac_frame_length: header included
  std::uint32_t rawBlocks = 1;              // number_of_raw_data_blocks_in_frame + 1

  // Parses the header at the start of `data`; the whole frame must be inside `data`.
  static base::Result<AdtsHeader> parse(std::span<const std::uint8_t> data);

  // Appends a 7-byte header (no CRC) for one raw block of `payloadSize` bytes. Fails when the
  // config cannot be said in ADTS (object type above 4, a rate without index) or the frame
  // exceeds 13 bits of length.
  static base::Status write(const codec::aac::AudioSpecificConfig& config, std::size_t payloadSize,
                            std::vector<std::uint8_t>& out);
};

}  // namespace ocellus::format::mpegts
