#include "format/mpegts/Demuxer.h"

#include <gtest/gtest.h>

#include <map>

#include "codec/AnnexB.h"
#include "codec/klv/Misb0601.h"
#include "format/mpegts/Adts.h"
#include "format/mpegts/Muxer.h"
#include "format/mpegts/Pes.h"
#include "format/mpegts/Psi.h"
#include "unit/TestData.h"

namespace ocellus::format::mpegts {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct Collected {
  std::vector<Track> tracks;
  struct U {
    std::uint16_t pid;
    bool hasPts;
    std::int64_t pts;
    std::int64_t dts;
    bool keyframe;
    Bytes data;
    bool operator==(const U&) const = default;
  };
  std::vector<U> units;
  Demuxer::Counters counters;
};

Demuxer::Callbacks collector(Collected& c) {
  return {[&c](const Track& t) { c.tracks.push_back(t); },
          [&c](const Unit& u) {
            c.units.push_back({u.pid, u.hasPts, u.pts, u.dts, u.keyframe, {u.data.begin(), u.data.end()}});
          }};
}

// Feeds `ts` in chunks of `chunk` bytes.
Collected demux(const Bytes& ts, std::size_t chunk = 1316) {
  Collected c;
  Demuxer d(collector(c));
  for (std::size_t off = 0; off < ts.size(); off += chunk) {
    d.feed(std::span<const std::uint8_t>(ts).subspan(off, std::min(chunk, ts.size() - off)));
  }
  d.flush();
  c.counters = d.counters();
  return c;
}

// A stream of KLV units of `size` bytes each, 90 kHz timestamps from `start` every 3000.
Bytes klvStream(int count, std::size_t size, std::int64_t start = 0) {
  Bytes ts;
  Muxer m({}, [&](std::span<const std::uint8_t> b) { ts.insert(ts.end(), b.begin(), b.end()); });
  Track klv;
  klv.codec = Codec::Klv;
  const auto pid = *m.addTrack(klv);
  for (int i = 0; i < count; ++i) {
    const Bytes data(size, static_cast<std::uint8_t>(i + 1));
    Unit u;
    u.pid = pid;
    u.hasPts = true;
    u.pts = u.dts = start + 3000 * i;
    u.keyframe = true;
    u.data = data;
    EXPECT_TRUE(m.write(u).ok());
  }
  m.flush();
  return ts;
}

// Packets carrying `payload` on `pid`, the first with payload_unit_start_indicator, the last
// filled by adaptation-field stuffing.
Bytes packets(std::uint16_t pid, std::span<const std::uint8_t> payload, std::uint8_t& cc) {
  Bytes out;
  bool first = true;
  while (!payload.empty()) {
    const std::size_t take = std::min<std::size_t>(184, payload.size());
    const std::size_t af = 184 - take;
    out.push_back(kSyncByte);
    out.push_back(static_cast<std::uint8_t>((first ? 0x40 : 0) | (pid >> 8)));
    out.push_back(static_cast<std::uint8_t>(pid));
    out.push_back(static_cast<std::uint8_t>((af ? 0x30 : 0x10) | cc));
    cc = (cc + 1) & 0x0f;
    if (af > 0) out.push_back(static_cast<std::uint8_t>(af - 1));
    if (af > 1) {
      out.push_back(0);
      out.insert(out.end(), af - 2, 0xff);
    }
    out.insert(out.end(), payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(take));
    payload = payload.subspan(take);
    first = false;
  }
  return out;
}

Bytes section(const Bytes& s) {
  Bytes out = {0};  // pointer_field
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes psi(const Pmt& pmt, std::uint16_t pmtPid = 0x1000) {
  Pat pat;
  pat.programs.push_back({1, pmtPid});
  std::uint8_t cc0 = 0;
  std::uint8_t cc1 = 0;
  Bytes out = packets(kPatPid, section(pat.serialize()), cc0);
  const Bytes p = packets(pmtPid, section(pmt.serialize()), cc1);
  out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(DemuxerTest, FindsTracksAndUnitsWhateverTheChunking) {
  const Bytes ts = klvStream(6, 500);
  const Collected whole = demux(ts, ts.size());
  ASSERT_EQ(whole.tracks.size(), 1u);
  EXPECT_EQ(whole.tracks[0].codec, Codec::Klv);
  EXPECT_EQ(whole.tracks[0].streamType, 0x06);
  ASSERT_EQ(whole.units.size(), 6u);
  EXPECT_EQ(whole.units[2].data, Bytes(500, 3));
  EXPECT_EQ(whole.units[2].pts, 6000);
  for (std::size_t chunk : {1u, 7u, 187u, 188u, 189u, 1316u}) {
    const Collected c = demux(ts, chunk);
    EXPECT_EQ(c.units, whole.units) << "chunk " << chunk;
    EXPECT_EQ(c.counters.packets, ts.size() / kPacketSize);
    EXPECT_EQ(c.counters.skippedBytes, 0u);
  }
}

TEST(DemuxerTest, ResynchronisesAfterGarbageBetweenPackets) {
  const Bytes clean = klvStream(6, 500);
  Bytes ts(clean.begin(), clean.begin() + 5 * kPacketSize);
  // Garbage with sync bytes in it that are not followed by another one 188 bytes later.
  const Bytes garbage = {0x00, 0x47, 0x12, 0x47, 0x47, 0x99, 0x00, 0x47, 0x13};
  ts.insert(ts.end(), garbage.begin(), garbage.end());
  ts.insert(ts.end(), clean.begin() + 5 * kPacketSize, clean.end());
  for (std::size_t chunk : {1u, 100u, 1316u}) {
    const Collected c = demux(ts, chunk);
    EXPECT_EQ(c.units, demux(clean).units) << "chunk " << chunk;
    EXPECT_EQ(c.counters.skippedBytes, garbage.size());
    EXPECT_EQ(c.counters.continuityErrors, 0u);
  }
  // Garbage that starts with 0x47 where a packet should is taken for one (nothing tells them
  // apart without waiting for the next packet): it costs the one packet it overlaps (the start
  // of the second unit, so that unit is lost), and the demuxer resynchronises after it.
  Bytes sneaky(clean.begin(), clean.begin() + 5 * kPacketSize);
  sneaky.insert(sneaky.end(), {0x47, 0x01, 0x02});
  sneaky.insert(sneaky.end(), clean.begin() + 5 * kPacketSize, clean.end());
  const Collected s = demux(sneaky, 100);
  auto expected = demux(clean).units;
  expected.erase(expected.begin() + 1);
  EXPECT_EQ(s.units, expected);
  EXPECT_EQ(s.counters.continuityErrors, 1u);
  // Garbage before the first packet too.
  Bytes lead = {0x00, 0x47, 0x01};
  lead.insert(lead.end(), clean.begin(), clean.end());
  EXPECT_EQ(demux(lead).units.size(), 6u);
}

TEST(DemuxerTest, AContinuityGapDropsExactlyTheDamagedPes) {
  const Bytes clean = klvStream(4, 500);  // PAT, PMT, then 3 packets per unit
  // Remove the second packet of the second unit: packet 2 + 3 + 1.
  Bytes ts = clean;
  const std::size_t cut = (2 + 3 + 1) * kPacketSize;
  ts.erase(ts.begin() + static_cast<std::ptrdiff_t>(cut), ts.begin() + static_cast<std::ptrdiff_t>(cut + kPacketSize));
  const Collected c = demux(ts);
  ASSERT_EQ(c.units.size(), 3u);
  EXPECT_EQ(c.units[0].data, Bytes(500, 1));
  EXPECT_EQ(c.units[1].data, Bytes(500, 3));
  EXPECT_EQ(c.units[2].data, Bytes(500, 4));
  EXPECT_EQ(c.counters.continuityErrors, 1u);
  EXPECT_EQ(c.counters.droppedPes, 1u);
}

TEST(DemuxerTest, IgnoresADuplicatePacket) {
  const Bytes clean = klvStream(3, 500);
  Bytes ts = clean;
  const std::size_t dup = (2 + 1) * kPacketSize;
  ts.insert(ts.begin() + static_cast<std::ptrdiff_t>(dup + kPacketSize), clean.begin() + static_cast<std::ptrdiff_t>(dup),
            clean.begin() + static_cast<std::ptrdiff_t>(dup + kPacketSize));
  const Collected c = demux(ts);
  EXPECT_EQ(c.units, demux(clean).units);
  EXPECT_EQ(c.counters.duplicates, 1u);
  EXPECT_EQ(c.counters.continuityErrors, 0u);
}

TEST(DemuxerTest, UnwrapsPtsAcrossThe33BitWrap) {
  const std::int64_t start = static_cast<std::int64_t>(kTimestampModulus) - 7000;
  const Collected c = demux(klvStream(5, 20, start));
  ASSERT_EQ(c.units.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.units[static_cast<std::size_t>(i)].pts, start + 3000 * i);
  EXPECT_GT(c.units[4].pts, static_cast<std::int64_t>(kTimestampModulus));
}

TEST(DemuxerTest, DropsASectionWithABadCrc) {
  Pmt pmt;
  pmt.pcrPid = 0x100;
  pmt.streams.push_back({0x1b, 0x100, {}});
  Bytes ts = psi(pmt);
  ts[2 * kPacketSize - 6] ^= 0x01;  // inside the PMT section, which ends the packet
  Collected c = demux(ts);
  EXPECT_TRUE(c.tracks.empty());
  EXPECT_EQ(c.counters.badCrc, 1u);
  c = demux(psi(pmt));
  ASSERT_EQ(c.tracks.size(), 1u);
  EXPECT_EQ(c.tracks[0].codec, Codec::H264);
}

TEST(DemuxerTest, ReassemblesAPmtSpanningPacketsAndCapsTracks) {
  Pmt pmt;
  pmt.pcrPid = 0x100;
  for (std::uint16_t i = 0; i < 20; ++i) {
    // Each entry carries a 20-byte descriptor so the section spans three packets.
    Bytes desc = {0x05, 0x04, 'K', 'L', 'V', 'A', 0x7f, 12};
    desc.resize(20, 0xaa);
    pmt.streams.push_back({0x06, static_cast<std::uint16_t>(0x100 + i), desc});
  }
  const Bytes ts = psi(pmt);
  EXPECT_GT(ts.size(), 3 * kPacketSize);
  const Collected c = demux(ts, 1);
  EXPECT_EQ(c.tracks.size(), Demuxer::kMaxTracks);
  EXPECT_EQ(c.counters.droppedTracks, 4u);
  EXPECT_EQ(c.counters.badCrc, 0u);
}

TEST(DemuxerTest, SplitsAMultiFrameAdtsPes) {
  Pmt pmt;
  pmt.pcrPid = 0x101;
  pmt.streams.push_back({0x0f, 0x101, {}});
  Bytes ts = psi(pmt);
  const codec::aac::AudioSpecificConfig config{2, 48000, 2};
  Bytes es;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(AdtsHeader::write(config, 100 + i, es).ok());
    es.insert(es.end(), 100 + i, static_cast<std::uint8_t>(i));
  }
  Bytes pes;
  PesHeader::write(PesHeader::kAudioStreamId, es.size(), 90000, std::nullopt, pes);
  pes.insert(pes.end(), es.begin(), es.end());
  std::uint8_t cc = 0;
  const Bytes p = packets(0x101, pes, cc);
  ts.insert(ts.end(), p.begin(), p.end());

  const Collected c = demux(ts);
  ASSERT_EQ(c.tracks.size(), 2u);  // discovered, then its config from ADTS
  ASSERT_TRUE(c.tracks[1].aacConfig);
  EXPECT_EQ(*c.tracks[1].aacConfig, config);
  EXPECT_EQ(c.tracks[1].clockRate, 48000u);
  ASSERT_EQ(c.units.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const auto& u = c.units[static_cast<std::size_t>(i)];
    EXPECT_EQ(u.pts, 48000 + 1024 * i);  // 1 s in the sample-rate clock
    EXPECT_EQ(u.data, Bytes(static_cast<std::size_t>(100 + i), static_cast<std::uint8_t>(i)));
  }
}

TEST(DemuxerTest, DropsAPesOverTheSizeLimit) {
  Pmt pmt;
  pmt.pcrPid = 0x100;
  pmt.streams.push_back({0x1b, 0x100, {}});
  Collected c;
  Demuxer d(collector(c));
  d.feed(psi(pmt));
  Bytes pes;
  PesHeader::write(PesHeader::kVideoStreamId, 0x10000, 0, std::nullopt, pes);  // unbounded
  pes.resize(Demuxer::kMaxPesSize + 1000, 0x00);
  pes[40] = 1;
  std::uint8_t cc = 0;
  d.feed(packets(0x100, pes, cc));
  d.flush();
  EXPECT_TRUE(c.units.empty());
  EXPECT_EQ(d.counters().droppedPes, 1u);
}

// tests/data/h264/testsrc_320x240.h264 through the muxer: units, keyframe flag and the SPS/PPS
// the track learns.
TEST(DemuxerTest, ExtractsParameterSetsFromARealStream) {
  const Bytes stream = test::readTestData("h264/testsrc_320x240.h264");
  ASSERT_FALSE(stream.empty());
  const auto nals = codec::splitAnnexB(stream);
  Bytes ts;
  Muxer m({}, [&](std::span<const std::uint8_t> b) { ts.insert(ts.end(), b.begin(), b.end()); });
  Track video;
  video.codec = Codec::H264;
  const auto pid = *m.addTrack(video);
  Bytes first;
  for (std::size_t i = 0; i < 4; ++i) codec::appendNal(nals[i], first);  // SPS PPS SEI IDR
  Unit u;
  u.pid = pid;
  u.hasPts = true;
  u.keyframe = true;
  u.data = first;
  ASSERT_TRUE(m.write(u).ok());
  for (std::size_t i = 4; i < nals.size(); ++i) {
    Bytes unit;
    codec::appendNal(nals[i], unit);
    u.pts = u.dts = 3000 * static_cast<std::int64_t>(i - 3);
    u.keyframe = false;
    u.data = unit;
    ASSERT_TRUE(m.write(u).ok());
  }
  m.flush();
  const Collected c = demux(ts);
  ASSERT_EQ(c.units.size(), nals.size() - 3);
  EXPECT_TRUE(c.units[0].keyframe);
  EXPECT_EQ(c.units[0].data, first);
  EXPECT_FALSE(c.units[1].keyframe);
  ASSERT_EQ(c.tracks.size(), 2u);
  EXPECT_EQ(c.tracks[1].sps, Bytes(nals[0].begin(), nals[0].end()));
  EXPECT_EQ(c.tracks[1].pps, Bytes(nals[1].begin(), nals[1].end()));
}

}  // namespace
}  // namespace ocellus::format::mpegts

namespace ocellus::format::mpegts {
namespace {

// tests/data/mpegts/klv_sample.ts (see its README.md): H.264 + asynchronous KLV made by
// tests/e2e/lib/klv_ts.py, independently of our muxer.
TEST(DemuxerTest, ReadsTheKlvSample) {
  const Bytes ts = test::readTestData("mpegts/klv_sample.ts");
  ASSERT_EQ(ts.size(), 7520u);
  const Collected c = demux(ts);
  EXPECT_EQ(c.counters.continuityErrors, 0u);
  EXPECT_EQ(c.counters.badCrc, 0u);
  EXPECT_EQ(c.counters.droppedPes, 0u);
  std::vector<Collected::U> video;
  std::vector<Collected::U> klv;
  for (const auto& u : c.units) (u.pid == 0x100 ? video : klv).push_back(u);
  ASSERT_EQ(video.size(), 10u);
  EXPECT_TRUE(video[0].keyframe);
  EXPECT_FALSE(video[1].keyframe);
  EXPECT_EQ(video[9].pts, 90000 + 9 * 9000);
  ASSERT_FALSE(c.tracks.empty());
  EXPECT_EQ(c.tracks.back().sps.size() > 0, true);
  EXPECT_EQ(c.tracks.back().pps.size() > 0, true);

  ASSERT_EQ(klv.size(), 2u);
  EXPECT_EQ(klv[0].pts, 90000);
  EXPECT_EQ(klv[1].pts, 135000);
  auto m = codec::klv::Misb0601::decode(klv[0].data);
  ASSERT_TRUE(m.ok()) << m.error().describe();
  EXPECT_EQ(m->precisionTimeStamp, 1700000000000000u);
  EXPECT_EQ(m->missionId, "OCELLUS");
  EXPECT_DOUBLE_EQ(*m->platformHeading, 16384.0 * 360 / 65535);
  EXPECT_DOUBLE_EQ(*m->platformPitch, -8192.0 * 40 / 65534);
  EXPECT_DOUBLE_EQ(*m->platformRoll, 6553.0 * 100 / 65534);
  EXPECT_DOUBLE_EQ(*m->sensorLatitude, 1165763884.0 * 180 / 4294967294.0);
  EXPECT_DOUBLE_EQ(*m->sensorLongitude, 28062839.0 * 360 / 4294967294.0);
  EXPECT_DOUBLE_EQ(*m->sensorTrueAltitude, 7904.0 * 19900 / 65535 - 900);
  EXPECT_DOUBLE_EQ(*m->sensorHfov, 10922.0 * 180 / 65535);
  EXPECT_DOUBLE_EQ(*m->sensorVfov, 7282.0 * 180 / 65535);
  EXPECT_DOUBLE_EQ(*m->sensorRelativeAzimuth, 536870912.0 * 360 / 4294967295.0);
  EXPECT_DOUBLE_EQ(*m->sensorRelativeElevation, -357913941.0 * 360 / 4294967294.0);
  EXPECT_DOUBLE_EQ(*m->sensorRelativeRoll, 0.0);
  EXPECT_DOUBLE_EQ(*m->slantRange, 2147484.0 * 5000000 / 4294967295.0);
  EXPECT_DOUBLE_EQ(*m->frameCenterLatitude, 1165606402.0 * 180 / 4294967294.0);
  EXPECT_DOUBLE_EQ(*m->frameCenterLongitude, 28036592.0 * 360 / 4294967294.0);
  EXPECT_DOUBLE_EQ(*m->frameCenterElevation, 3079.0 * 19900 / 65535 - 900);
  EXPECT_EQ(m->version, 19);
  EXPECT_TRUE(m->unknown.empty());

  auto second = codec::klv::Misb0601::decode(klv[1].data);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->precisionTimeStamp, 1700000000500000u);
  EXPECT_NEAR(*second->platformHeading, 91.5, 360.0 / 65535);
  EXPECT_FALSE(second->platformPitch);

  // And through our muxer and back: the same units.
  Bytes again;
  Muxer mux({}, [&](std::span<const std::uint8_t> b) { again.insert(again.end(), b.begin(), b.end()); });
  std::map<std::uint16_t, std::uint16_t> pids;
  for (const auto& t : demux(ts).tracks) {
    if (!pids.count(t.pid)) pids[t.pid] = *mux.addTrack(t);
  }
  for (const auto& u : c.units) {
    Unit v;
    v.pid = pids[u.pid];
    v.hasPts = u.hasPts;
    v.pts = u.pts;
    v.dts = u.dts;
    v.keyframe = u.keyframe;
    v.data = u.data;
    ASSERT_TRUE(mux.write(v).ok());
  }
  mux.flush();
  EXPECT_EQ(demux(again).units, c.units);
}

}  // namespace
}  // namespace ocellus::format::mpegts
