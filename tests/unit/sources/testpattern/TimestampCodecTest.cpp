#include "sources/testpattern/TimestampCodec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "sources/testpattern/Renderer.h"

namespace ocellus::sources::testpattern {
namespace {

constexpr std::uint64_t kSomeMillis = 1'700'000'000'123;  // 2023-11-14T22:13:20.123Z

struct Luma {
  int width;
  int height;
  std::vector<std::uint8_t> pixels;

  std::optional<std::uint64_t> decode() const {
    return TimestampCodec::decode(pixels.data(), width, height, width);
  }
  std::uint8_t& at(int x, int y) { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

Luma rendered(int width, int height, std::uint64_t ms) {
  const auto renderer = Renderer::create(width, height);
  EXPECT_TRUE(renderer.ok());
  std::vector<std::uint8_t> frame(renderer->frameSize());
  EXPECT_TRUE(renderer->render(frame, 42, ms));
  frame.resize(static_cast<std::size_t>(width) * height);
  return Luma{width, height, std::move(frame)};
}

// Mid-grey plane with only the band drawn.
Luma banded(int width, int height, std::uint64_t ms) {
  Luma luma{width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height, 128)};
  TimestampCodec::encode(ms, luma.pixels.data(), width, height, width);
  return luma;
}

TEST(TimestampCodecTest, Crc8MatchesTheCatalogueCheckValue) {
  // CRC-8/SMBUS (poly 0x07, init 0, no reflection): check value 0xF4.
  const std::string_view check = "123456789";
  EXPECT_EQ(TimestampCodec::crc8({reinterpret_cast<const std::uint8_t*>(check.data()), check.size()}), 0xF4);
  const std::uint8_t one[] = {0, 0, 0, 0, 0, 1};
  EXPECT_EQ(TimestampCodec::crc8(one), 0x07);
}

TEST(TimestampCodecTest, BandHeightIsAtLeastOneTwentiethAndEven) {
  EXPECT_EQ(TimestampCodec::bandHeight(720), 36);
  EXPECT_EQ(TimestampCodec::bandHeight(360), 18);
  EXPECT_EQ(TimestampCodec::bandHeight(1080), 54);
  EXPECT_EQ(TimestampCodec::bandHeight(96), 16);
  EXPECT_EQ(TimestampCodec::bandHeight(460), 24);  // 23 rounded up
}

TEST(TimestampCodecTest, GoldenBlockLayout) {
  // ms = 1: sync 1010, 47 zero bits then a one, CRC 0x07 = 00000111, closing 0110.
  const Luma luma = banded(640, 360, 1);
  const std::string_view expected =
      "1010"
      "000000000000000000000000000000000000000000000001"
      "00000111"
      "0110";
  ASSERT_EQ(expected.size(), 64u);
  for (int y = 360 - 18; y < 360; ++y) {
    for (int block = 0; block < 64; ++block) {
      for (int x = block * 10; x < block * 10 + 10; ++x) {
        ASSERT_EQ(luma.pixels[y * 640 + x], expected[block] == '1' ? 235 : 16) << "block " << block;
      }
    }
  }
  EXPECT_EQ(luma.pixels[(360 - 19) * 640], 128);  // nothing drawn above the band
}

TEST(TimestampCodecTest, RoundTripsOnRenderedFramesOfManySizes) {
  const int sizes[][2] = {{128, 96}, {320, 180}, {640, 360}, {1000, 562}, {1280, 720}, {1920, 1080}};
  for (const auto& [width, height] : sizes) {
    for (std::uint64_t ms : {std::uint64_t{0}, kSomeMillis, TimestampCodec::kMaxMillis}) {
      EXPECT_EQ(rendered(width, height, ms).decode(), ms) << width << "x" << height;
    }
  }
}

TEST(TimestampCodecTest, KeepsOnlyTheLow48Bits) {
  EXPECT_EQ(banded(320, 180, (std::uint64_t{1} << 48) + 5).decode(), 5u);
}

TEST(TimestampCodecTest, HonoursStride) {
  const Luma tight = rendered(640, 360, kSomeMillis);
  const int stride = 704;
  std::vector<std::uint8_t> padded(static_cast<std::size_t>(stride) * 360, 255);
  for (int y = 0; y < 360; ++y) std::memcpy(&padded[y * stride], &tight.pixels[y * 640], 640);
  EXPECT_EQ(TimestampCodec::decode(padded.data(), 640, 360, stride), kSomeMillis);
}

TEST(TimestampCodecTest, SurvivesLevelShiftsNoiseAndDownscaling) {
  // Full-range conversion: 16 -> 0, 235 -> 255.
  Luma full = rendered(640, 360, kSomeMillis);
  for (auto& p : full.pixels) p = static_cast<std::uint8_t>(std::clamp((p - 16) * 255 / 219, 0, 255));
  EXPECT_EQ(full.decode(), kSomeMillis);

  // Low contrast and deterministic noise of +-40.
  Luma noisy = rendered(640, 360, kSomeMillis);
  std::uint32_t seed = 1;
  for (auto& p : noisy.pixels) {
    seed = seed * 1664525 + 1013904223;
    p = static_cast<std::uint8_t>(
        std::clamp(100 + (p - 16) * 80 / 219 + static_cast<int>(seed >> 24) % 81 - 40, 0, 255));
  }
  EXPECT_EQ(noisy.decode(), kSomeMillis);

  // 4x box downscale of 1280x720 to 320x180: 5 px blocks and a 9-row band.
  const Luma big = rendered(1280, 720, kSomeMillis);
  Luma small{320, 180, std::vector<std::uint8_t>(320 * 180)};
  for (int y = 0; y < 180; ++y) {
    for (int x = 0; x < 320; ++x) {
      int sum = 0;
      for (int dy = 0; dy < 4; ++dy) {
        for (int dx = 0; dx < 4; ++dx) sum += big.pixels[(y * 4 + dy) * 1280 + x * 4 + dx];
      }
      small.at(x, y) = static_cast<std::uint8_t>(sum / 16);
    }
  }
  EXPECT_EQ(small.decode(), kSomeMillis);

  // Nearest-neighbour to an odd size, where blocks are 5 or 6 px and misaligned.
  Luma odd{333, 187, std::vector<std::uint8_t>(333 * 187)};
  for (int y = 0; y < 187; ++y) {
    for (int x = 0; x < 333; ++x) odd.at(x, y) = big.pixels[(y * 720 / 187) * 1280 + x * 1280 / 333];
  }
  EXPECT_EQ(odd.decode(), kSomeMillis);
}

TEST(TimestampCodecTest, RejectsDamagedBands) {
  const Luma good = banded(640, 360, kSomeMillis);
  ASSERT_EQ(good.decode(), kSomeMillis);
  const auto flipBlock = [](Luma luma, int block) {
    for (int y = luma.height - 18; y < luma.height; ++y) {
      for (int x = block * 10; x < block * 10 + 10; ++x) luma.at(x, y) = luma.at(x, y) == 235 ? 16 : 235;
    }
    return luma;
  };
  EXPECT_EQ(flipBlock(good, 1).decode(), std::nullopt);   // sync
  EXPECT_EQ(flipBlock(good, 30).decode(), std::nullopt);  // payload, caught by the CRC
  EXPECT_EQ(flipBlock(good, 55).decode(), std::nullopt);  // CRC
  EXPECT_EQ(flipBlock(good, 62).decode(), std::nullopt);  // closing pattern

  Luma mirrored = good;
  for (int y = 0; y < 360; ++y) std::reverse(&mirrored.at(0, y), &mirrored.at(0, y) + 640);
  EXPECT_EQ(mirrored.decode(), std::nullopt);

  const Luma flat{640, 360, std::vector<std::uint8_t>(640 * 360, 128)};
  EXPECT_EQ(flat.decode(), std::nullopt);
}

TEST(TimestampCodecTest, RejectsPlanesOutsideTheLimits) {
  const Luma good = banded(640, 360, kSomeMillis);
  EXPECT_EQ(TimestampCodec::decode(nullptr, 640, 360, 640), std::nullopt);
  EXPECT_EQ(TimestampCodec::decode(good.pixels.data(), 640, 360, 639), std::nullopt);
  EXPECT_EQ(TimestampCodec::decode(good.pixels.data(), TimestampCodec::kMinWidth - 1, 360, 640),
            std::nullopt);
  EXPECT_EQ(TimestampCodec::decode(good.pixels.data(), 640, TimestampCodec::kMinHeight - 1, 640),
            std::nullopt);
  EXPECT_EQ(TimestampCodec::decode(good.pixels.data(), -640, 360, 640), std::nullopt);
}

}  // namespace
}  // namespace ocellus::sources::testpattern
