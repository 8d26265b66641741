#include "format/flv/VideoTag.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::format::flv {
namespace {

using Bytes = std::vector<std::uint8_t>;

base::Error errorOf(const Bytes& body) {
  auto tag = VideoTag::parse(body);
  EXPECT_FALSE(tag.ok());
  return tag.ok() ? base::Error{} : tag.error();
}

TEST(VideoTagTest, LegacyAvcSequenceHeader) {
  const Bytes body{0x17, 0x00, 0x00, 0x00, 0x00, 0x01, 0x64, 0x00, 0x1F};
  auto tag = VideoTag::parse(body);
  ASSERT_TRUE(tag.ok());
  EXPECT_TRUE(tag->keyframe());
  EXPECT_FALSE(tag->enhanced);
  EXPECT_EQ(tag->codec, VideoCodec::H264);
  EXPECT_EQ(tag->packetType, VideoPacketType::SequenceStart);
  EXPECT_EQ(Bytes(tag->data.begin(), tag->data.end()), (Bytes{0x01, 0x64, 0x00, 0x1F}));
}

TEST(VideoTagTest, LegacyAvcNalusWithNegativeCompositionTime) {
  const Bytes body{0x27, 0x01, 0xFF, 0xFF, 0xD8, 0, 0, 0, 1, 0x41};
  auto tag = VideoTag::parse(body);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->frameType, VideoFrameType::Inter);
  EXPECT_EQ(tag->packetType, VideoPacketType::CodedFrames);
  EXPECT_EQ(tag->compositionTime, -40);
  EXPECT_EQ(tag->data.size(), 5u);
}

TEST(VideoTagTest, EnhancedHevcCodedFramesAndX) {
  const Bytes withCts{0x91, 'h', 'v', 'c', '1', 0x00, 0x00, 0x50, 0, 0, 0, 1, 0x26};
  auto tag = VideoTag::parse(withCts);
  ASSERT_TRUE(tag.ok());
  EXPECT_TRUE(tag->enhanced);
  EXPECT_TRUE(tag->keyframe());
  EXPECT_EQ(tag->codec, VideoCodec::H265);
  EXPECT_EQ(tag->packetType, VideoPacketType::CodedFrames);
  EXPECT_EQ(tag->compositionTime, 80);
  EXPECT_EQ(tag->data.size(), 5u);
  const Bytes x{0xA3, 'h', 'v', 'c', '1', 0, 0, 0, 1, 0x02};
  tag = VideoTag::parse(x);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->packetType, VideoPacketType::CodedFramesX);
  EXPECT_EQ(tag->compositionTime, 0);
  EXPECT_EQ(tag->data.size(), 5u);
}

TEST(VideoTagTest, EnhancedAv1AndVp9HaveNoCompositionTime) {
  const Bytes av1{0x91, 'a', 'v', '0', '1', 0x12, 0x00};
  auto tag = VideoTag::parse(av1);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->codec, VideoCodec::AV1);
  EXPECT_EQ(tag->data.size(), 2u);
  const Bytes vp9{0x90, 'v', 'p', '0', '9', 0x01, 0x02};
  tag = VideoTag::parse(vp9);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->codec, VideoCodec::VP9);
  EXPECT_EQ(tag->packetType, VideoPacketType::SequenceStart);
}

TEST(VideoTagTest, ErrorsNameWhatIsWrong) {
  auto e = errorOf(Bytes{});
  EXPECT_EQ(e.code, base::ErrorCode::Truncated);
  e = errorOf(Bytes{0x12, 0x00});  // H.263
  EXPECT_EQ(e.code, base::ErrorCode::Unsupported);
  EXPECT_NE(e.message.find("codec id 2"), std::string::npos);
  e = errorOf(Bytes{0x17, 0x01, 0x00});
  EXPECT_EQ(e.code, base::ErrorCode::Truncated);
  e = errorOf(Bytes{0x17, 0x05, 0, 0, 0});
  EXPECT_EQ(e.code, base::ErrorCode::Malformed);
  e = errorOf(Bytes{0x91, 'a', 'b', 'c', 'd'});
  EXPECT_EQ(e.code, base::ErrorCode::Unsupported);
  EXPECT_NE(e.message.find("abcd"), std::string::npos);
  e = errorOf(Bytes{0x96, 'h', 'v', 'c', '1'});  // multitrack
  EXPECT_EQ(e.code, base::ErrorCode::Unsupported);
  e = errorOf(Bytes{0x91, 'h', 'v', 'c'});
  EXPECT_EQ(e.code, base::ErrorCode::Truncated);
  e = errorOf(Bytes{0x91, 'h', 'v', 'c', '1', 0});
  EXPECT_EQ(e.code, base::ErrorCode::Truncated);
  e = errorOf(Bytes{0x07, 0x01, 0, 0, 0});  // frame type 0
  EXPECT_EQ(e.code, base::ErrorCode::Malformed);
}

TEST(VideoTagTest, BuildAndParseRoundTrip) {
  const Bytes unit{0, 0, 0, 2, 0x65, 0x88};
  for (const VideoCodec codec : {VideoCodec::H264, VideoCodec::H265, VideoCodec::AV1, VideoCodec::VP9}) {
    for (const std::int32_t cts : {0, 40, -33}) {
      for (const bool key : {true, false}) {
        const Bytes body = VideoTag::frame(codec, key, cts, unit);
        auto tag = VideoTag::parse(body);
        ASSERT_TRUE(tag.ok()) << tag.error().describe();
        EXPECT_EQ(tag->codec, codec);
        EXPECT_EQ(tag->keyframe(), key);
        const bool carriesCts = codec == VideoCodec::H264 || codec == VideoCodec::H265;
        EXPECT_EQ(tag->compositionTime, carriesCts ? cts : 0);
        EXPECT_EQ(Bytes(tag->data.begin(), tag->data.end()), unit);
        EXPECT_EQ(body.size(), VideoTag::frameHeader(codec, key, cts).size() + unit.size());
      }
    }
    const Bytes record{1, 2, 3};
    const Bytes startBody = VideoTag::sequenceStart(codec, record);
    auto start = VideoTag::parse(startBody);
    ASSERT_TRUE(start.ok());
    EXPECT_EQ(start->packetType, VideoPacketType::SequenceStart);
    EXPECT_TRUE(start->keyframe());
    EXPECT_EQ(Bytes(start->data.begin(), start->data.end()), record);
    const Bytes endBody = VideoTag::sequenceEnd(codec);
    auto end = VideoTag::parse(endBody);
    ASSERT_TRUE(end.ok());
    EXPECT_EQ(end->packetType, VideoPacketType::SequenceEnd);
    EXPECT_TRUE(end->data.empty());
  }
  EXPECT_EQ(VideoTag::frameHeader(VideoCodec::H264, true, 0), (Bytes{0x17, 0x01, 0, 0, 0}));
  EXPECT_EQ(VideoTag::frameHeader(VideoCodec::H265, false, 0), (Bytes{0xA3, 'h', 'v', 'c', '1'}));
}

}  // namespace
}  // namespace ocellus::format::flv
