#include "record/Clip.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "format/fmp4/Box.h"
#include "format/fmp4/Fragment.h"
#include "format/fmp4/InitSegment.h"
#include "record/SegmentFile.h"
#include "unit/record/PlaybackTestFiles.h"
#include "unit/store/TempDir.h"

namespace ocellus::record {
namespace {

using format::fmp4::fourCc;

constexpr std::int64_t kNoon = 1714564800000;  // 2024-05-01T12:00:00Z

// What a clip holds, read back: its tracks and, per track, the fragments' decode times and durations.
struct ClipContents {
  std::vector<format::fmp4::TrackConfig> tracks;
  std::vector<std::uint32_t> sequenceNumbers;
  struct Run {
    std::uint64_t base = 0;
    std::uint64_t duration = 0;
    bool startsWithKeyframe = false;
  };
  std::map<std::uint32_t, std::vector<Run>> runs;  // by track id
  std::uint64_t size = 0;
};

ClipContents readClip(const std::string& path) {
  ClipContents c;
  auto size = io::FileSystem::real().fileSize(path);
  EXPECT_TRUE(size);
  auto bytes = io::FileSystem::real().read(path, 0, *size);
  EXPECT_TRUE(bytes);
  c.size = bytes->size();
  auto init = format::fmp4::InitSegment::parse(*bytes);
  EXPECT_TRUE(init) << init.error().describe();
  if (init) c.tracks = init->tracks;
  format::fmp4::BoxReader reader(*bytes);
  while (true) {
    auto box = reader.next();
    EXPECT_TRUE(box) << box.error().describe();
    if (!box || !*box) break;
    if ((*box)->type != fourCc("moof")) continue;
    auto fragment = format::fmp4::Fragment::parse(std::span(*bytes).subspan((*box)->offset));
    EXPECT_TRUE(fragment) << fragment.error().describe();
    if (!fragment) break;
    c.sequenceNumbers.push_back(fragment->sequenceNumber);
    for (const auto& t : fragment->tracks) {
      ClipContents::Run run{t.baseDecodeTime, 0, !t.samples.empty() && t.samples.front().keyframe()};
      for (const auto& s : t.samples) run.duration += s.duration;
      c.runs[t.trackId].push_back(run);
    }
  }
  return c;
}

class ClipTest : public ::testing::Test {
 protected:
  // A: 10 s from noon, keyframes every 2 s, 1 s fragments. B: 6 s from noon + 15 s, its tfdt
  // starting elsewhere. C: 4 s from noon + 25 s with the same layout as B.
  void SetUp() override {
    add("a.mp4", kNoon, test::makeRecording({.frames = 150, .keyframeInterval = 30}));
    add("b.mp4", kNoon + 15000, test::makeRecording({.frames = 90, .keyframeInterval = 30, .firstDts = 5'000'000}));
    add("c.mp4", kNoon + 25000, test::makeRecording({.frames = 60, .keyframeInterval = 15}));
  }

  void add(const std::string& name, std::int64_t wallStartMs, const test::Recording& rec) {
    const std::string path = dir_.file(name);
    test::writeFile(path, rec.bytes);
    auto layout = scanSegment(io::FileSystem::real(), path);
    ASSERT_TRUE(layout) << layout.error().describe();
    files_.push_back({path, name, wallStartMs, std::move(*layout)});
  }

  base::Result<ClipResult> exportTo(const std::string& name, std::int64_t from, std::int64_t to,
                                    std::span<const RecordingFile> files) {
    auto out = io::FileSystem::real().create(dir_.file(name));
    if (!out) return out.error();
    auto result = exportClip(fs_, files, from, to, **out);
    EXPECT_TRUE((*out)->close());
    // With OCELLUS_CLIP_DUMP=<dir> set, the clip is kept there for ffprobe.
    if (const char* dump = std::getenv("OCELLUS_CLIP_DUMP")) {
      std::filesystem::copy_file(dir_.file(name), std::string(dump) + "/" + name,
                                 std::filesystem::copy_options::overwrite_existing);
    }
    return result;
  }

  store::TempDir dir_;
  std::vector<RecordingFile> files_;
  test::CountingFileSystem fs_;
};

// From noon + 3.5 s (keyframe at 2 s) to noon + 18 s (3 s into B): 8 s of A, 3 s of B.
TEST_F(ClipTest, CutsAtTheKeyframeBeforeFromAndRunsOnAcrossFiles) {
  auto result = exportTo("two.mp4", kNoon + 3500, kNoon + 18000, std::span(files_).first(2));
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->startMs, kNoon + 2000);
  EXPECT_EQ(result->endMs, kNoon + 18000);
  EXPECT_EQ(result->durationMs, 11000);
  EXPECT_FALSE(result->truncatedAtTrackChange);

  const ClipContents clip = readClip(dir_.file("two.mp4"));
  EXPECT_EQ(clip.size, result->bytes);
  EXPECT_EQ(clip.tracks, files_[0].layout.tracks);
  for (std::size_t i = 0; i < clip.sequenceNumbers.size(); ++i) EXPECT_EQ(clip.sequenceNumbers[i], i + 1);
  const auto& video = clip.runs.at(1);
  ASSERT_FALSE(video.empty());
  EXPECT_EQ(video.front().base, 0u);
  EXPECT_TRUE(video.front().startsWithKeyframe);
  std::uint64_t end = 0;
  for (const auto& run : video) {
    EXPECT_EQ(run.base, end) << "video runs on without a gap, across the files too";
    end = run.base + run.duration;
  }
  EXPECT_EQ(end, 11u * 90000);
  // Audio spans the same time (to within a frame) and never goes back.
  const auto& audio = clip.runs.at(2);
  std::uint64_t audioEnd = 0;
  for (const auto& run : audio) {
    EXPECT_GE(run.base, audioEnd);
    // The source's own audio ends ~60 ms before its video at the end of A; nothing longer.
    EXPECT_LE(run.base, audioEnd + 4800) << "no gap where the recordings had one";
    audioEnd = run.base + run.duration;
  }
  EXPECT_LT(audio.front().base, 1024u);
  EXPECT_NEAR(static_cast<double>(audioEnd) / 48000, 11.0, 1024.0 / 48000 * 2);
  // The KLV track (a sample every 5 frames, 1/3 s) comes along over the same span.
  std::uint64_t klvEnd = 0;
  for (const auto& run : clip.runs.at(3)) {
    EXPECT_GE(run.base, klvEnd);
    klvEnd = run.base + run.duration;
  }
  EXPECT_EQ(clip.runs.at(3).front().base, 0u);
  EXPECT_NEAR(static_cast<double>(klvEnd) / 90000, 11.0, 1.0 / 3);

  // Read a fragment at a time: never more than the largest fragment (or init segment) at once.
  std::uint64_t largest = 0;
  for (const auto& file : std::span(files_).first(2)) {
    for (const auto& f : file.layout.fragments) largest = std::max(largest, f.size);
  }
  EXPECT_LE(fs_.largestRead, largest);
  EXPECT_GT(fs_.reads, 11u);
}

TEST_F(ClipTest, StartsAtTheFirstKeyframeWhenFromIsInAGap) {
  auto result = exportTo("gap.mp4", kNoon + 12000, kNoon + 17000, files_);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->startMs, kNoon + 15000);
  EXPECT_EQ(result->durationMs, 2000);
  const ClipContents clip = readClip(dir_.file("gap.mp4"));
  EXPECT_EQ(clip.runs.at(1).front().base, 0u);
  EXPECT_TRUE(clip.runs.at(1).front().startsWithKeyframe);
}

TEST_F(ClipTest, ATrackChangeEndsTheClip) {
  // C has the same tracks; a video-only D after it does not.
  auto videoOnly = test::makeRecording({.frames = 30});
  const std::string path = dir_.file("d.mp4");
  const auto& videoTrack = *std::ranges::find(videoOnly.tracks, codec::CodecId::H264, &format::fmp4::TrackConfig::codec);
  auto muxer = format::fmp4::Muxer::create({videoTrack});
  ASSERT_TRUE(muxer);
  test::Bytes d = muxer->initSegment();
  for (const auto& f : videoOnly.fragments) {
    auto parsed = format::fmp4::Fragment::parse(f.bytes);
    ASSERT_TRUE(parsed);
    const auto& video = *std::ranges::find(parsed->tracks, videoTrack.id, &format::fmp4::Fragment::ParsedTrack::trackId);
    std::vector<format::fmp4::Sample> samples;
    for (const auto& s : video.samples) samples.push_back({s.data, s.duration, s.ctsOffset, s.keyframe()});
    const format::fmp4::TrackRun runs[] = {{videoTrack.id, video.baseDecodeTime, samples}};
    ASSERT_TRUE(format::fmp4::Fragment::write(parsed->sequenceNumber, runs, d));
  }
  test::writeFile(path, d);
  auto layout = scanSegment(io::FileSystem::real(), path);
  ASSERT_TRUE(layout);
  files_.push_back({path, "d.mp4", kNoon + 30000, std::move(*layout)});

  auto result = exportTo("change.mp4", kNoon + 24000, kNoon + 40000, files_);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_TRUE(result->truncatedAtTrackChange);
  EXPECT_EQ(result->startMs, kNoon + 25000);
  EXPECT_EQ(result->endMs, kNoon + 29000);
  EXPECT_EQ(result->durationMs, 4000);
  // Ending before D, the clip does not meet the change.
  result = exportTo("nochange.mp4", kNoon + 24000, kNoon + 29500, files_);
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->truncatedAtTrackChange);
}

TEST_F(ClipTest, NothingToExport) {
  EXPECT_EQ(exportTo("between.mp4", kNoon + 11000, kNoon + 14000, files_).error().code, base::ErrorCode::NotFound);
  EXPECT_EQ(exportTo("after.mp4", kNoon + 50000, kNoon + 60000, files_).error().code, base::ErrorCode::NotFound);
  EXPECT_EQ(exportTo("empty.mp4", kNoon, kNoon, files_).error().code, base::ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace ocellus::record
