#include "format/mpegts/Muxer.h"

#include <gtest/gtest.h>

#include <map>

#include "codec/AnnexB.h"
#include "format/mpegts/Demuxer.h"
#include "format/mpegts/Psi.h"

// ffprobe check (by hand, Debian 12 ffprobe 5.1): this muxer's output for the units of
// tests/data/h264/testsrc_320x240.h264, the ADTS frames of tests/data/aac/sine_48000_stereo.aac
// and a KLV unit every 5 frames, written to a file, reads as
//   Stream #0:0[0x100]: Video: h264 (Constrained Baseline) ([27][0][0][0] / 0x001B), 320x240
//   Stream #0:1[0x101]: Audio: aac (LC) ([15][0][0][0] / 0x000F), 48000 Hz, stereo
//   Stream #0:2[0x102]: Data: klv (KLVA / 0x41564C4B)
// and `ffprobe -show_packets` gives the PTS written (audio 48000 samples -> 90000).

namespace ocellus::format::mpegts {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct OwnedUnit {
  std::uint16_t pid = 0;
  bool hasPts = false;
  std::int64_t pts = 0;
  std::int64_t dts = 0;
  bool keyframe = false;
  Bytes data;
  bool operator==(const OwnedUnit&) const = default;
};

Unit view(const OwnedUnit& u) {
  Unit v;
  v.pid = u.pid;
  v.hasPts = u.hasPts;
  v.pts = u.pts;
  v.dts = u.dts;
  v.keyframe = u.keyframe;
  v.data = u.data;
  return v;
}

std::vector<OwnedUnit> demux(const Bytes& ts, Demuxer::Counters* counters = nullptr) {
  std::vector<OwnedUnit> out;
  Demuxer d({nullptr, [&](const Unit& u) {
               out.push_back({u.pid, u.hasPts, u.pts, u.dts, u.keyframe, {u.data.begin(), u.data.end()}});
             }});
  d.feed(ts);
  d.flush();
  if (counters) *counters = d.counters();
  return out;
}

Bytes canonical(std::initializer_list<Bytes> nals) {
  Bytes out;
  for (const auto& n : nals) codec::appendNal(n, out);
  return out;
}

TEST(MuxerTest, WritesWholePacketsInBatchesOfSeven) {
  std::vector<std::size_t> batches;
  Bytes all;
  Muxer m({}, [&](std::span<const std::uint8_t> b) {
    batches.push_back(b.size());
    all.insert(all.end(), b.begin(), b.end());
  });
  Track klv;
  klv.codec = Codec::Klv;
  auto pid = m.addTrack(klv);
  ASSERT_TRUE(pid.ok());
  EXPECT_EQ(*pid, 0x100);
  for (int i = 0; i < 10; ++i) {
    OwnedUnit u{*pid, true, i * 3000, i * 3000, true, Bytes(500, static_cast<std::uint8_t>(i))};
    ASSERT_TRUE(m.write(view(u)).ok());
  }
  m.flush();
  ASSERT_FALSE(batches.empty());
  for (std::size_t i = 0; i + 1 < batches.size(); ++i) EXPECT_EQ(batches[i], 7 * kPacketSize);
  ASSERT_EQ(all.size() % kPacketSize, 0u);
  // Continuity counters run per PID without gaps, every packet starts with 0x47.
  std::map<int, int> cc;
  for (std::size_t off = 0; off < all.size(); off += kPacketSize) {
    ASSERT_EQ(all[off], kSyncByte);
    const int p = ((all[off + 1] & 0x1f) << 8) | all[off + 2];
    const int c = all[off + 3] & 0x0f;
    if (cc.count(p)) {
      EXPECT_EQ(c, (cc[p] + 1) & 0x0f) << "pid " << p;
    }
    cc[p] = c;
  }
  EXPECT_EQ(cc.size(), 3u);  // PAT, PMT, KLV
}

TEST(MuxerTest, RoundTripsVideoAudioAndKlv) {
  Bytes ts;
  Muxer m({}, [&](std::span<const std::uint8_t> b) { ts.insert(ts.end(), b.begin(), b.end()); });
  Track video;
  video.codec = Codec::H264;
  Track audio;
  audio.codec = Codec::Aac;
  audio.aacConfig = codec::aac::AudioSpecificConfig{2, 44100, 2};
  Track klv;
  klv.codec = Codec::Klv;
  const auto vpid = *m.addTrack(video);
  const auto apid = *m.addTrack(audio);
  const auto kpid = *m.addTrack(klv);

  const Bytes sps = {0x67, 0x42, 0xc0, 0x1e, 0xd9};
  const Bytes pps = {0x68, 0xce, 0x3c, 0x80};
  std::vector<OwnedUnit> in;
  for (int i = 0; i < 20; ++i) {
    const bool key = i % 10 == 0;
    Bytes slice(key ? 3000 : 700 + 13 * i, static_cast<std::uint8_t>(0x11 + i));
    slice[0] = key ? 0x65 : 0x41;
    const Bytes unit = key ? canonical({sps, pps, slice}) : canonical({slice});
    // B-frame style: DTS behind PTS.
    in.push_back({vpid, true, 3003 * i + 6006, 3003 * i, key, unit});
    in.push_back({apid, true, 1024 * i, 1024 * i, true, Bytes(200 + i, static_cast<std::uint8_t>(i))});
    if (i % 5 == 0) in.push_back({kpid, true, 3003 * i, 3003 * i, true, Bytes(40 + i, 0x06)});
  }
  for (const auto& u : in) ASSERT_TRUE(m.write(view(u)).ok());
  m.flush();

  Demuxer::Counters c;
  const auto out = demux(ts, &c);
  EXPECT_EQ(out, in);
  EXPECT_EQ(c.continuityErrors, 0u);
  EXPECT_EQ(c.droppedPes, 0u);
  EXPECT_EQ(c.badCrc, 0u);
}

TEST(MuxerTest, InsertsParameterSetsBeforeKeyframesAndRepeatsPsi) {
  Bytes ts;
  Muxer m({}, [&](std::span<const std::uint8_t> b) { ts.insert(ts.end(), b.begin(), b.end()); });
  Track video;
  video.codec = Codec::H265;
  video.vps = {0x40, 0x01, 0x0c};
  video.sps = {0x42, 0x01, 0x01};
  video.pps = {0x44, 0x01, 0xc1};
  const auto pid = *m.addTrack(video);
  const Bytes idr = {0x26, 0x01, 0xaf, 0x09};  // IDR_W_RADL
  const Bytes trail = {0x02, 0x01, 0xd0, 0x09};
  ASSERT_TRUE(m.write(view({pid, true, 0, 0, true, canonical({idr})})).ok());
  ASSERT_TRUE(m.write(view({pid, true, 3000, 3000, false, canonical({trail})})).ok());
  ASSERT_TRUE(m.write(view({pid, true, 20000, 20000, false, canonical({trail})})).ok());
  ASSERT_TRUE(m.write(view({pid, true, 23000, 23000, true, canonical({idr})})).ok());
  m.flush();

  int patCount = 0;
  for (std::size_t off = 0; off < ts.size(); off += kPacketSize) {
    if ((ts[off + 1] & 0x1f) == 0 && ts[off + 2] == 0) ++patCount;
  }
  EXPECT_EQ(patCount, 3);  // start, after 100 ms, before the second keyframe

  const auto out = demux(ts);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].data, canonical({video.vps, video.sps, video.pps, idr}));
  EXPECT_TRUE(out[0].keyframe);
  EXPECT_EQ(out[1].data, canonical({trail}));
  EXPECT_FALSE(out[1].keyframe);
  EXPECT_EQ(out[3].data, canonical({video.vps, video.sps, video.pps, idr}));
}

TEST(MuxerTest, RejectsBadTracksAndUnits) {
  Muxer m({}, nullptr);
  Track aac;
  aac.codec = Codec::Aac;
  EXPECT_FALSE(m.addTrack(aac).ok());  // no config
  Track video;
  video.codec = Codec::H264;
  const auto pid = *m.addTrack(video);
  EXPECT_EQ(m.write(view({0x999, true, 0, 0, false, {1}})).error().code, base::ErrorCode::NotFound);
  EXPECT_EQ(m.write(view({pid, true, 0, 0, false, {0, 0, 0, 9, 1}})).error().code, base::ErrorCode::Malformed);
  EXPECT_EQ(m.addTrack(video).error().code, base::ErrorCode::InvalidState);
}

}  // namespace
}  // namespace ocellus::format::mpegts
