#include "bridge/HlsPackager.h"

#include <gtest/gtest.h>

#include "fakes/FakeClock.h"
#include "fakes/TestTracks.h"
#include "format/fmp4/Fragment.h"
#include "format/fmp4/InitSegment.h"
#include "unit/format/fmp4/Fmp4TestData.h"

namespace ocellus::bridge {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
namespace fmp4 = format::fmp4;

constexpr std::int64_t kFrameTicks = fmp4::test::kFrameTicks;  // 15 fps, keyframe every 5 frames

using ocellus::test::aacTrack;
using ocellus::test::h264Track;

struct Fixture {
  fmp4::test::VideoStream video = fmp4::test::loadVideo(false);
  test::FakeClock clock;
  base::SteadyTime start = clock.now();
  base::WallTime wallStart = clock.wallNow();
  proto::hls::RingConfig ring{.targetDuration = milliseconds(1000), .partTarget = milliseconds(200), .maxSegments = 20};

  std::unique_ptr<HlsPackager> make(std::vector<media::TrackInfo> tracks) {
    auto p = HlsPackager::create(tracks, ring, clock, base::Logger("test"));
    EXPECT_TRUE(p) << p.error().describe();
    return std::move(p).value();
  }

  // Frame i of an endless repetition of the vector, received in real time; the clock follows.
  media::UnitPtr frame(std::int64_t i, std::uint32_t track = 0) {
    const std::size_t n = video.frames.size() - video.frames.size() % 5;
    auto u = media::UnitPool::forThisThread().acquire();
    u->track = track;
    u->dts = u->pts = i * kFrameTicks;
    u->keyframe = video.keyframes[static_cast<std::size_t>(i) % n];
    u->data = video.frames[static_cast<std::size_t>(i) % n];
    u->received = start + microseconds(i * kFrameTicks * 1000 / 90);
    clock.advance(std::chrono::duration_cast<milliseconds>(u->received - clock.now()));
    return u;
  }
};

TEST(HlsPackagerTest, CutsPartsAtTheTargetAndSegmentsAtKeyframes) {
  Fixture f;
  auto p = f.make({h264Track(f.video)});
  EXPECT_EQ(p->codecs().substr(0, 5), "avc1.");
  EXPECT_EQ(p->width(), 160);
  for (std::int64_t i = 0; i < 15 * 10; ++i) p->push(*f.frame(i));
  const auto& ring = p->ring();
  ASSERT_TRUE(ring.lastCompleteMsn());
  EXPECT_GE(ring.segments().size(), 7u);
  std::uint32_t sequence = 0;
  for (const auto& s : ring.segments()) {
    ASSERT_FALSE(s.parts.empty());
    EXPECT_TRUE(s.parts.front().independent) << "segment " << s.msn << " starts with a keyframe";
    microseconds sum{0};
    for (const auto& part : s.parts) {
      // 200 ms is three frames; a part cut early before a keyframe is shorter.
      EXPECT_LE(part.duration, microseconds(200'000));
      EXPECT_GT(part.duration, microseconds(0));
      sum += part.duration;
      auto fragment = fmp4::Fragment::parse(*part.bytes);
      ASSERT_TRUE(fragment) << fragment.error().describe();
      EXPECT_EQ(fragment->sequenceNumber, ++sequence);
      EXPECT_EQ(fragment->tracks.at(0).samples.front().keyframe(), part.independent);
    }
    EXPECT_EQ(sum, s.duration);
    if (!s.complete) continue;
    // Keyframes every 5 frames (333 ms): a segment closes at the first one after 1 s.
    EXPECT_GE(s.duration, milliseconds(1000));
    EXPECT_LT(s.duration, milliseconds(1000) + microseconds(5 * kFrameTicks * 1000 / 90));
  }
  auto init = fmp4::InitSegment::parse(*ring.init());
  ASSERT_TRUE(init) << init.error().describe();
  ASSERT_EQ(init->tracks.size(), 1u);
  EXPECT_EQ(init->tracks[0].codec, codec::CodecId::H264);
}

TEST(HlsPackagerTest, ProgramDateTimeIsTheFirstSamplesReceiveTime) {
  Fixture f;
  auto p = f.make({h264Track(f.video)});
  for (std::int64_t i = 0; i < 15 * 4; ++i) p->push(*f.frame(i));
  const auto wall0 = std::chrono::duration_cast<milliseconds>(f.wallStart.time_since_epoch());
  microseconds media{0};
  for (const auto& s : p->ring().segments()) {
    // The fake clock moves in whole milliseconds, like the playlist's date times.
    EXPECT_NEAR(static_cast<double>(s.programDateTime.count()),
                static_cast<double>((wall0 + std::chrono::duration_cast<milliseconds>(media)).count()), 1.0)
        << "segment " << s.msn;
    media += s.duration;
  }
}

TEST(HlsPackagerTest, StartsAtTheFirstKeyframeAndAlignsLateTracks) {
  Fixture f;
  auto p = f.make({h264Track(f.video), aacTrack()});
  EXPECT_NE(p->codecs().find(",mp4a.40.2"), std::string::npos) << p->codecs();
  const auto aac = fmp4::test::loadAac(200);
  // Frames 1..4 come before any keyframe the packager sees: dropped, audio too.
  std::size_t audio = 0;
  auto pushAudioUntil = [&](base::SteadyTime t) {
    // AAC frames of 1024 samples at 48 kHz (21.3 ms), numbered from 0 by their source.
    while (audio < aac.frames.size() && f.start + microseconds(static_cast<std::int64_t>(audio) * 1024 * 1'000'000 / 48000) <= t) {
      auto u = media::UnitPool::forThisThread().acquire();
      u->track = 1;
      u->dts = u->pts = static_cast<std::int64_t>(audio) * 1024;
      u->keyframe = false;
      u->data = aac.frames[audio];
      u->received = f.start + microseconds(static_cast<std::int64_t>(audio) * 1024 * 1'000'000 / 48000);
      p->push(*u);
      ++audio;
    }
  };
  for (std::int64_t i = 1; i < 15 * 4; ++i) {
    auto u = f.frame(i);
    pushAudioUntil(u->received);
    p->push(*u);
  }
  const auto& segments = p->ring().segments();
  ASSERT_FALSE(segments.empty());
  auto first = fmp4::Fragment::parse(*segments.front().parts.front().bytes);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->tracks.size(), 2u);
  EXPECT_EQ(first->tracks[0].baseDecodeTime, 0u);
  EXPECT_TRUE(first->tracks[0].samples.front().keyframe());
  // The audio frames before frame 5 (333 ms) were dropped: the first one kept was received at
  // or after it, and its decode time starts there (within one AAC frame).
  EXPECT_NEAR(static_cast<double>(first->tracks[1].baseDecodeTime), 0.0, 1024.0);
}

TEST(HlsPackagerTest, SkipsTracksItCannotMuxAndFinishesTheRing) {
  Fixture f;
  media::TrackInfo pcmu;
  pcmu.codec = codec::CodecId::PCMU;
  pcmu.clockRate = 8000;
  auto p = f.make({pcmu, h264Track(f.video)});
  EXPECT_EQ(p->codecs().find(','), std::string::npos) << p->codecs();
  for (std::int64_t i = 0; i < 15 * 2; ++i) {
    auto u = media::UnitPool::forThisThread().acquire();
    u->track = 0;  // PCMU: ignored
    u->data = {1, 2, 3};
    p->push(*u);
    p->push(*f.frame(i, 1));
  }
  p->finish();
  EXPECT_TRUE(p->ring().finished());
  EXPECT_TRUE(p->ring().segments().back().complete);
  // The last frame was held back for its duration; finish() gave it the previous one.
  microseconds total{0};
  for (const auto& s : p->ring().segments()) total += s.duration;
  // (Each part's duration is rounded down to a microsecond.)
  EXPECT_NEAR(static_cast<double>(total.count()), 30.0 * kFrameTicks * 1000 / 90, 20.0);
  EXPECT_TRUE(p->describes({pcmu, h264Track(f.video)}));
  auto changed = h264Track(f.video);
  changed.width = 320;
  EXPECT_FALSE(p->describes({pcmu, changed}));
}

TEST(HlsPackagerTest, RefusesAStreamWithNothingToMux) {
  Fixture f;
  media::TrackInfo noSps;
  noSps.codec = codec::CodecId::H264;
  auto p = HlsPackager::create({noSps}, f.ring, f.clock, base::Logger("test"));
  EXPECT_FALSE(p);
}

}  // namespace
}  // namespace ocellus::bridge
