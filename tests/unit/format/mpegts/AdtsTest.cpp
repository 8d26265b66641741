#include "format/mpegts/Adts.h"

#include <gtest/gtest.h>

#include "unit/TestData.h"

namespace ocellus::format::mpegts {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(AdtsTest, WritesAndParsesAHeader) {
  codec::aac::AudioSpecificConfig config{2, 44100, 1};
  Bytes frame;
  ASSERT_TRUE(AdtsHeader::write(config, 10, frame).ok());
  frame.resize(17, 0x21);
  EXPECT_EQ(frame[0], 0xff);
  EXPECT_EQ(frame[1], 0xf1);
  auto h = AdtsHeader::parse(frame);
  ASSERT_TRUE(h.ok()) << h.error().describe();
  EXPECT_EQ(h->config, config);
  EXPECT_EQ(h->frameSize, 17u);
  EXPECT_EQ(h->headerSize, 7u);
  EXPECT_EQ(h->rawBlocks, 1u);
}

// tests/data/aac/sine_48000_stereo.aac: ffmpeg's ADTS output, AAC LC 48 kHz stereo.
TEST(AdtsTest, ParsesARealStream) {
  const Bytes stream = test::readTestData("aac/sine_48000_stereo.aac");
  ASSERT_FALSE(stream.empty());
  std::span<const std::uint8_t> rest(stream);
  int frames = 0;
  while (!rest.empty()) {
    auto h = AdtsHeader::parse(rest);
    ASSERT_TRUE(h.ok()) << h.error().describe();
    EXPECT_EQ(h->config, (codec::aac::AudioSpecificConfig{2, 48000, 2}));
    rest = rest.subspan(h->frameSize);
    ++frames;
  }
  EXPECT_GT(frames, 1);
}

TEST(AdtsTest, RejectsBadHeadersAndConfigs) {
  EXPECT_EQ(AdtsHeader::parse(Bytes{0xff, 0xf1, 0x50}).error().code, base::ErrorCode::Truncated);
  EXPECT_EQ(AdtsHeader::parse(Bytes{0xff, 0xe1, 0x50, 0x80, 0x01, 0x1f, 0xfc}).error().code,
            base::ErrorCode::Malformed);  // syncword
  EXPECT_EQ(AdtsHeader::parse(Bytes{0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc}).error().code,
            base::ErrorCode::Truncated);  // 16-byte frame in 7 bytes
  Bytes out;
  EXPECT_FALSE(AdtsHeader::write({5, 48000, 2}, 10, out).ok());     // SBR object type
  EXPECT_FALSE(AdtsHeader::write({2, 12345, 2}, 10, out).ok());     // no rate index
  EXPECT_FALSE(AdtsHeader::write({2, 48000, 2}, 9000, out).ok());   // over 13 bits
}

}  // namespace
}  // namespace ocellus::format::mpegts
