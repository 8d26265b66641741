#include "bridge/Fmp4Tracks.h"

#include <gtest/gtest.h>

#include "fakes/TestTracks.h"
#include "format/fmp4/Fragment.h"
#include "unit/codec/av1/Av1TestData.h"
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

TEST(Fmp4TracksTest, Av1IsMuxedOnceItsSequenceHeaderIsKnown) {
  media::TrackInfo av1;
  av1.codec = codec::CodecId::AV1;
  av1.width = 320;
  av1.height = 240;
  auto early = Fmp4Tracks::create({av1}, base::Logger("test"));  // a WHIP track before its first keyframe
  ASSERT_FALSE(early);
  av1.sequenceHeader = codec::av1::test::sequenceHeaderObu();
  auto tracks = Fmp4Tracks::create({av1}, base::Logger("test"));
  ASSERT_TRUE(tracks) << tracks.error().describe();
  EXPECT_EQ(tracks->codecs(), "av01.0.00M.08");
  EXPECT_EQ(tracks->muxer().tracks()[0].decoderConfig, codec::av1::test::av1c());
  EXPECT_EQ(tracks->width(), 320);
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

// Recordings keep KLV as a timed-metadata track beside the video, which stays primary whatever
// the stream's order; each KLV unit is one sample, timed from the first video keyframe.
TEST(Fmp4TracksTest, KeepsKlvWhenAsked) {
  Fixture f;
  media::TrackInfo klv;
  klv.codec = codec::CodecId::KLV;
  klv.clockRate = 90000;
  const std::vector<std::uint8_t> packet1 = {0x06, 0x0e, 0x2b, 0x34, 1, 2, 3};
  const std::vector<std::uint8_t> packet2 = {0x06, 0x0e, 0x2b, 0x34, 4, 5, 6, 7};
  const auto klvUnit = [&](std::int64_t frame, const std::vector<std::uint8_t>& bytes) {
    auto u = media::UnitPool::forThisThread().acquire();
    u->track = 0;
    u->dts = u->pts = 1000 + frame * kFrameTicks;
    u->data = bytes;
    u->received = f.start + microseconds(frame * kFrameTicks * 1000 / 90);
    return media::UnitPtr(std::move(u));  // not a keyframe: metadata needs none, every sample syncs
  };

  auto left = Fmp4Tracks::create({klv, f.videoInfo()}, base::Logger("test"));
  ASSERT_TRUE(left);
  ASSERT_EQ(left->skipped().size(), 1u);
  EXPECT_EQ(left->skipped()[0].reason, "KLV is kept in recordings only");
  EXPECT_FALSE(Fmp4Tracks::create({klv}, base::Logger("test"), Fmp4Tracks::Klv::Keep));

  auto tracks = Fmp4Tracks::create({klv, f.videoInfo()}, base::Logger("test"), Fmp4Tracks::Klv::Keep);
  ASSERT_TRUE(tracks) << tracks.error().describe();
  EXPECT_TRUE(tracks->skipped().empty());
  ASSERT_EQ(tracks->muxer().tracks().size(), 2u);
  EXPECT_EQ(tracks->muxer().primaryTrack(), 1u);
  EXPECT_EQ(tracks->codecs(), "avc1.42C01F");
  EXPECT_FALSE(tracks->isPrimaryKeyframe(*klvUnit(0, packet1)));

  EXPECT_FALSE(tracks->push(*klvUnit(0, packet1)));  // before the first video keyframe
  ASSERT_TRUE(tracks->push(*f.frame(0, 1)));
  const auto first = tracks->push(*klvUnit(0, packet1));
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->primary);
  EXPECT_TRUE(first->keyframe);
  for (std::int64_t i = 1; i < 4; ++i) ASSERT_TRUE(tracks->push(*f.frame(i, 1)));
  const auto second = tracks->push(*klvUnit(2, packet2));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->decodeTime, 2 * kFrameTicks);
  tracks->finish();
  auto out = tracks->muxer().flush();
  ASSERT_TRUE(out) << out.error().describe();
  auto fragment = fmp4::Fragment::parse(out->bytes);
  ASSERT_TRUE(fragment) << fragment.error().describe();
  const auto metadata = std::ranges::find(fragment->tracks, 1u, &fmp4::Fragment::ParsedTrack::trackId);
  ASSERT_NE(metadata, fragment->tracks.end());
  EXPECT_EQ(metadata->baseDecodeTime, 0u);
  ASSERT_EQ(metadata->samples.size(), 2u);
  EXPECT_TRUE(std::ranges::equal(metadata->samples[0].data, packet1));
  EXPECT_TRUE(std::ranges::equal(metadata->samples[1].data, packet2));
  EXPECT_EQ(metadata->samples[0].duration, static_cast<std::uint32_t>(2 * kFrameTicks));
  EXPECT_TRUE(metadata->samples[1].keyframe());
}

}  // namespace
}  // namespace ocellus::bridge
