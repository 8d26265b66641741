#include "codec/aac/AudioSpecificConfig.h"

#include <gtest/gtest.h>

namespace ocellus::codec::aac {
namespace {

using Bytes = std::vector<std::uint8_t>;

// config=1190 is what FFmpeg's SDP gives for AAC LC 48 kHz stereo (tests/data/rtp/aac_48000_stereo.sdp).
TEST(AudioSpecificConfigTest, ParsesAacLc) {
  auto config = AudioSpecificConfig::parseHex("1190");
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->objectType, 2);
  EXPECT_EQ(config->sampleRate, 48000u);
  EXPECT_EQ(config->channelConfig, 2);
  EXPECT_EQ(config->hex(), "1190");

  auto mono = AudioSpecificConfig::parse(Bytes{0x12, 0x08});
  ASSERT_TRUE(mono);
  EXPECT_EQ(mono->sampleRate, 44100u);
  EXPECT_EQ(mono->channelConfig, 1);
}

// 00010 (LC) 1111 (explicit) 0x0055f0 (22000 Hz) 0010 (stereo), zero padded.
TEST(AudioSpecificConfigTest, ParsesAndWritesAnExplicitRate) {
  const Bytes bytes = {0x17, 0x80, 0x2a, 0xf8, 0x10};
  auto config = AudioSpecificConfig::parse(bytes);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->objectType, 2);
  EXPECT_EQ(config->sampleRate, 22000u);
  EXPECT_EQ(config->channelConfig, 2);
  EXPECT_EQ(config->serialize(), bytes);
}

// 11111 then 001010: audioObjectType 32 + 10 = 42 (USAC); 0011 (48 kHz); 0010 (stereo).
TEST(AudioSpecificConfigTest, ParsesAndWritesAnEscapedObjectType) {
  const Bytes bytes = {0xf9, 0x46, 0x40};
  auto config = AudioSpecificConfig::parse(bytes);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->objectType, 42);
  EXPECT_EQ(config->sampleRate, 48000u);
  EXPECT_EQ(config->channelConfig, 2);
  EXPECT_EQ(config->serialize(), bytes);
  EXPECT_EQ(config->hex(), "f94640");
}

TEST(AudioSpecificConfigTest, WritesATableRateAsItsIndex) {
  AudioSpecificConfig config;
  config.sampleRate = 8000;
  config.channelConfig = 1;
  EXPECT_EQ(config.hex(), "1588");
  EXPECT_EQ(AudioSpecificConfig::parse(config.serialize()).value(), config);
}

TEST(AudioSpecificConfigTest, RejectsTruncatedAndReservedValues) {
  EXPECT_EQ(AudioSpecificConfig::parse(Bytes{0x11}).error().code, base::ErrorCode::Truncated);
  EXPECT_EQ(AudioSpecificConfig::parse(Bytes{0x17, 0x80, 0x2a}).error().code, base::ErrorCode::Truncated);
  EXPECT_EQ(AudioSpecificConfig::parse(Bytes{0xf9}).error().code, base::ErrorCode::Truncated);
  EXPECT_EQ(AudioSpecificConfig::parse(Bytes{0x16, 0x90}).error().code,
            base::ErrorCode::Malformed);  // index 13
  EXPECT_EQ(AudioSpecificConfig::parse(Bytes{0x01, 0x90}).error().code,
            base::ErrorCode::Malformed);  // type 0
  EXPECT_EQ(AudioSpecificConfig::parse(Bytes{0x17, 0x80, 0x00, 0x00, 0x10}).error().code,
            base::ErrorCode::Malformed);  // explicit rate 0
}

TEST(AudioSpecificConfigTest, RejectsBadHex) {
  EXPECT_FALSE(AudioSpecificConfig::parseHex("119"));
  EXPECT_FALSE(AudioSpecificConfig::parseHex("11g0"));
  EXPECT_FALSE(AudioSpecificConfig::parseHex(""));
  EXPECT_TRUE(AudioSpecificConfig::parseHex("1190FF"));  // trailing fields are allowed
  EXPECT_TRUE(AudioSpecificConfig::parseHex("11B0"));    // upper case
}

}  // namespace
}  // namespace ocellus::codec::aac
