#include "sources/testpattern/TimestampCodec.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace ocellus::sources::testpattern {

namespace {

constexpr std::array<bool, 4> kSync{true, false, true, false};
constexpr std::array<bool, 4> kClosing{false, true, true, false};
constexpr int kMillisBytes = TimestampCodec::kMillisBits / 8;
constexpr int kFirstMillisBlock = static_cast<int>(kSync.size());
constexpr int kFirstCrcBlock = kFirstMillisBlock + TimestampCodec::kMillisBits;
constexpr int kFirstClosingBlock = kFirstCrcBlock + 8;
static_assert(kFirstClosingBlock + static_cast<int>(kClosing.size()) == TimestampCodec::kBlocks);

using Blocks = std::array<bool, TimestampCodec::kBlocks>;

std::array<std::uint8_t, kMillisBytes> millisBytes(std::uint64_t ms) {
  std::array<std::uint8_t, kMillisBytes> bytes{};
  for (int i = 0; i < kMillisBytes; ++i) {
    bytes[i] = static_cast<std::uint8_t>(ms >> (8 * (kMillisBytes - 1 - i)));
  }
  return bytes;
}

// Writes `count` bits of `value`, most significant first, into blocks starting at `first`.
void putBits(Blocks& blocks, int first, int count, std::uint64_t value) {
  for (int i = 0; i < count; ++i) {
    blocks[first + i] = ((value >> (count - 1 - i)) & 1) != 0;
  }
}

std::uint64_t getBits(const Blocks& blocks, int first, int count) {
  std::uint64_t value = 0;
  for (int i = 0; i < count; ++i) {
    value = (value << 1) | (blocks[first + i] ? 1 : 0);
  }
  return value;
}

// Block i covers columns [blockStart(i), blockStart(i + 1)): the same fractions at any width.
int blockStart(int block, int width) {
  return block * width / TimestampCodec::kBlocks;
}

}  // namespace

int TimestampCodec::bandHeight(int height) {
  return (std::max(16, height / 20) + 1) & ~1;
}

std::uint8_t TimestampCodec::crc8(std::span<const std::uint8_t> bytes) {
  std::uint8_t crc = 0;
  for (std::uint8_t byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) {
      crc = static_cast<std::uint8_t>((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
    }
  }
  return crc;
}

void TimestampCodec::encode(std::uint64_t ms, std::uint8_t* luma, int width, int height, int stride) {
  ms &= kMaxMillis;
  Blocks blocks{};
  std::copy(kSync.begin(), kSync.end(), blocks.begin());
  putBits(blocks, kFirstMillisBlock, kMillisBits, ms);
  putBits(blocks, kFirstCrcBlock, 8, crc8(millisBytes(ms)));
  std::copy(kClosing.begin(), kClosing.end(), blocks.begin() + kFirstClosingBlock);

  for (int y = height - bandHeight(height); y < height; ++y) {
    std::uint8_t* row = luma + static_cast<std::ptrdiff_t>(y) * stride;
    for (int i = 0; i < kBlocks; ++i) {
      const int x0 = blockStart(i, width);
      std::memset(row + x0, blocks[i] ? kOne : kZero, blockStart(i + 1, width) - x0);
    }
  }
}

std::optional<std::uint64_t> TimestampCodec::decode(const std::uint8_t* luma, int width, int height,
                                                    int stride) {
  if (luma == nullptr || width < kMinWidth || width > kMaxWidth || height < kMinHeight ||
      height > kMaxHeight || stride < width) {
    return std::nullopt;
  }

  // Sample the middle half of the bottom height/20 rows and of each block, away from edges that
  // compression and scaling smear.
  const int zone = height / 20;
  const int y0 = height - zone + zone / 4;
  const int y1 = height - zone / 4;
  std::array<int, kBlocks> average{};
  for (int i = 0; i < kBlocks; ++i) {
    const int start = blockStart(i, width);
    const int end = blockStart(i + 1, width);
    const int x0 = start + (end - start) / 4;
    const int x1 = end - (end - start) / 4;
    int sum = 0;
    for (int y = y0; y < y1; ++y) {
      const std::uint8_t* row = luma + static_cast<std::ptrdiff_t>(y) * stride;
      for (int x = x0; x < x1; ++x) sum += row[x];
    }
    average[i] = sum / ((y1 - y0) * (x1 - x0));
  }

  const auto [lo, hi] = std::minmax_element(average.begin(), average.end());
  if (*hi - *lo < kMinContrast) return std::nullopt;
  Blocks blocks{};
  for (int i = 0; i < kBlocks; ++i) blocks[i] = 2 * average[i] > *lo + *hi;

  if (!std::equal(kSync.begin(), kSync.end(), blocks.begin()) ||
      !std::equal(kClosing.begin(), kClosing.end(), blocks.begin() + kFirstClosingBlock)) {
    return std::nullopt;
  }
  const std::uint64_t ms = getBits(blocks, kFirstMillisBlock, kMillisBits);
  if (getBits(blocks, kFirstCrcBlock, 8) != crc8(millisBytes(ms))) return std::nullopt;
  return ms;
}

}  // namespace ocellus::sources::testpattern
