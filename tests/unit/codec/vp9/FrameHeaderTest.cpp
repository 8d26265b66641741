#include "codec/vp9/FrameHeader.h"

#include <gtest/gtest.h>

#include <vector>

namespace ocellus::codec::vp9 {
namespace {

// Profile 0 key frame, 320x240: frame_marker 10, profile 00, show_existing 0, frame_type 0,
// show_frame 1, error_res 0 = 0x82; sync code 49 83 42; color_space 2 (BT.709, 3 bits),
// color_range 0; width-1 = 319, height-1 = 239 (16 bits each).
const std::vector<std::uint8_t> kKeyframe = {0x82, 0x49, 0x83, 0x42, 0x40, 0x13, 0xf0, 0x0e, 0xf0, 0x00};
// Inter frame: frame_marker 10, profile 00, show_existing 0, frame_type 1, show_frame 1.
const std::vector<std::uint8_t> kInter = {0x86, 0x00, 0x40};
// show_existing_frame 1, frame_to_show_map_idx 3.
const std::vector<std::uint8_t> kShowExisting = {0x8b};

TEST(Vp9FrameHeaderTest, KeyFrameWithSize) {
  const auto h = FrameHeader::parse(kKeyframe);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->keyframe);
  EXPECT_TRUE(h->showFrame);
  EXPECT_EQ(h->profile, 0);
  EXPECT_EQ(h->width, 320u);
  EXPECT_EQ(h->height, 240u);
}

TEST(Vp9FrameHeaderTest, InterAndShowExisting) {
  const auto inter = FrameHeader::parse(kInter);
  ASSERT_TRUE(inter);
  EXPECT_FALSE(inter->keyframe);
  const auto existing = FrameHeader::parse(kShowExisting);
  ASSERT_TRUE(existing);
  EXPECT_TRUE(existing->showExistingFrame);
  EXPECT_FALSE(existing->keyframe);
}

TEST(Vp9FrameHeaderTest, RejectsBadMarkerSyncAndShortFrames) {
  EXPECT_FALSE(FrameHeader::parse(std::vector<std::uint8_t>{0x02}));  // frame_marker 00
  auto bad = kKeyframe;
  bad[2] = 0x84;
  EXPECT_FALSE(FrameHeader::parse(bad));
  EXPECT_FALSE(FrameHeader::parse(std::span(kKeyframe).first(6)));
  EXPECT_FALSE(FrameHeader::parse(std::vector<std::uint8_t>{}));
}

}  // namespace
}  // namespace ocellus::codec::vp9
