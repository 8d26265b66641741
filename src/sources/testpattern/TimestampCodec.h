#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace ocellus::sources::testpattern {

// The machine-readable wall-clock band at the bottom of a test-pattern frame (docs/timestamp.md).
// A row of 64 black/white blocks across the full width:
//   blocks 0..3   sync 1,0,1,0
//   blocks 4..51  milliseconds since the Unix epoch, 48 bits, most significant bit first
//   blocks 52..59 CRC-8 (poly 0x07, init 0) over those 48 bits as 6 big-endian bytes
//   blocks 60..63 closing 0,1,1,0 (not the mirror of the sync, so a flipped picture fails)
// Block i spans columns [i*W/64, (i+1)*W/64); a 1 is luma 235, a 0 luma 16, chroma is neutral.
// The band is bandHeight(H) rows tall, so it always covers at least the bottom H/20 rows: the
// decoder relies only on that, which keeps it independent of the size the frame was drawn at.
class TimestampCodec {
 public:
  static constexpr int kBlocks = 64;
  static constexpr int kMillisBits = 48;
  static constexpr std::uint64_t kMaxMillis = (std::uint64_t{1} << kMillisBits) - 1;
  static constexpr std::uint8_t kOne = 235;
  static constexpr std::uint8_t kZero = 16;
  // The band needs two pixels per block and one row to sample; smaller pictures are refused.
  static constexpr int kMinWidth = 2 * kBlocks;
  static constexpr int kMinHeight = 20;
  static constexpr int kMaxWidth = 8192;
  static constexpr int kMaxHeight = 8192;
  // Block averages must spread at least this much, or the picture holds no band.
  static constexpr int kMinContrast = 64;

  // Rows the encoder draws: max(16, height / 20), rounded up to even so chroma rows align.
  static int bandHeight(int height);

  // Draws the band for `ms` (only its low 48 bits) into the bottom bandHeight(height) rows of a
  // luma plane. Needs width >= kMinWidth and height >= kMinHeight; the caller sets chroma neutral.
  static void encode(std::uint64_t ms, std::uint8_t* luma, int width, int height, int stride);

  // Reads the band from a luma plane of any size the frame was scaled to: averages the centre of
  // each block within the bottom height/20 rows, thresholds at the midpoint of the darkest and
  // brightest block, then checks sync, closing pattern and CRC. Reads only rows [0, height) of
  // `stride` bytes, `width` of each. nullopt if the band is absent or damaged, or the plane is outside
  // [kMinWidth, kMaxWidth] x [kMinHeight, kMaxHeight].
  static std::optional<std::uint64_t> decode(const std::uint8_t* luma, int width, int height, int stride);

  // CRC-8 with polynomial x^8 + x^2 + x + 1 (0x07), init 0, no reflection, no final xor
  // (the CRC of ATM HEC / SMBus PEC; check value 0xF4 for "123456789").
  static std::uint8_t crc8(std::span<const std::uint8_t> bytes);
};

}  // namespace ocellus::sources::testpattern
