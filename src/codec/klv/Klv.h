#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/ByteReader.h"
#include "base/ByteWriter.h"
#include "base/Result.h"

namespace ocellus::codec::klv {

// KLV coding (SMPTE ST 336): a 16-byte Universal Label key, a BER length, then the value.
//
//   +------------------+-------------------+--------------------+
//   | key (16 bytes)   | BER length (1..9) | value (length)     |
//   +------------------+-------------------+--------------------+
//
// A BER length is short form (one byte < 0x80) or long form (0x80 | n, then n big-endian
// bytes, ST 336 §6.3.3); the indefinite form 0x80 is not allowed. Local sets (MISB ST 0601)
// use BER-OID tags: 7 bits per byte, high bit set on every byte but the last (ST 336 §6.3.2).
// All readers are bounded and leave the reader unchanged on failure.

inline constexpr std::size_t kKeySize = 16;
inline constexpr std::size_t kMaxBerLengthBytes = 8;  // long form 0x81..0x88
inline constexpr std::size_t kMaxBerOidBytes = 4;     // 28-bit tags, far beyond any 0601 tag
// No metadata packet we take is larger; the MPEG-TS demuxer caps a KLV PES well below this.
inline constexpr std::uint64_t kMaxValueSize = 16u * 1024 * 1024;

using UniversalLabel = std::array<std::uint8_t, kKeySize>;

// One key-length-value triplet as views into the buffer it was read from.
struct Triplet {
  UniversalLabel key{};
  std::span<const std::uint8_t> value;
  std::span<const std::uint8_t> whole;  // key, length and value
};

base::Result<std::uint64_t> readBerLength(base::ByteReader& r);
// Short form below 128, otherwise the shortest long form.
void writeBerLength(std::uint64_t length, base::ByteWriter& w);

base::Result<std::uint32_t> readBerOid(base::ByteReader& r);
void writeBerOid(std::uint32_t value, base::ByteWriter& w);

// Reads one triplet; its value must be inside the reader and at most kMaxValueSize.
base::Result<Triplet> readTriplet(base::ByteReader& r);
void writeTriplet(const UniversalLabel& key, std::span<const std::uint8_t> value, base::ByteWriter& w);

// Iterates over a buffer of consecutive triplets (one KLV PES payload, one file):
//   for (KlvReader r(buf); !r.atEnd();) { auto t = r.next(); if (!t) break; ... }
// After an error the reader is at its end, so the loop stops.
class KlvReader {
 public:
  explicit KlvReader(std::span<const std::uint8_t> data) : reader_(data) {}
  bool atEnd() const { return failed_ || reader_.empty(); }
  base::Result<Triplet> next();

 private:
  base::ByteReader reader_;
  bool failed_ = false;
};

}  // namespace ocellus::codec::klv
