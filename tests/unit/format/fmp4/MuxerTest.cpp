#include "format/fmp4/Muxer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "unit/format/fmp4/Fmp4TestData.h"
#include "format/fmp4/Fragment.h"
#include "format/fmp4/InitSegment.h"

namespace ocellus::format::fmp4 {
namespace {

using test::Bytes;

// Muxes the vectors and cuts a fragment whenever the video track has ~200 ms ready (3 frames).
// With OCELLUS_FMP4_DUMP=<dir> set, the output lands in <dir>/<name>.mp4 (init then fragments).
// Checked by hand with Debian 12's FFmpeg 5.1 on that file:
//   ffprobe -v error -show_streams x.mp4          (h264 160x120 + aac 48 kHz; hevc 160x120)
//   ffmpeg -v error -i x.mp4 -f null -            (decodes without a message, H.264+AAC and H.265)
//   ffprobe -show_frames -show_entries frame=pts  (H.265 pts come out I B P B P in display order)
struct Muxed {
  Bytes init;
  std::vector<Muxer::Output> fragments;
};

Muxed mux(const test::VideoStream& video, const test::AudioStream* audio, const char* dumpName) {
  std::vector<TrackConfig> tracks = {video.track};
  if (audio) tracks.push_back(audio->track);
  auto muxer = Muxer::create(tracks);
  EXPECT_TRUE(muxer) << muxer.error().describe();
  Muxed out;
  out.init = muxer->initSegment();
  std::size_t a = 0;
  for (std::size_t v = 0; v < video.frames.size(); ++v) {
    // Audio up to this video frame's time, so the tracks interleave as a live source would.
    while (audio && a < audio->frames.size() &&
           static_cast<std::int64_t>(a) * test::kAacFrameSamples * 90000 / 48000 <= video.dts[v]) {
      const std::int64_t t = static_cast<std::int64_t>(a) * test::kAacFrameSamples;
      EXPECT_TRUE(muxer->push(1, {audio->frames[a], t, t, true}));
      ++a;
    }
    EXPECT_TRUE(muxer->push(0, {video.frames[v], video.dts[v], video.pts[v], video.keyframes[v]}));
    if (muxer->readyDuration(0) >= 3 * test::kFrameTicks) out.fragments.push_back(*muxer->flush());
  }
  EXPECT_TRUE(muxer->finish(0, test::kFrameTicks));
  if (audio) {
    EXPECT_TRUE(muxer->finish(1, test::kAacFrameSamples));
  }
  out.fragments.push_back(*muxer->flush());
  if (const char* dir = std::getenv("OCELLUS_FMP4_DUMP")) {
    std::ofstream file(std::string(dir) + "/" + dumpName + ".mp4", std::ios::binary);
    file.write(reinterpret_cast<const char*>(out.init.data()), static_cast<std::streamsize>(out.init.size()));
    for (const auto& f : out.fragments) {
      file.write(reinterpret_cast<const char*>(f.bytes.data()), static_cast<std::streamsize>(f.bytes.size()));
    }
  }
  return out;
}

TEST(MuxerTest, H264AndAacReadBack) {
  const auto video = test::loadVideo(false);
  const auto audio = test::loadAac(29);
  ASSERT_EQ(video.frames.size(), 10u);
  ASSERT_EQ(audio.frames.size(), 29u);
  const Muxed muxed = mux(video, &audio, "h264_aac");

  auto init = InitSegment::parse(muxed.init);
  ASSERT_TRUE(init) << init.error().describe();
  EXPECT_EQ(init->majorBrand, fourCc("iso6"));
  ASSERT_EQ(init->tracks.size(), 2u);
  EXPECT_EQ(init->tracks[0], video.track);
  EXPECT_EQ(init->tracks[1], audio.track);

  // Every sample comes back in order with its bytes, timing and sync flag.
  std::size_t v = 0, a = 0;
  std::uint32_t expectedSequence = 1;
  for (const auto& out : muxed.fragments) {
    auto fragment = Fragment::parse(out.bytes);
    ASSERT_TRUE(fragment) << fragment.error().describe();
    EXPECT_EQ(fragment->sequenceNumber, expectedSequence++);
    EXPECT_EQ(fragment->size, out.bytes.size());
    EXPECT_EQ(out.independent, video.keyframes[v]);
    for (const auto& track : fragment->tracks) {
      if (track.trackId == 1) {
        EXPECT_EQ(track.baseDecodeTime, static_cast<std::uint64_t>(video.dts[v]));
        for (const auto& s : track.samples) {
          EXPECT_TRUE(std::ranges::equal(s.data, video.frames[v])) << v;
          EXPECT_EQ(s.keyframe(), video.keyframes[v]) << v;
          EXPECT_EQ(s.duration, test::kFrameTicks);
          ++v;
        }
      } else {
        ASSERT_EQ(track.trackId, 2u);
        EXPECT_EQ(track.baseDecodeTime, a * test::kAacFrameSamples);
        for (const auto& s : track.samples) {
          EXPECT_TRUE(std::ranges::equal(s.data, audio.frames[a])) << a;
          EXPECT_TRUE(s.keyframe());
          EXPECT_EQ(s.duration, test::kAacFrameSamples);
          ++a;
        }
      }
    }
  }
  EXPECT_EQ(v, video.frames.size());
  EXPECT_EQ(a, audio.frames.size());
}

TEST(MuxerTest, H265KeepsCompositionOffsets) {
  const auto video = test::loadVideo(true);
  ASSERT_EQ(video.frames.size(), 10u);
  const Muxed muxed = mux(video, nullptr, "h265");
  auto init = InitSegment::parse(muxed.init);
  ASSERT_TRUE(init);
  EXPECT_EQ(init->tracks[0], video.track);
  std::size_t v = 0;
  for (const auto& out : muxed.fragments) {
    auto fragment = Fragment::parse(out.bytes);
    ASSERT_TRUE(fragment) << fragment.error().describe();
    ASSERT_EQ(fragment->tracks.size(), 1u);
    for (const auto& s : fragment->tracks[0].samples) {
      EXPECT_EQ(s.ctsOffset, video.pts[v] - video.dts[v]) << v;
      EXPECT_EQ(s.keyframe(), video.keyframes[v]) << v;
      ++v;
    }
  }
  EXPECT_EQ(v, 10u);
}

TEST(MuxerTest, HoldsTheNewestFrameBack) {
  auto muxer = Muxer::create({test::loadVideo(false).track});
  ASSERT_TRUE(muxer);
  const Bytes frame = {0, 0, 0, 1, 0x65};
  EXPECT_FALSE(muxer->hasReady());
  ASSERT_TRUE(muxer->push(0, {frame, 0, 0, true}));
  EXPECT_FALSE(muxer->hasReady());
  EXPECT_EQ(muxer->flush().error().code, base::ErrorCode::InvalidState);
  ASSERT_TRUE(muxer->push(0, {frame, 3000, 3000, false}));
  EXPECT_EQ(muxer->readyCount(0), 1u);
  EXPECT_EQ(muxer->readyDuration(0), 3000u);
  EXPECT_TRUE(muxer->readyStartsWithKeyframe(0));
  EXPECT_EQ(muxer->heldDts(0), 3000);
  auto out = muxer->flush();
  ASSERT_TRUE(out);
  EXPECT_TRUE(out->independent);
  EXPECT_EQ(out->startTime, 0u);
  EXPECT_EQ(out->duration, 3000u);
  ASSERT_TRUE(muxer->finish(0, 3000));
  out = muxer->flush();
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->independent);
  EXPECT_EQ(out->startTime, 3000u);
  EXPECT_EQ(out->sequenceNumber, 2u);
}

TEST(MuxerTest, RejectsBadTiming) {
  auto muxer = Muxer::create({test::loadVideo(false).track});
  ASSERT_TRUE(muxer);
  const Bytes frame = {0, 0, 0, 1, 0x65};
  EXPECT_FALSE(muxer->push(0, {frame, -1, 0, true}));
  EXPECT_FALSE(muxer->push(1, {frame, 0, 0, true}));
  EXPECT_FALSE(muxer->push(0, {{}, 0, 0, true}));
  ASSERT_TRUE(muxer->push(0, {frame, 100, 100, true}));
  auto backwards = muxer->push(0, {frame, 100, 100, true});
  ASSERT_FALSE(backwards);
  EXPECT_NE(backwards.error().message.find("does not follow"), std::string::npos);
  EXPECT_FALSE(muxer->push(0, {frame, 200, 200 + (std::int64_t{1} << 32), true}));
  EXPECT_FALSE(Muxer::create({}));
}

}  // namespace
}  // namespace ocellus::format::fmp4
