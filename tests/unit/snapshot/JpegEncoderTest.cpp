#include "snapshot/JpegEncoder.h"

#include <gtest/gtest.h>

#include <cstring>

#include "unit/snapshot/JpegDecode.h"

namespace ocellus::snapshot {
namespace {

namespace ffmpeg = sources::ffmpeg;

using Size = JpegEncoder::Size;

TEST(JpegEncoderTest, ScaledSizeKeepsTheAspectWithAnEvenHeight) {
  EXPECT_EQ(JpegEncoder::scaledSize({1280, 720}, 0), (Size{1280, 720}));
  EXPECT_EQ(JpegEncoder::scaledSize({1280, 720}, 320), (Size{320, 180}));
  EXPECT_EQ(JpegEncoder::scaledSize({1920, 1080}, 640), (Size{640, 360}));
  EXPECT_EQ(JpegEncoder::scaledSize({1920, 1080}, 100), (Size{100, 56}));  // 56.25
  EXPECT_EQ(JpegEncoder::scaledSize({704, 576}, 350), (Size{350, 286}));   // 286.36
  EXPECT_EQ(JpegEncoder::scaledSize({4000, 16}, 16), (Size{16, 2}));       // never below 2
}

// A limited-range 4:2:0 picture (as most cameras send): the left half black (luma 16), the
// right half white (235), chroma neutral.
ffmpeg::FramePtr blackAndWhite(int width, int height, AVColorRange range) {
  ffmpeg::FramePtr frame(ffmpeg::loaded().av_frame_alloc());
  frame->format = AV_PIX_FMT_YUV420P;
  frame->width = width;
  frame->height = height;
  frame->color_range = range;
  EXPECT_EQ(ffmpeg::loaded().av_frame_get_buffer(frame.get(), 0), 0);
  for (int y = 0; y < height; ++y) {
    std::uint8_t* row = frame->data[0] + static_cast<std::ptrdiff_t>(y) * frame->linesize[0];
    std::memset(row, 16, width / 2);
    std::memset(row + width / 2, 235, width - width / 2);
  }
  for (int plane = 1; plane < 3; ++plane) {
    for (int y = 0; y < height / 2; ++y) {
      std::memset(frame->data[plane] + static_cast<std::ptrdiff_t>(y) * frame->linesize[plane], 128,
                  width / 2);
    }
  }
  return frame;
}

class JpegEncoderRangeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(ffmpeg::library().ok()) << ffmpeg::library().error().describe(); }
};

TEST_F(JpegEncoderRangeTest, ExpandsLimitedRangeSoBlackStaysBlack) {
  const auto picture = blackAndWhite(64, 48, AVCOL_RANGE_MPEG);
  const auto jpeg = JpegEncoder::encode(*picture, 0, 2);
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().describe();
  EXPECT_EQ(jpeg->width, 64);
  EXPECT_EQ(jpeg->height, 48);
  const auto decoded = test::decodeJpeg(jpeg->bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->format, AV_PIX_FMT_YUVJ420P);  // full range, as JFIF says
  EXPECT_LE(decoded->at(8, 24), 3);                 // 16 became 0, not a washed-out grey
  EXPECT_GE(decoded->at(56, 24), 252);              // 235 became 255
}

TEST_F(JpegEncoderRangeTest, KeepsFullRangeAsItIsAndScales) {
  const auto picture = blackAndWhite(64, 48, AVCOL_RANGE_JPEG);
  const auto jpeg = JpegEncoder::encode(*picture, 32, 2);
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().describe();
  const auto decoded = test::decodeJpeg(jpeg->bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->width, 32);
  EXPECT_EQ(decoded->height, 24);
  EXPECT_NEAR(decoded->at(4, 12), 16, 3);
  EXPECT_NEAR(decoded->at(28, 12), 235, 3);
}

}  // namespace
}  // namespace ocellus::snapshot
