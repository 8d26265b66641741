#include "record/VodPlaylist.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "format/fmp4/Fragment.h"
#include "record/SegmentFile.h"
#include "unit/record/PlaybackTestFiles.h"
#include "unit/store/TempDir.h"

namespace ocellus::record {
namespace {

constexpr std::int64_t kNoon = 1714564800000;  // 2024-05-01T12:00:00Z

// `durations` in 90 kHz ticks, `independent` per fragment; fragments of `size` bytes back to back.
SegmentLayout layout(std::uint64_t initSize, std::uint64_t firstDecodeTime, std::uint64_t size,
                     std::vector<std::uint64_t> durations, std::vector<bool> independent) {
  SegmentLayout l;
  l.initSize = initSize;
  l.primaryTrackId = 1;
  l.primaryTimescale = 90000;
  std::uint64_t offset = initSize, t = firstDecodeTime;
  for (std::size_t i = 0; i < durations.size(); ++i) {
    l.fragments.push_back(FragmentInfo{offset, size, t, durations[i], independent[i]});
    offset += size;
    t += durations[i];
  }
  l.validSize = offset;
  return l;
}

std::vector<RecordingFile> twoFilesWithAGap() {
  // A: eight 1 s fragments, two not independent; B, 20 s later: three of 1.5 s, tfdt not from 0.
  return {
      {"/rec/a.mp4", "https://nvr.example/files/recordings/cam/a.mp4?sig=a b\"", kNoon,
       layout(800, 0, 1000, std::vector<std::uint64_t>(8, 90000), {true, false, true, true, true, false, true, true})},
      {"/rec/b.mp4", "b.mp4", kNoon + 20000, layout(700, 123456789, 2000, {135000, 135000, 135000}, {true, true, true})},
  };
}

TEST(VodPlaylistTest, TwoFilesWithAGap) {
  const auto files = twoFilesWithAGap();
  auto text = renderVodPlaylist(files, kNoon + 3000, kNoon + 22000);
  ASSERT_TRUE(text) << text.error().describe();
  // A's fragments make a 6 s segment (independent fragments join until 6 s) and a 2 s one.
  EXPECT_EQ(*text,
            "#EXTM3U\n"
            "#EXT-X-VERSION:6\n"
            "#EXT-X-TARGETDURATION:6\n"
            "#EXT-X-PLAYLIST-TYPE:VOD\n"
            "#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-MAP:URI=\"https://nvr.example/files/recordings/cam/a.mp4?sig=a%20b%22\",BYTERANGE=\"800@0\"\n"
            "#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:00.000Z\n"
            "#EXT-X-BYTERANGE:6000@800\n"
            "#EXTINF:6.00000,\n"
            "https://nvr.example/files/recordings/cam/a.mp4?sig=a%20b%22\n"
            "#EXT-X-BYTERANGE:2000@6800\n"
            "#EXTINF:2.00000,\n"
            "https://nvr.example/files/recordings/cam/a.mp4?sig=a%20b%22\n"
            "#EXT-X-DISCONTINUITY\n"
            "#EXT-X-MAP:URI=\"b.mp4\",BYTERANGE=\"700@0\"\n"
            "#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:20.000Z\n"
            "#EXT-X-BYTERANGE:6000@700\n"
            "#EXTINF:4.50000,\n"
            "b.mp4\n"
            "#EXT-X-ENDLIST\n");
}

TEST(VodPlaylistTest, ListsOnlySegmentsOverlappingTheRange) {
  const auto files = twoFilesWithAGap();
  auto text = renderVodPlaylist(files, kNoon + 6500, kNoon + 7000);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("#EXT-X-BYTERANGE:2000@6800\n"), std::string::npos);
  EXPECT_EQ(text->find("@800\n"), std::string::npos);
  EXPECT_EQ(text->find("b.mp4"), std::string::npos);
  EXPECT_EQ(text->find("DISCONTINUITY"), std::string::npos);
  EXPECT_NE(text->find("#EXT-X-TARGETDURATION:2\n"), std::string::npos);
  // B alone: its own date, no discontinuity before it.
  text = renderVodPlaylist(files, kNoon + 15000, kNoon + 30000);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->find("a.mp4"), std::string::npos);
  EXPECT_NE(text->find("#EXT-X-PROGRAM-DATE-TIME:2024-05-01T12:00:20.000Z\n#EXT-X-BYTERANGE:6000@700\n"), std::string::npos);
  EXPECT_EQ(text->find("DISCONTINUITY"), std::string::npos);
}

TEST(VodPlaylistTest, NothingInRange) {
  const auto files = twoFilesWithAGap();
  EXPECT_EQ(renderVodPlaylist(files, kNoon + 8000, kNoon + 20000).error().code, base::ErrorCode::NotFound);
  EXPECT_EQ(renderVodPlaylist(files, kNoon - 5000, kNoon).error().code, base::ErrorCode::NotFound);
  EXPECT_EQ(renderVodPlaylist({}, kNoon, kNoon + 1000).error().code, base::ErrorCode::NotFound);
  EXPECT_EQ(renderVodPlaylist(files, kNoon + 1000, kNoon + 1000).error().code, base::ErrorCode::InvalidArgument);
}

// A file that starts without a keyframe: its first segment is not independent, so the playlist
// does not claim EXT-X-INDEPENDENT-SEGMENTS.
TEST(VodPlaylistTest, IndependentSegmentsOnlyWhenTrue) {
  const RecordingFile file{"/rec/c.mp4", "c.mp4", kNoon, layout(500, 0, 100, {90000, 90000, 90000}, {false, true, true})};
  auto text = renderVodPlaylist(std::span(&file, 1), kNoon, kNoon + 3000);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->find("INDEPENDENT-SEGMENTS"), std::string::npos);
  EXPECT_NE(text->find("#EXT-X-BYTERANGE:100@500\n#EXTINF:1.00000,\n"), std::string::npos);
  EXPECT_NE(text->find("#EXT-X-BYTERANGE:200@600\n#EXTINF:2.00000,\n"), std::string::npos);
}

// Real recorded files, scanned: the byte ranges tile each file from its init segment to its end
// and each one starts with a moof.
TEST(VodPlaylistTest, ByteRangesTileRecordedFiles) {
  store::TempDir dir;
  std::vector<RecordingFile> files;
  std::vector<test::Bytes> contents;
  for (int i = 0; i < 2; ++i) {
    contents.push_back(test::makeRecording({.frames = 150, .keyframeInterval = 15}).bytes);
    const std::string path = dir.file(std::to_string(i) + ".mp4");
    test::writeFile(path, contents.back());
    auto scanned = scanSegment(io::FileSystem::real(), path);
    ASSERT_TRUE(scanned) << scanned.error().describe();
    files.push_back({path, std::to_string(i) + ".mp4", kNoon + i * 60000, std::move(*scanned)});
  }
  auto text = renderVodPlaylist(files, kNoon, kNoon + 120000);
  ASSERT_TRUE(text) << text.error().describe();
  // With OCELLUS_VOD_DUMP=<dir> set, the files and the playlist land there for a player:
  // ffmpeg -i <dir>/vod.m3u8 -f null - reads 20 s of H.264 + AAC across the discontinuity.
  if (const char* dump = std::getenv("OCELLUS_VOD_DUMP")) {
    for (std::size_t i = 0; i < contents.size(); ++i) {
      std::ofstream(std::string(dump) + "/" + files[i].url, std::ios::binary)
          .write(reinterpret_cast<const char*>(contents[i].data()), static_cast<std::streamsize>(contents[i].size()));
    }
    std::ofstream(std::string(dump) + "/vod.m3u8") << *text;
  }
  std::istringstream lines(*text);
  std::string line;
  std::vector<std::uint64_t> next = {files[0].layout.initSize, files[1].layout.initSize};
  std::uint64_t length = 0, offset = 0;
  int segments = 0;
  while (std::getline(lines, line)) {
    if (line.starts_with("#EXT-X-BYTERANGE:")) {
      ASSERT_EQ(std::sscanf(line.c_str(), "#EXT-X-BYTERANGE:%lu@%lu", &length, &offset), 2) << line;
    } else if (!line.empty() && line[0] != '#') {
      const std::size_t i = static_cast<std::size_t>(line[0] - '0');
      ASSERT_LT(i, 2u) << line;
      EXPECT_EQ(offset, next[i]) << "contiguous";
      ASSERT_LE(offset + length, contents[i].size());
      auto fragment = format::fmp4::Fragment::parse(std::span(contents[i]).subspan(offset, length));
      EXPECT_TRUE(fragment) << fragment.error().describe();
      next[i] = offset + length;
      ++segments;
    }
  }
  EXPECT_EQ(next[0], contents[0].size());
  EXPECT_EQ(next[1], contents[1].size());
  EXPECT_EQ(segments, 4);  // 10 s per file: 6 s + 4 s
  EXPECT_NE(text->find("#EXT-X-TARGETDURATION:6\n"), std::string::npos);
  EXPECT_NE(text->find("#EXT-X-INDEPENDENT-SEGMENTS\n"), std::string::npos);
}

}  // namespace
}  // namespace ocellus::record
