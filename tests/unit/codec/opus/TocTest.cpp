#include "codec/opus/Toc.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::codec::opus {
namespace {

using Bytes = std::vector<std::uint8_t>;

std::uint8_t toc(unsigned config, unsigned code) {
  return static_cast<std::uint8_t>(config << 3 | code);
}

// RFC 6716 §3.1 Table 2: frame sizes by configuration number.
TEST(TocTest, FrameSizesFollowTable2) {
  const std::uint32_t silk[] = {480, 960, 1920, 2880};
  const std::uint32_t celt[] = {120, 240, 480, 960};
  for (unsigned config = 0; config < 12; ++config)
    EXPECT_EQ(frameSamples(toc(config, 0)), silk[config % 4]) << config;
  for (unsigned config = 12; config < 16; ++config) {
    EXPECT_EQ(frameSamples(toc(config, 0)), config % 2 ? 960u : 480u) << config;
  }
  for (unsigned config = 16; config < 32; ++config)
    EXPECT_EQ(frameSamples(toc(config, 0)), celt[config % 4]) << config;
}

// §3.2: code 0 one frame, codes 1 and 2 two frames, code 3 a count in the next byte.
TEST(TocTest, PacketDurationCountsFrames) {
  EXPECT_EQ(packetSamples(Bytes{toc(31, 0), 0xaa}), 960u);        // CELT FB 20 ms
  EXPECT_EQ(packetSamples(Bytes{toc(1, 1), 0xaa, 0xbb}), 1920u);  // SILK NB 20 ms x 2
  EXPECT_EQ(packetSamples(Bytes{toc(13, 2), 1, 0xaa, 0xbb}), 1920u);
  EXPECT_EQ(packetSamples(Bytes{toc(16, 3), 0x80 | 48}), 5760u);  // 48 x 2.5 ms, VBR bit set
  EXPECT_EQ(packetSamples(Bytes{toc(3, 1)}), 5760u);              // 2 x 60 ms: the 120 ms limit
}

TEST(TocTest, RejectsImpossiblePackets) {
  EXPECT_FALSE(packetSamples(Bytes{}));
  EXPECT_FALSE(packetSamples(Bytes{toc(31, 3)}));        // no frame count byte
  EXPECT_FALSE(packetSamples(Bytes{toc(31, 3), 0x00}));  // zero frames
  EXPECT_FALSE(packetSamples(Bytes{toc(3, 3), 3}));      // 180 ms
  EXPECT_FALSE(packetSamples(Bytes{toc(19, 3), 7}));     // 7 x 20 ms
}

}  // namespace
}  // namespace ocellus::codec::opus
