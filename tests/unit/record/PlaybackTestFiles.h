#pragma once

// Recorded files for the playback tests, muxed the way the recorder writes them: the H.264
// vector of tests/data/fmp4 (160x120, 15 fps, an IDR every 5 frames) looped for as long as asked,
// with the AAC sine of tests/data/aac looped beside it, cut into ~1 s moof+mdat fragments.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "format/fmp4/Muxer.h"
#include "io/FileSystem.h"
#include "unit/format/fmp4/Fmp4TestData.h"

namespace ocellus::record::test {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::int64_t kFrameTicks = format::fmp4::test::kFrameTicks;  // 90 kHz
inline constexpr int kFramesPerSecond = 15;

struct RecordingSpec {
  int frames = 45;
  int keyframeInterval = 15;  // flagged sync samples; a multiple of 5 so each one is an IDR
  int fragmentFrames = 15;    // a fragment is cut once this many video frames are ready
  std::int64_t firstDts = 0;  // the video's first decode time (90 kHz)
};

struct Recording {
  Bytes bytes;  // the whole file
  std::vector<format::fmp4::TrackConfig> tracks;
  std::size_t initSize = 0;
  std::vector<format::fmp4::Muxer::Output> fragments;
  std::vector<std::size_t> offsets;  // of each fragment in `bytes`
};

inline Recording makeRecording(const RecordingSpec& spec) {
  static const auto video = format::fmp4::test::loadVideo(false);
  static const auto audio = format::fmp4::test::loadAac(1000);
  // A KLV track (STANAG 4609 metadata) listed first: recordings of drones have one, and the video
  // must lead whatever the order.
  format::fmp4::TrackConfig klv;
  klv.id = 3;
  klv.codec = codec::CodecId::KLV;
  auto muxer = format::fmp4::Muxer::create({klv, video.track, audio.track});
  EXPECT_TRUE(muxer);
  Recording r;
  r.tracks = muxer->tracks();
  r.bytes = muxer->initSegment();
  r.initSize = r.bytes.size();
  auto cut = [&] {
    auto out = muxer->flush();
    ASSERT_TRUE(out) << out.error().describe();
    r.offsets.push_back(r.bytes.size());
    r.bytes.insert(r.bytes.end(), out->bytes.begin(), out->bytes.end());
    r.fragments.push_back(std::move(*out));
  };
  const std::int64_t audioStart = spec.firstDts * 48000 / 90000;
  std::int64_t a = 0;
  for (int i = 0; i < spec.frames; ++i) {
    const std::int64_t dts = spec.firstDts + i * kFrameTicks;
    // Audio up to this video frame's time, interleaved as a live source would be.
    while ((audioStart + a * format::fmp4::test::kAacFrameSamples) * 90000 / 48000 <= dts) {
      const std::int64_t t = audioStart + a * format::fmp4::test::kAacFrameSamples;
      EXPECT_TRUE(muxer->push(2, {audio.frames[static_cast<std::size_t>(a) % audio.frames.size()], t, t, true}));
      ++a;
    }
    const auto& frame = video.frames[static_cast<std::size_t>(i) % video.frames.size()];
    EXPECT_TRUE(muxer->push(1, {frame, dts, dts, i % spec.keyframeInterval == 0}));
    if (i % 5 == 0) {
      const Bytes packet = {0x06, 0x0e, 0x2b, 0x34, 0x02, 0x0b, 0x01, 0x01, static_cast<std::uint8_t>(i)};
      EXPECT_TRUE(muxer->push(0, {packet, dts, dts, true}));
    }
    if (muxer->readyCount(1) >= static_cast<std::size_t>(spec.fragmentFrames)) cut();
  }
  EXPECT_TRUE(muxer->finish(0, 5 * kFrameTicks));
  EXPECT_TRUE(muxer->finish(1, kFrameTicks));
  EXPECT_TRUE(muxer->finish(2, format::fmp4::test::kAacFrameSamples));
  cut();
  return r;
}

// The real disk, counting what is read.
class CountingFileSystem : public io::FileSystem {
 public:
  base::Result<std::unique_ptr<io::WritableFile>> create(const std::string& path) override { return real_.create(path); }
  base::Result<std::vector<std::uint8_t>> read(const std::string& path, std::uint64_t offset, std::uint64_t length) override {
    ++reads;
    auto bytes = real_.read(path, offset, length);
    if (bytes) {
      bytesRead += bytes->size();
      largestRead = std::max<std::uint64_t>(largestRead, bytes->size());
    }
    return bytes;
  }
  base::Result<std::uint64_t> fileSize(const std::string& path) override { return real_.fileSize(path); }
  base::Status truncate(const std::string& path, std::uint64_t size) override { return real_.truncate(path, size); }
  base::Status remove(const std::string& path) override { return real_.remove(path); }
  base::Status rename(const std::string& from, const std::string& to) override { return real_.rename(from, to); }
  base::Result<std::vector<std::string>> listFiles(const std::string& dir) override { return real_.listFiles(dir); }
  base::Result<io::DiskSpace> space(const std::string& path) override { return real_.space(path); }

  std::size_t reads = 0;
  std::uint64_t bytesRead = 0;
  std::uint64_t largestRead = 0;

 private:
  io::FileSystem& real_ = io::FileSystem::real();
};

inline void writeFile(const std::string& path, std::span<const std::uint8_t> bytes) {
  auto file = io::FileSystem::real().create(path);
  ASSERT_TRUE(file) << file.error().describe();
  ASSERT_TRUE((*file)->append(bytes));
  ASSERT_TRUE((*file)->close());
}

}  // namespace ocellus::record::test
