#include "sources/testpattern/PatternEncoder.h"

#include <gtest/gtest.h>

#include <vector>

#include "codec/NalUnits.h"

namespace ocellus::sources::testpattern {
namespace {

TEST(PatternEncoderTest, HandsOutCanonicalUnitsThatDescribeTheirTrack) {
  auto encoder =
      PatternEncoder::create({.width = 320, .height = 240, .fps = 25, .bitrateKbps = 300, .gop = 3});
  ASSERT_TRUE(encoder.ok()) << encoder.error().describe();
  const base::SteadyTime received(std::chrono::seconds(7));
  std::vector<media::MutableUnitPtr> units;
  for (int i = 0; i < 4; ++i) {
    const auto status = (*encoder)->encodeNext(
        1'700'000'000'000 + i, received, [&](media::MutableUnitPtr u) { units.push_back(std::move(u)); });
    ASSERT_TRUE(status.ok()) << status.error().describe();
  }
  EXPECT_EQ((*encoder)->frames(), 4u);
  ASSERT_EQ(units.size(), 4u);
  for (std::size_t i = 0; i < units.size(); ++i) {
    EXPECT_EQ(units[i]->track, 0u);
    EXPECT_EQ(units[i]->pts, static_cast<std::int64_t>(i) * 90000 / 25);
    EXPECT_EQ(units[i]->dts, units[i]->pts);
    EXPECT_EQ(units[i]->keyframe, i % 3 == 0) << i;
    EXPECT_EQ(units[i]->received, received);
    EXPECT_TRUE(codec::NalUnits(units[i]->data).valid());
  }

  const auto track = PatternEncoder::describe(*units[0], 25);
  ASSERT_TRUE(track.ok()) << track.error().describe();
  EXPECT_EQ(track->codec, codec::CodecId::H264);
  EXPECT_EQ(track->width, 320);
  EXPECT_EQ(track->height, 240);
  EXPECT_EQ(track->fps, 25);
  EXPECT_FALSE(track->sps.empty());
  EXPECT_FALSE(track->pps.empty());
  // A P-frame carries no parameter sets.
  EXPECT_FALSE(PatternEncoder::describe(*units[1], 25).ok());
}

}  // namespace
}  // namespace ocellus::sources::testpattern
