#include "codec/vp8/FrameTag.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::codec::vp8 {
namespace {

// The first bytes of a 320x240 key frame and an inter frame from libvpx.
const std::vector<std::uint8_t> kKeyframe = {0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a,
                                             0x40, 0x01, 0xf0, 0x00, 0x00};
const std::vector<std::uint8_t> kInter = {0x31, 0x05, 0x00, 0x11, 0x22};

TEST(Vp8FrameTagTest, KeyFrameWithSize) {
  const auto tag = FrameTag::parse(kKeyframe);
  ASSERT_TRUE(tag);
  EXPECT_TRUE(tag->keyframe);
  EXPECT_TRUE(tag->showFrame);
  EXPECT_EQ(tag->version, 0);
  EXPECT_EQ(tag->firstPartSize, 0x212u);
  EXPECT_EQ(tag->width, 320);
  EXPECT_EQ(tag->height, 240);
}

TEST(Vp8FrameTagTest, InterFrame) {
  const auto tag = FrameTag::parse(kInter);
  ASSERT_TRUE(tag);
  EXPECT_FALSE(tag->keyframe);
  EXPECT_EQ(tag->firstPartSize, 0x29u);
}

TEST(Vp8FrameTagTest, RejectsShortAndBadStartCode) {
  EXPECT_FALSE(FrameTag::parse(std::vector<std::uint8_t>{0x50, 0x42}));
  auto bad = kKeyframe;
  bad[4] = 0x02;
  EXPECT_FALSE(FrameTag::parse(bad));
  EXPECT_FALSE(FrameTag::parse(std::span(kKeyframe).first(8)));
}

}  // namespace
}  // namespace ocellus::codec::vp8
