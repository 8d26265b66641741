#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/Result.h"

namespace ocellus::format::mpegts {

// The header of a PES packet (H.222.0 §2.4.3.6):
//
//   00 00 01 | stream_id | PES_packet_length(16) | 10 scrambling(2) priority alignment copyright
//   original | PTS_DTS_flags(2) ESCR ES_rate trick additional_copy CRC extension |
//   PES_header_data_length | [PTS 5 bytes] [DTS 5 bytes] ... | payload
//
// Stream ids without the optional header (padding, private_stream_2, ECM/EMM, DSMCC, H.222.1
// type E, program stream directory/map) carry their payload right after the length.
struct PesHeader {
  static constexpr std::size_t kFixedSize = 6;  // start code, stream_id, PES_packet_length
  static constexpr std::uint8_t kVideoStreamId = 0xe0;
  static constexpr std::uint8_t kAudioStreamId = 0xc0;
  static constexpr std::uint8_t kPrivateStream1 = 0xbd;  // KLV (SMPTE RP 217)
  static constexpr std::uint8_t kMetadataStreamId = 0xfc;

  std::uint8_t streamId = 0;
  std::size_t packetLength = 0;  // PES_packet_length: bytes after it; 0 = unbounded (video)
  std::optional<std::uint64_t> pts;  // 33 bits
  std::optional<std::uint64_t> dts;
  bool dataAlignment = false;
  std::size_t headerSize = kFixedSize;  // bytes before the payload

  static base::Result<PesHeader> parse(std::span<const std::uint8_t> pes);

  // Appends a header for `payloadSize` bytes; PES_packet_length is 0 when the packet would not
  // fit 16 bits (allowed for video only, H.222.0 §2.4.3.7). The timestamps are taken mod 2^33.
  static void write(std::uint8_t streamId, std::size_t payloadSize, std::optional<std::uint64_t> pts,
                    std::optional<std::uint64_t> dts, std::vector<std::uint8_t>& out);
};

}  // namespace ocellus::format::mpegts
