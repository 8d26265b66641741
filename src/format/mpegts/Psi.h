#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/Result.h"

namespace ocellus::format::mpegts {

// Program-specific information: the PAT and the PMT, each one long-form section
// (H.222.0 §2.4.4):
//
//   table_id(8) section_syntax_indicator(1)=1 '0' reserved(2) section_length(12)
//   table_id_extension(16) reserved(2) version_number(5) current_next_indicator(1)
//   section_number(8) last_section_number(8) ... table body ... CRC_32(32)
//
// parse() takes one whole section (3 + section_length bytes), checks its CRC (Annex A) and
// its lengths; serialize() writes one with its CRC. Only single-section tables are produced.

inline constexpr std::size_t kMaxSectionSize = 1024;  // section_length <= 1021 (§2.4.4.3)
inline constexpr std::uint8_t kPatTableId = 0x00;
inline constexpr std::uint8_t kPmtTableId = 0x02;
inline constexpr std::uint8_t kRegistrationDescriptor = 0x05;  // §2.6.8
inline constexpr std::uint8_t kMetadataDescriptor = 0x26;      // §2.6.60
inline constexpr std::uint32_t kKlvaFormat = 0x4b4c5641;      // 'KLVA' (SMPTE RP 217)

// Checks one whole section: its size against section_length and kMaxSectionSize, and its CRC_32.
base::Status checkSection(std::span<const std::uint8_t> section);

struct Pat {
  struct Program {
    std::uint16_t number = 0;  // 0 = network PID
    std::uint16_t pid = 0;
    bool operator==(const Program&) const = default;
  };
  std::uint16_t transportStreamId = 1;
  std::uint8_t version = 0;
  std::vector<Program> programs;

  static base::Result<Pat> parse(std::span<const std::uint8_t> section);
  std::vector<std::uint8_t> serialize() const;
  bool operator==(const Pat&) const = default;
};

struct Pmt {
  struct Stream {
    std::uint8_t streamType = 0;
    std::uint16_t pid = 0;
    std::vector<std::uint8_t> descriptors;  // ES_info: tag, length, value...
    bool operator==(const Stream&) const = default;
  };
  std::uint16_t programNumber = 1;
  std::uint8_t version = 0;
  std::uint16_t pcrPid = 0x1fff;
  std::vector<std::uint8_t> programInfo;  // descriptors
  std::vector<Stream> streams;

  static base::Result<Pmt> parse(std::span<const std::uint8_t> section);
  std::vector<std::uint8_t> serialize() const;
  bool operator==(const Pmt&) const = default;
};

// True when a descriptor loop holds a registration descriptor with format_identifier 'KLVA',
// or a metadata descriptor (0x26) whose metadata_format_identifier is 'KLVA'.
bool hasKlvaDescriptor(std::span<const std::uint8_t> descriptors);

}  // namespace ocellus::format::mpegts
