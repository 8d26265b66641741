#include "record/SegmentFile.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/ByteWriter.h"
#include "format/fmp4/Box.h"
#include "format/fmp4/Fragment.h"
#include "record/SegmentScanner.h"
#include "unit/TestData.h"
#include "unit/record/PlaybackTestFiles.h"
#include "unit/store/TempDir.h"

namespace ocellus::record {
namespace {

using test::Bytes;

Bytes box(const char (&type)[5], std::size_t payload) {
  Bytes b(8 + payload, 0);
  b[0] = static_cast<std::uint8_t>(b.size() >> 24);
  b[1] = static_cast<std::uint8_t>(b.size() >> 16);
  b[2] = static_cast<std::uint8_t>(b.size() >> 8);
  b[3] = static_cast<std::uint8_t>(b.size());
  std::copy(type, type + 4, b.begin() + 4);
  return b;
}

Bytes concat(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

class SegmentFileTest : public ::testing::Test {
 protected:
  SegmentLayout scanOk(std::span<const std::uint8_t> bytes) {
    test::writeFile(path_, bytes);
    auto layout = scanSegment(io::FileSystem::real(), path_);
    EXPECT_TRUE(layout) << layout.error().describe();
    EXPECT_TRUE(io::FileSystem::real().remove(path_));
    return layout ? std::move(*layout) : SegmentLayout{};
  }

  store::TempDir dir_;
  std::string path_ = dir_.file("cam/2024-05-01/cam-20240501T120000.000Z.mp4");
};

// Two-second GOPs cut into one-second fragments: every other fragment is independent.
TEST_F(SegmentFileTest, FindsEveryFragmentWithItsTimingAndFlags) {
  const auto rec = test::makeRecording({.frames = 75, .keyframeInterval = 30, .fragmentFrames = 15, .firstDts = 900000});
  const SegmentLayout layout = scanOk(rec.bytes);
  EXPECT_EQ(layout.initSize, rec.initSize);
  EXPECT_EQ(layout.tracks, rec.tracks);
  EXPECT_EQ(layout.primaryTrackId, 1u);
  EXPECT_EQ(layout.primaryTimescale, 90000u);
  EXPECT_EQ(layout.validSize, rec.bytes.size());
  EXPECT_FALSE(layout.truncated);
  ASSERT_EQ(layout.fragments.size(), rec.fragments.size());
  ASSERT_EQ(layout.fragments.size(), 5u);
  for (std::size_t i = 0; i < rec.fragments.size(); ++i) {
    const FragmentInfo& f = layout.fragments[i];
    EXPECT_EQ(f.offset, rec.offsets[i]) << i;
    EXPECT_EQ(f.size, rec.fragments[i].bytes.size()) << i;
    EXPECT_EQ(f.decodeTime, rec.fragments[i].startTime) << i;
    EXPECT_EQ(f.decodeTime, 900000u + i * 15 * test::kFrameTicks) << i;
    EXPECT_EQ(f.duration, rec.fragments[i].duration) << i;
    EXPECT_EQ(f.independent, i % 2 == 0) << i;
    EXPECT_EQ(f.independent, rec.fragments[i].independent) << i;
  }
  EXPECT_EQ(layout.durationMs(), 5000);
}

// Cut anywhere inside the last fragment, the scan keeps the ones before it; repair cuts the file
// there and the repaired file scans whole.
TEST_F(SegmentFileTest, TornTailsEndAtThePreviousFragment) {
  const auto rec = test::makeRecording({.frames = 45});
  ASSERT_EQ(rec.fragments.size(), 3u);
  const std::size_t lastStart = rec.offsets.back();
  std::vector<std::size_t> cuts;
  for (std::size_t cut = lastStart + 1; cut < rec.bytes.size(); cut += cut < lastStart + 300 ? 1 : 97) cuts.push_back(cut);
  cuts.push_back(rec.bytes.size() - 1);
  for (const std::size_t cut : cuts) {
    const SegmentLayout layout = scanOk(std::span(rec.bytes).first(cut));
    EXPECT_TRUE(layout.truncated) << cut;
    EXPECT_EQ(layout.validSize, lastStart) << cut;
    EXPECT_EQ(layout.fragments.size(), 2u) << cut;
  }
  // Cut exactly between fragments, nothing is torn.
  const SegmentLayout whole = scanOk(std::span(rec.bytes).first(lastStart));
  EXPECT_FALSE(whole.truncated);
  EXPECT_EQ(whole.validSize, lastStart);

  test::writeFile(path_, std::span(rec.bytes).first(rec.bytes.size() - 10));
  auto repaired = repairSegment(io::FileSystem::real(), path_);
  ASSERT_TRUE(repaired) << repaired.error().describe();
  EXPECT_FALSE(repaired->truncated);
  EXPECT_EQ(repaired->fragments.size(), 2u);
  EXPECT_EQ(*io::FileSystem::real().fileSize(path_), lastStart);
  auto again = scanSegment(io::FileSystem::real(), path_);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->truncated);
  EXPECT_EQ(again->fragments.size(), 2u);
  // An intact file is left as it is.
  ASSERT_TRUE(repairSegment(io::FileSystem::real(), path_));
  EXPECT_EQ(*io::FileSystem::real().fileSize(path_), lastStart);
}

TEST_F(SegmentFileTest, GarbageAndForeignBoxesAfterTheFragments) {
  const auto rec = test::makeRecording({.frames = 30});
  const std::size_t end = rec.bytes.size();

  Bytes garbage = rec.bytes;
  garbage.insert(garbage.end(), {0x00, 0x00, 0x00, 0x03, 'x', 'y', 'z', 'w', 1, 2, 3});
  SegmentLayout layout = scanOk(garbage);
  EXPECT_TRUE(layout.truncated);
  EXPECT_EQ(layout.validSize, end);

  // free and mfra at the end belong to the file; a styp whose fragment never came does not.
  const Bytes withFree = concat(concat(rec.bytes, box("free", 20)), box("mfra", 8));
  layout = scanOk(withFree);
  EXPECT_FALSE(layout.truncated);
  EXPECT_EQ(layout.validSize, withFree.size());
  layout = scanOk(concat(withFree, std::span(rec.bytes).subspan(rec.offsets[0])));
  EXPECT_TRUE(layout.truncated) << "a moof after mfra";
  EXPECT_EQ(layout.validSize, withFree.size());
  layout = scanOk(concat(rec.bytes, box("styp", 8)));
  EXPECT_TRUE(layout.truncated);
  EXPECT_EQ(layout.validSize, end);

  // A styp and sidx before each fragment, as a segmenter writes them, are accepted.
  Bytes segmented(rec.bytes.begin(), rec.bytes.begin() + static_cast<std::ptrdiff_t>(rec.initSize));
  for (const auto& f : rec.fragments) segmented = concat(concat(concat(segmented, box("styp", 8)), box("sidx", 24)), f.bytes);
  layout = scanOk(segmented);
  EXPECT_FALSE(layout.truncated);
  EXPECT_EQ(layout.fragments.size(), rec.fragments.size());

  // An mdat that the moof's samples do not fit in is torn, however whole it looks.
  Bytes shortMdat = rec.bytes;
  const std::size_t mdatAt = rec.offsets.back() + rec.fragments.back().bytes.size() -
                             (*format::fmp4::findBox(rec.fragments.back().bytes, format::fmp4::fourCc("mdat"))).size;
  shortMdat.resize(shortMdat.size() - 4);
  base::ByteWriter(shortMdat).patchU32(mdatAt, static_cast<std::uint32_t>(shortMdat.size() - mdatAt));
  layout = scanOk(shortMdat);
  EXPECT_TRUE(layout.truncated);
  EXPECT_EQ(layout.validSize, rec.offsets.back());
}

TEST_F(SegmentFileTest, AFileWithoutAWholeInitSegmentIsMalformed) {
  const auto rec = test::makeRecording({.frames = 30});
  for (const std::size_t cut : {std::size_t{0}, std::size_t{4}, std::size_t{20}, rec.initSize - 1}) {
    test::writeFile(path_, std::span(rec.bytes).first(cut));
    auto layout = scanSegment(io::FileSystem::real(), path_);
    ASSERT_FALSE(layout) << cut;
    EXPECT_EQ(layout.error().code, base::ErrorCode::Malformed) << cut;
    EXPECT_NE(layout.error().message.find(path_), std::string::npos) << layout.error().message;
    EXPECT_FALSE(repairSegment(io::FileSystem::real(), path_));
    EXPECT_EQ(*io::FileSystem::real().fileSize(path_), cut) << "repair leaves a file it cannot read alone";
    ASSERT_TRUE(io::FileSystem::real().remove(path_));
  }
  // Fragments without the init segment before them.
  test::writeFile(path_, std::span(rec.bytes).subspan(rec.initSize));
  auto layout = scanSegment(io::FileSystem::real(), path_);
  ASSERT_FALSE(layout);
  EXPECT_EQ(layout.error().code, base::ErrorCode::Malformed);
  EXPECT_EQ(scanSegment(io::FileSystem::real(), dir_.file("missing.mp4")).error().code, base::ErrorCode::NotFound);
}

// FFmpeg 5.1's fragmented MP4 (tests/data/record/ffmpeg_frag_keyframe.mp4, made with
//   ffmpeg -f lavfi -i testsrc=size=32x24:rate=4 -f lavfi -i sine=r=8000 -t 2 -c:v libx264 -g 4
//     -c:a aac -b:a 8k -movflags frag_keyframe+empty_moov+default_base_moof -frag_duration 1000000)
// has trun version 0, a last fragment with audio alone and an mfra at the end: all of it whole.
TEST_F(SegmentFileTest, ReadsAnotherMuxersFile) {
  const Bytes file = ocellus::test::readTestData("record/ffmpeg_frag_keyframe.mp4");
  ASSERT_EQ(file.size(), 6497u);
  const SegmentLayout layout = scanOk(file);
  EXPECT_FALSE(layout.truncated);
  EXPECT_EQ(layout.validSize, file.size());
  EXPECT_EQ(layout.initSize, 1258u);
  EXPECT_EQ(layout.primaryTimescale, 16384u);
  ASSERT_EQ(layout.fragments.size(), 3u);
  EXPECT_EQ(layout.fragments[0].offset, 1258u);
  EXPECT_EQ(layout.fragments[0].size, 2511u);
  EXPECT_EQ(layout.fragments[1].decodeTime, 16384u);
  EXPECT_EQ(layout.fragments[1].duration, 16384u);
  EXPECT_TRUE(layout.fragments[1].independent);
  // The audio-only fragment: no video time of its own, it starts where the video ended.
  EXPECT_EQ(layout.fragments[2].decodeTime, 32768u);
  EXPECT_EQ(layout.fragments[2].duration, 0u);
  EXPECT_FALSE(layout.fragments[2].independent);
  EXPECT_EQ(layout.durationMs(), 2000);
}

// A scan reads headers and moofs, never the media: three fragments of 1 MiB cost a few KiB.
TEST_F(SegmentFileTest, SkipsMediaPayloads) {
  const auto rec = test::makeRecording({.frames = 15});
  Bytes file(rec.bytes.begin(), rec.bytes.begin() + static_cast<std::ptrdiff_t>(rec.initSize));
  const Bytes frame(1 << 20, 0x42);
  for (std::uint32_t i = 0; i < 3; ++i) {
    const format::fmp4::Sample samples[] = {{frame, 90000, 0, true}};
    const format::fmp4::TrackRun runs[] = {{1, i * 90000u, samples}};
    ASSERT_TRUE(format::fmp4::Fragment::write(i + 1, runs, file));
  }
  test::writeFile(path_, file);
  test::CountingFileSystem fs;
  auto layout = scanSegment(fs, path_);
  ASSERT_TRUE(layout) << layout.error().describe();
  EXPECT_EQ(layout->fragments.size(), 3u);
  EXPECT_EQ(layout->durationMs(), 3000);
  EXPECT_LE(fs.reads, 4u);
  EXPECT_LE(fs.bytesRead, 4 * SegmentScanner::kReadAhead);
}

// The core alone, fed by hand: it asks for ranges inside the file and nothing once done.
TEST(SegmentScannerTest, AsksForRangesInsideTheFile) {
  const auto rec = test::makeRecording({.frames = 30});
  SegmentScanner scanner(rec.bytes.size());
  EXPECT_EQ(scanner.result().error().code, base::ErrorCode::InvalidState);
  std::size_t reads = 0;
  while (const auto read = scanner.wanted()) {
    ASSERT_LE(read->offset + read->length, rec.bytes.size());
    ASSERT_GT(read->length, 0u);
    scanner.feed(std::span(rec.bytes).subspan(read->offset, read->length));
    ASSERT_LT(++reads, 100u);
  }
  auto layout = scanner.result();
  ASSERT_TRUE(layout);
  EXPECT_EQ(layout->fragments.size(), rec.fragments.size());
  // A file that shrinks while it is read ends where the bytes ran out.
  SegmentScanner shrinking(rec.bytes.size());
  shrinking.feed(std::span(rec.bytes).first(rec.initSize + 10));
  while (const auto read = shrinking.wanted()) shrinking.feed({});
  ASSERT_TRUE(shrinking.result());
  EXPECT_TRUE(shrinking.result()->truncated);
  EXPECT_EQ(shrinking.result()->validSize, rec.initSize);
}

}  // namespace
}  // namespace ocellus::record
