#include "snapshot/GopDecoder.h"

#include <gtest/gtest.h>

#include "codec/AnnexB.h"
#include "sources/testpattern/H264Encoder.h"
#include "sources/testpattern/Renderer.h"
#include "sources/testpattern/TimestampCodec.h"

namespace ocellus::snapshot {
namespace {

using namespace sources::testpattern;

constexpr std::uint64_t kSomeMillis = 1'700'000'000'123;

media::UnitPtr makeUnit(std::uint32_t track, std::int64_t pts, bool key, std::vector<std::uint8_t> data,
                        base::SteadyTime received = {}) {
  auto unit = media::UnitPool::forThisThread().acquire();
  unit->track = track;
  unit->pts = unit->dts = pts;
  unit->keyframe = key;
  unit->received = received;
  unit->data = std::move(data);
  return unit;
}

media::TrackInfo h264Track() {
  media::TrackInfo track;
  track.codec = codec::CodecId::H264;
  return track;
}

// Frames 0..count-1 of the test pattern at 320x240, 30 fps, in canonical form on track 0, with an
// audio unit (track 1) after each to be skipped. Frame i shows kSomeMillis + i and arrived at
// steady time i ms.
std::vector<media::UnitPtr> patternGop(int count) {
  auto encoder = H264Encoder::create({.width = 320, .height = 240, .fps = 30, .bitrateKbps = 500});
  EXPECT_TRUE(encoder.ok());
  const auto renderer = Renderer::create(320, 240);
  std::vector<std::uint8_t> frame(renderer->frameSize());
  std::vector<media::UnitPtr> units;
  for (int i = 0; i < count; ++i) {
    renderer->render(frame, i, kSomeMillis + i);
    const auto status =
        (*encoder)->encode(frame.data(), i * 3000, [&](auto annexB, std::int64_t pts, bool key) {
          std::vector<std::uint8_t> canonical;
          codec::annexBToCanonical(annexB, canonical);
          units.push_back(
              makeUnit(0, pts, key, std::move(canonical), base::SteadyTime(std::chrono::milliseconds(i))));
          units.push_back(makeUnit(1, pts, false, {0x21, 0x10}));
        });
    EXPECT_TRUE(status.ok());
  }
  return units;
}

class GopDecoderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(sources::ffmpeg::library().ok()); }
};

TEST_F(GopDecoderTest, DecodesTheNewestPictureOfTheGop) {
  const auto units = patternGop(5);
  const auto picture = GopDecoder::decodeNewest(h264Track(), 0, units, "cam");
  ASSERT_TRUE(picture.ok()) << picture.error().describe();
  const AVFrame& frame = *picture->frame;
  EXPECT_EQ(frame.width, 320);
  EXPECT_EQ(frame.height, 240);
  EXPECT_EQ(frame.pts, 4 * 3000);
  EXPECT_EQ(picture->received, base::SteadyTime(std::chrono::milliseconds(4)));
  EXPECT_EQ(TimestampCodec::decode(frame.data[0], frame.width, frame.height, frame.linesize[0]),
            kSomeMillis + 4);
}

TEST_F(GopDecoderTest, RefusesCodecsItCannotDecode) {
  media::TrackInfo aac;
  aac.codec = codec::CodecId::AAC;
  const auto picture = GopDecoder::decodeNewest(aac, 0, {makeUnit(0, 0, true, {1, 2, 3})}, "cam");
  ASSERT_FALSE(picture.ok());
  EXPECT_EQ(picture.error().code, base::ErrorCode::Unsupported);
}

TEST_F(GopDecoderTest, GarbageDecodesToNoPicture) {
  const std::vector<media::UnitPtr> units = {makeUnit(0, 0, true, {0, 0, 0, 4, 0x65, 0xff, 0xff, 0xff}),
                                             makeUnit(0, 3000, false, {0, 0, 0, 2, 0x41, 0x00})};
  const auto picture = GopDecoder::decodeNewest(h264Track(), 0, units, "cameras/x");
  ASSERT_FALSE(picture.ok());
  EXPECT_EQ(picture.error().code, base::ErrorCode::Malformed);
  EXPECT_NE(picture.error().message.find("cameras/x"), std::string::npos);
}

}  // namespace
}  // namespace ocellus::snapshot
