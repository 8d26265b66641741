#include "bridge/RtpTrackReceiver.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "codec/AnnexB.h"
#include "codec/NalUnits.h"
#include "codec/h264/Nal.h"
#include "rtp/RtpPacket.h"
#include "unit/codec/av1/Av1TestData.h"

namespace ocellus::bridge {
namespace {

// A real 320x240 baseline SPS and its PPS (from x264).
const std::vector<std::uint8_t> kSps = {0x67, 0x42, 0xc0, 0x0d, 0xd9, 0x01, 0x41, 0xfb, 0x01, 0x10,
                                        0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xf1, 0x42, 0x99, 0x20};
const std::vector<std::uint8_t> kPps = {0x68, 0xcb, 0x83, 0xcb, 0x20};

std::vector<std::uint8_t> unitOf(std::initializer_list<std::vector<std::uint8_t>> nals) {
  std::vector<std::uint8_t> out;
  for (const auto& n : nals) codec::appendNal(n, out);
  return out;
}

// RTP packets for one unit, as a camera would send them.
std::vector<std::vector<std::uint8_t>> packetsFor(const std::vector<std::uint8_t>& unit, std::uint16_t& seq,
                                                  std::uint32_t ts, codec::CodecId id = codec::CodecId::H264) {
  auto packetizer = rtp::makePacketizer({.codec = id});
  std::vector<std::uint8_t> bytes;
  std::vector<rtp::PayloadRef> refs;
  packetizer->packetize(unit, bytes, refs);
  std::vector<std::vector<std::uint8_t>> out;
  for (const auto& r : refs) {
    std::vector<std::uint8_t> p(rtp::kRtpHeaderSize);
    rtp::writeRtpHeader(std::span<std::uint8_t, rtp::kRtpHeaderSize>(p.data(), rtp::kRtpHeaderSize), r.marker, 96,
                        seq++, ts, 0x1234);
    p.insert(p.end(), bytes.begin() + r.offset, bytes.begin() + r.offset + r.size);
    out.push_back(std::move(p));
  }
  return out;
}

struct Collected {
  std::vector<std::int64_t> pts;
  std::vector<std::vector<std::uint8_t>> data;
  std::vector<bool> keys;
};

media::TrackInfo h264Track(bool withParams) {
  media::TrackInfo t;
  t.codec = codec::CodecId::H264;
  if (withParams) {
    t.sps = kSps;
    t.pps = kPps;
  }
  return t;
}

TEST(RtpTrackReceiverTest, KeyframesGetParameterSetsKnownOnlyFromSdp) {
  RtpTrackReceiver r(h264Track(true), 0, false);
  EXPECT_EQ(r.track().width, 320);
  EXPECT_EQ(r.track().height, 240);
  Collected c;
  std::uint16_t seq = 100;
  const std::vector<std::uint8_t> idr(3000, 0x11);
  auto idrNal = idr;
  idrNal[0] = 0x65;
  for (auto& p : packetsFor(unitOf({idrNal}), seq, 9000)) {
    r.push(p, {}, [&](media::MutableUnitPtr u) {
      c.keys.push_back(u->keyframe);
      c.data.push_back(u->data);
    });
  }
  ASSERT_EQ(c.data.size(), 1u);
  EXPECT_TRUE(c.keys[0]);
  std::vector<int> types;
  for (auto nal : codec::NalUnits(c.data[0])) types.push_back(static_cast<int>(codec::h264::nalType(nal[0])));
  EXPECT_EQ(types, (std::vector<int>{7, 8, 5}));
}

TEST(RtpTrackReceiverTest, InBandParameterSetsDescribeTheTrack) {
  RtpTrackReceiver r(h264Track(false), 0, false);
  EXPECT_EQ(r.track().width, 0);
  std::uint16_t seq = 1;
  for (auto& p : packetsFor(unitOf({kSps, kPps, {0x65, 0x88, 0x84}}), seq, 0)) r.push(p, {}, [](auto) {});
  // The unit completes when the next timestamp starts (no marker needed).
  for (auto& p : packetsFor(unitOf({{0x41, 0x9a}}), seq, 3000)) r.push(p, {}, [](auto) {});
  EXPECT_TRUE(r.takeTrackChange());
  EXPECT_FALSE(r.takeTrackChange());
  EXPECT_EQ(r.track().sps, kSps);
  EXPECT_EQ(r.track().pps, kPps);
  EXPECT_EQ(r.track().width, 320);
}

TEST(RtpTrackReceiverTest, Vp8KeyFramesDescribeThePictureSize) {
  media::TrackInfo t;
  t.codec = codec::CodecId::VP8;
  RtpTrackReceiver r(t, 0, false);
  std::vector<bool> keys;
  std::uint16_t seq = 1;
  const std::vector<std::uint8_t> key = {0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, 0x11};
  const std::vector<std::uint8_t> inter = {0x31, 0x05, 0x00, 0x22};
  for (const auto* frame : {&key, &inter}) {
    for (auto& p : packetsFor(*frame, seq, seq * 3000u, codec::CodecId::VP8)) {
      r.push(p, {}, [&](media::MutableUnitPtr u) { keys.push_back(u->keyframe); });
    }
  }
  EXPECT_EQ(keys, (std::vector<bool>{true, false}));
  EXPECT_TRUE(r.takeTrackChange());
  EXPECT_EQ(r.track().width, 320);
  EXPECT_EQ(r.track().height, 240);
}

TEST(RtpTrackReceiverTest, Av1KeyFramesDescribeTheTrack) {
  namespace av1 = codec::av1::test;
  media::TrackInfo t;
  t.codec = codec::CodecId::AV1;
  RtpTrackReceiver r(t, 0, false);
  std::vector<bool> keys;
  std::uint16_t seq = 1;
  auto key = av1::sequenceHeaderObu();
  key.insert(key.end(), av1::kKeyFrameObu.begin(), av1::kKeyFrameObu.end());
  for (const auto& frame : {key, av1::kInterFrameObu}) {
    for (auto& p : packetsFor(frame, seq, seq * 3000u, codec::CodecId::AV1)) {
      r.push(p, {}, [&](media::MutableUnitPtr u) { keys.push_back(u->keyframe); });
    }
  }
  EXPECT_EQ(keys, (std::vector<bool>{true, false}));
  EXPECT_TRUE(r.takeTrackChange());
  EXPECT_FALSE(r.takeTrackChange());
  EXPECT_EQ(r.track().width, 320);
  EXPECT_EQ(r.track().height, 240);
  EXPECT_EQ(r.track().sequenceHeader, av1::sequenceHeaderObu());  // what fMP4 and RTMP readers need
}

TEST(RtpTrackReceiverTest, ANewPpsOfTheSameSizeChangesTheTrack) {
  RtpTrackReceiver r(h264Track(true), 0, false);
  EXPECT_FALSE(r.takeTrackChange());
  auto pps = kPps;
  pps.back() ^= 0x10;  // same length, other content (a camera changing its encoder settings)
  std::uint16_t seq = 1;
  for (auto& p : packetsFor(unitOf({kSps, pps, {0x65, 0x88, 0x84}}), seq, 0)) r.push(p, {}, [](auto) {});
  for (auto& p : packetsFor(unitOf({{0x41, 0x9a}}), seq, 3000)) r.push(p, {}, [](auto) {});
  EXPECT_TRUE(r.takeTrackChange());
  EXPECT_EQ(r.track().pps, pps);
}

TEST(RtpTrackReceiverTest, TimestampsUnwrapAndAbsorbClockJumps) {
  RtpTrackReceiver r(h264Track(true), 0, false, 500);
  std::vector<std::int64_t> pts;
  std::uint16_t seq = 7;
  // Across the 32-bit wrap, then a camera clock jump of an hour.
  for (std::uint32_t ts : {0xFFFFF000u, 0xFFFFF000u + 3000u, 1000u, 4000u, 4000u + 90000u * 3600u, 7000u + 90000u * 3600u}) {
    for (auto& p : packetsFor(unitOf({{0x41, 0x9a}}), seq, ts)) {
      r.push(p, {}, [&](media::MutableUnitPtr u) { pts.push_back(u->pts); });
    }
  }
  ASSERT_EQ(pts.size(), 6u);
  EXPECT_EQ(pts[0], 500);
  EXPECT_EQ(pts[1], 3500);
  EXPECT_EQ(pts[2], 500 + 4096 + 1000);  // wrapped: 0x1000 to the wrap, then 1000
  for (std::size_t i = 1; i < pts.size(); ++i) {
    EXPECT_GT(pts[i], pts[i - 1]);
    EXPECT_LT(pts[i] - pts[i - 1], 90000);  // the hour-long jump was absorbed
  }
  EXPECT_EQ(pts[5] - pts[4], 3000);  // after the jump, steps are kept
}

TEST(RtpTrackReceiverTest, AJumpRightAfterATimestampOfZeroIsAbsorbed) {
  // Found by fuzz_RtpTrackReceiver: 0 was taken for "no previous unit".
  RtpTrackReceiver r(h264Track(true), 0, false);
  std::vector<std::int64_t> pts;
  std::uint16_t seq = 1;
  for (std::uint32_t ts : {0u, 90000u * 3600u, 90000u * 3600u + 3000u}) {
    for (auto& p : packetsFor(unitOf({{0x41, 0x9a}}), seq, ts)) {
      r.push(p, {}, [&](media::MutableUnitPtr u) { pts.push_back(u->pts); });
    }
  }
  ASSERT_EQ(pts.size(), 3u);  // each unit ends with a marker bit
  EXPECT_LT(pts[1] - pts[0], 90000);
  EXPECT_EQ(pts[2] - pts[1], 3000);
}

TEST(RtpTrackReceiverTest, UdpReorderingIsUndone) {
  std::uint16_t seq = 65530;  // across the sequence wrap too
  std::vector<std::vector<std::uint8_t>> packets;
  std::vector<std::uint8_t> big(5000, 0x22);
  big[0] = 0x41;
  for (std::uint32_t i = 0; i < 4; ++i) {
    for (auto& p : packetsFor(unitOf({big}), seq, i * 3000)) packets.push_back(std::move(p));
  }
  auto run = [&](const std::vector<std::vector<std::uint8_t>>& order) {
    RtpTrackReceiver r(h264Track(true), 0, true);
    std::vector<std::vector<std::uint8_t>> units;
    for (const auto& p : order) r.push(p, {}, [&](media::MutableUnitPtr u) { units.push_back(u->data); });
    return units;
  };
  auto inOrder = run(packets);
  auto shuffled = packets;
  // Swap neighbours everywhere but at the very start (nothing can tell that a packet older
  // than the first one seen was not simply late).
  for (std::size_t i = 1; i + 1 < shuffled.size(); i += 3) std::swap(shuffled[i], shuffled[i + 1]);
  ASSERT_NE(shuffled, packets);
  EXPECT_EQ(inOrder.size(), 4u);
  EXPECT_EQ(run(shuffled), inOrder);
}

TEST(RtpTrackReceiverTest, MalformedPacketsAreCountedAndDropped) {
  RtpTrackReceiver r(h264Track(true), 0, false);
  const std::vector<std::uint8_t> garbage = {0x00, 0x01, 0x02};
  r.push(garbage, {}, [](auto) { FAIL(); });
  EXPECT_EQ(r.malformed(), 1u);
  EXPECT_EQ(r.packets(), 0u);
}

}  // namespace
}  // namespace ocellus::bridge
