#include "bridge/Fmp4Tracks.h"

#include <gtest/gtest.h>

#include "fakes/TestTracks.h"
#include "format/fmp4/Fragment.h"
#include "unit/format/fmp4/Fmp4TestData.h"

namespace ocellus::bridge {
namespace {

using std::chrono::microseconds;
namespace fmp4 = format::fmp4;

constexpr std::int64_t kFrameTicks = fmp4::test::kFrameTicks;  // 15 fps, keyframe every 5 frames

struct Fixture {
  fmp4::test::VideoStream video = fmp4::test::loadVideo(false);
  base::SteadyTime start{std::chrono::hours(1)};

  media::TrackInfo videoInfo() const { return ocellus::test::h264Track(video); }

  media::UnitPtr frame(std::int64_t i, std::uint32_t track) const {
    auto u = media::UnitPool::forThisThread().acquire();
    u->track = track;
    u->dts = u->pts = 1000 + i * kFrameTicks;  // a source's clock need not start at 0
    u->keyframe = video.keyframes[static_cast<std::size_t>(i)];
    u->data = video.frames[static_cast<std::size_t>(i)];
    u->received = start + microseconds(i * kFrameTicks * 1000 / 90);
    return u;
  }
};

TEST(Fmp4TracksTest, ListsTheTracksItLeavesOut) {
  Fixture f;
  media::TrackInfo pcmu;
  pcmu.codec = codec::CodecId::PCMU;
  media::TrackInfo klv;
  klv.codec = codec::CodecId::KLV;
  auto tracks = Fmp4Tracks::create({pcmu, f.videoInfo(), klv}, base::Logger("test"));
  ASSERT_TRUE(tracks) << tracks.error().describe();
  ASSERT_EQ(tracks->skipped().size(), 2u);
  EXPECT_EQ(tracks->skipped()[0].track, 0u);
  EXPECT_EQ(tracks->skipped()[0].codec, codec::CodecId::PCMU);
  EXPECT_EQ(tracks->skipped()[1].track, 2u);
  EXPECT_FALSE(tracks->skipped()[1].reason.empty());
  EXPECT_EQ(tracks->muxer().tracks().size(), 1u);
  EXPECT_EQ(tracks->width(), 160);
  EXPECT_FALSE(Fmp4Tracks::create({pcmu}, base::Logger("test")));
}

TEST(Fmp4TracksTest, StartsAtTheFirstPrimaryKeyframeAndCountsFromThere) {
  Fixture f;
  auto tracks = Fmp4Tracks::create({f.videoInfo()}, base::Logger("test"));
  ASSERT_TRUE(tracks);
  EXPECT_FALSE(tracks->push(*f.frame(1, 0)));  // before any keyframe
  EXPECT_FALSE(tracks->start());
  EXPECT_TRUE(tracks->isPrimaryKeyframe(*f.frame(5, 0)));
  EXPECT_FALSE(tracks->isPrimaryKeyframe(*f.frame(6, 0)));
  const auto first = tracks->push(*f.frame(5, 0));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->decodeTime, 0);
  EXPECT_TRUE(first->primary && first->keyframe);
  EXPECT_EQ(tracks->start(), f.frame(5, 0)->received);
  ASSERT_TRUE(tracks->push(*f.frame(6, 0)));
  EXPECT_EQ(tracks->elapsed(*f.frame(10, 0)), microseconds(5 * kFrameTicks * 1000 / 90));
  // A timestamp that does not move forward is dropped and counted.
  EXPECT_FALSE(tracks->push(*f.frame(6, 0)));
  EXPECT_EQ(tracks->droppedUnits(), 1u);
}

TEST(Fmp4TracksTest, FinishGivesTheLastPrimarySampleItsSuccessorsStart) {
  Fixture f;
  auto tracks = Fmp4Tracks::create({f.videoInfo()}, base::Logger("test"));
  ASSERT_TRUE(tracks);
  for (std::int64_t i = 0; i < 4; ++i) ASSERT_TRUE(tracks->push(*f.frame(i, 0)));
  // The successor comes two frame intervals after the last frame (a frame was lost).
  auto successor = f.frame(5, 0);
  tracks->finish(successor.get());
  auto out = tracks->muxer().flush();
  ASSERT_TRUE(out) << out.error().describe();
  EXPECT_EQ(out->duration, static_cast<std::uint64_t>(5 * kFrameTicks));
  auto fragment = fmp4::Fragment::parse(out->bytes);
  ASSERT_TRUE(fragment);
  EXPECT_EQ(fragment->tracks[0].samples.back().duration, static_cast<std::uint32_t>(2 * kFrameTicks));

  // Without one, the last sample lasts as long as the one before it.
  auto again = Fmp4Tracks::create({f.videoInfo()}, base::Logger("test"));
  for (std::int64_t i = 0; i < 4; ++i) ASSERT_TRUE(again->push(*f.frame(i, 0)));
  again->finish();
  auto plain = again->muxer().flush();
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->duration, static_cast<std::uint64_t>(4 * kFrameTicks));
}

}  // namespace
}  // namespace ocellus::bridge
