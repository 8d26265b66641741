#include "bridge/FlvReceiver.h"

#include <gtest/gtest.h>

#include "codec/AnnexB.h"
#include "codec/NalUnits.h"
#include "codec/h264/DecoderConfigurationRecord.h"
#include "format/flv/AudioTag.h"
#include "format/flv/VideoTag.h"
#include "unit/codec/av1/Av1TestData.h"

namespace ocellus::bridge {
namespace {

using format::flv::AacPacketType;
using format::flv::AudioTag;
using format::flv::VideoCodec;
using format::flv::VideoTag;
using Bytes = std::vector<std::uint8_t>;

// A real 320x240 baseline SPS and its PPS (from x264).
const Bytes kSps = {0x67, 0x42, 0xc0, 0x0d, 0xd9, 0x01, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00,
                    0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xf1, 0x42, 0x99, 0x20};
const Bytes kPps = {0x68, 0xcb, 0x83, 0xcb, 0x20};
const Bytes kIdr = {0x65, 0x88, 0x84, 0x00, 0x33};
const Bytes kSlice = {0x41, 0x9a, 0x02, 0x04};
const Bytes kAsc = {0x11, 0x90};  // AAC LC, 48 kHz, stereo

Bytes unitOf(std::initializer_list<Bytes> nals) {
  Bytes out;
  for (const auto& n : nals) codec::appendNal(n, out);
  return out;
}

Bytes avcSequenceHeader() {
  auto record = codec::h264::DecoderConfigurationRecord::fromParameterSets(kSps, kPps);
  EXPECT_TRUE(record);
  return VideoTag::sequenceStart(VideoCodec::H264, record->serialize());
}

struct Fixture : ::testing::Test {
  FlvReceiver receiver;
  std::vector<media::UnitPtr> units;
  base::SteadyTime now{};

  void start() {
    receiver.start([this](media::MutableUnitPtr u) { units.push_back(std::move(u)); });
  }
  base::Status video(std::uint32_t ts, const Bytes& body) { return receiver.pushVideo(ts, body, now); }
  base::Status audio(std::uint32_t ts, const Bytes& body) { return receiver.pushAudio(ts, body, now); }
};

TEST_F(Fixture, TracksComeFromTheSequenceHeaders) {
  EXPECT_FALSE(receiver.hasTracks());
  ASSERT_TRUE(video(0, avcSequenceHeader()));
  EXPECT_FALSE(receiver.complete());  // nothing announced: audio is waited for too
  ASSERT_TRUE(audio(0, AudioTag::aac(AacPacketType::SequenceHeader, kAsc)));
  ASSERT_TRUE(receiver.complete());
  const auto tracks = receiver.tracks();
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].codec, codec::CodecId::H264);
  EXPECT_EQ(tracks[0].clockRate, 90000u);
  EXPECT_EQ(tracks[0].sps, kSps);
  EXPECT_EQ(tracks[0].pps, kPps);
  EXPECT_EQ(tracks[0].width, 320);
  EXPECT_EQ(tracks[0].height, 240);
  EXPECT_EQ(tracks[1].codec, codec::CodecId::AAC);
  EXPECT_EQ(tracks[1].clockRate, 48000u);
  EXPECT_EQ(tracks[1].channels, 2u);
  EXPECT_EQ(tracks[1].audioConfig, kAsc);
}

TEST_F(Fixture, AnnouncedVideoOnlyIsCompleteWithoutAudio) {
  receiver.expect(true, false);
  ASSERT_TRUE(video(0, avcSequenceHeader()));
  EXPECT_TRUE(receiver.complete());
  EXPECT_EQ(receiver.tracks().size(), 1u);
}

TEST_F(Fixture, HeldUnitsAreDeliveredAtStartWithTheirTrackIndex) {
  ASSERT_TRUE(video(0, avcSequenceHeader()));
  ASSERT_TRUE(video(0, VideoTag::frame(VideoCodec::H264, true, 0, unitOf({kIdr}))));
  ASSERT_TRUE(audio(0, AudioTag::aac(AacPacketType::SequenceHeader, kAsc)));
  ASSERT_TRUE(audio(10, AudioTag::aac(AacPacketType::Raw, Bytes{1, 2, 3})));
  EXPECT_TRUE(units.empty());
  start();
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0]->track, 0u);
  EXPECT_TRUE(units[0]->keyframe);
  EXPECT_EQ(units[1]->track, 1u);
  EXPECT_EQ(units[1]->data, (Bytes{1, 2, 3}));
  EXPECT_EQ(units[1]->pts, 480);  // 10 ms at 48 kHz
}

TEST_F(Fixture, KeyframesGetTheParameterSetsOfTheSequenceHeader) {
  receiver.expect(true, false);
  ASSERT_TRUE(video(0, avcSequenceHeader()));
  start();
  ASSERT_TRUE(video(0, VideoTag::frame(VideoCodec::H264, true, 0, unitOf({kIdr}))));
  ASSERT_TRUE(video(40, VideoTag::frame(VideoCodec::H264, false, 0, unitOf({kSlice}))));
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0]->data, unitOf({kSps, kPps, kIdr}));
  EXPECT_EQ(units[1]->data, unitOf({kSlice}));
}

TEST_F(Fixture, TimestampsAre90kHzWithCompositionTimeAndSurviveTheWrap) {
  receiver.expect(true, false);
  ASSERT_TRUE(video(0, avcSequenceHeader()));
  start();
  const std::uint32_t nearWrap = 0xFFFFFFF0u;
  ASSERT_TRUE(video(nearWrap, VideoTag::frame(VideoCodec::H264, true, 80, unitOf({kIdr}))));
  ASSERT_TRUE(video(nearWrap + 40, VideoTag::frame(VideoCodec::H264, false, 0, unitOf({kSlice}))));  // wrapped
  ASSERT_TRUE(video(nearWrap + 20, VideoTag::frame(VideoCodec::H264, false, 0, unitOf({kSlice}))));  // back in time
  ASSERT_EQ(units.size(), 3u);
  const std::int64_t first = std::int64_t{nearWrap} * 90;
  EXPECT_EQ(units[0]->dts, first);
  EXPECT_EQ(units[0]->pts, first + 80 * 90);
  EXPECT_EQ(units[1]->dts, first + 40 * 90);
  EXPECT_EQ(units[2]->dts, units[1]->dts);  // clamped: dts never goes back
}

TEST_F(Fixture, TwoByteNalLengthsAreRewrittenToFour) {
  auto record = codec::h264::DecoderConfigurationRecord::fromParameterSets(kSps, kPps);
  record->lengthSizeMinusOne = 1;
  receiver.expect(true, false);
  ASSERT_TRUE(video(0, VideoTag::sequenceStart(VideoCodec::H264, record->serialize())));
  start();
  const Bytes twoByte = {0x00, 0x04, 0x41, 0x9a, 0x02, 0x04};
  ASSERT_TRUE(video(0, VideoTag::frame(VideoCodec::H264, false, 0, twoByte)));
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0]->data, unitOf({kSlice}));
}

TEST_F(Fixture, BadInputIsRefusedAndDropsOnlyThatMessage) {
  receiver.expect(true, true);
  EXPECT_FALSE(video(0, Bytes{}));                                                     // truncated tag
  EXPECT_FALSE(video(0, VideoTag::frame(VideoCodec::H264, true, 0, unitOf({kIdr}))));  // before the header
  EXPECT_FALSE(video(0, VideoTag::sequenceStart(VideoCodec::H264, Bytes{1, 2, 3})));   // broken record
  ASSERT_TRUE(video(0, avcSequenceHeader()));
  const Bytes brokenLengths = {0x00, 0x00, 0x00, 0x09, 0x41};
  EXPECT_FALSE(video(0, VideoTag::frame(VideoCodec::H264, false, 0, brokenLengths)));
  EXPECT_FALSE(video(0, VideoTag::frame(VideoCodec::VP9, true, 0, Bytes{1})));         // not carried
  EXPECT_FALSE(video(0, VideoTag::frame(VideoCodec::AV1, true, 0, Bytes{1})));         // another codec
  EXPECT_FALSE(audio(0, Bytes{0x2F, 0x01}));                                            // MP3
  EXPECT_FALSE(audio(0, AudioTag::aac(AacPacketType::Raw, Bytes{1})));                  // before its config
  ASSERT_TRUE(audio(0, AudioTag::aac(AacPacketType::SequenceHeader, kAsc)));
  start();
  ASSERT_TRUE(video(0, VideoTag::frame(VideoCodec::H264, true, 0, unitOf({kIdr}))));
  EXPECT_EQ(units.size(), 1u);
}

Bytes join(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST_F(Fixture, Av1ComesFromItsAv1cAndKeyframesCarryTheSequenceHeader) {
  namespace av1 = codec::av1::test;
  receiver.expect(true, false);
  ASSERT_TRUE(video(0, VideoTag::sequenceStart(VideoCodec::AV1, av1::av1c())));
  ASSERT_TRUE(receiver.complete());
  const auto track = receiver.tracks().at(0);
  EXPECT_EQ(track.codec, codec::CodecId::AV1);
  EXPECT_EQ(track.clockRate, 90000u);
  EXPECT_EQ(track.sequenceHeader, av1::sequenceHeaderObu());
  EXPECT_EQ(track.width, 320);
  EXPECT_EQ(track.height, 240);
  start();
  // An MP4-style sample (no temporal delimiter, no sequence header) and one as some encoders
  // write it, with a temporal delimiter: both become canonical units.
  ASSERT_TRUE(video(0, VideoTag::frame(VideoCodec::AV1, true, 0, av1::kKeyFrameObu)));
  ASSERT_TRUE(video(40, VideoTag::frame(VideoCodec::AV1, false, 0, join({av1::kTemporalDelimiter, av1::kInterFrameObu}))));
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0]->data, join({av1::sequenceHeaderObu(), av1::kKeyFrameObu}));
  EXPECT_TRUE(units[0]->keyframe);
  EXPECT_EQ(units[1]->data, av1::kInterFrameObu);
  EXPECT_FALSE(units[1]->keyframe);
  EXPECT_EQ(units[1]->dts, 40 * 90);
  // A frame the FLV tag calls key but that no decoder can start at is not marked as one.
  ASSERT_TRUE(video(80, VideoTag::frame(VideoCodec::AV1, true, 0, av1::kInterFrameObu)));
  EXPECT_FALSE(units.back()->keyframe);
}

TEST_F(Fixture, BadAv1IsRefusedWithWhatIsWrong) {
  namespace av1 = codec::av1::test;
  auto bad = video(0, VideoTag::sequenceStart(VideoCodec::AV1, Bytes{0x81, 0, 0, 0}));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("bad AV1 sequence start: av1C without a sequence header"), std::string::npos)
      << bad.error().message;
  ASSERT_TRUE(video(0, VideoTag::sequenceStart(VideoCodec::AV1, av1::av1c())));
  EXPECT_FALSE(video(0, VideoTag::frame(VideoCodec::H264, true, 0, unitOf({kIdr}))));  // another codec
  const Bytes cut(av1::kKeyFrameObu.begin(), av1::kKeyFrameObu.end() - 1);
  auto broken = video(0, VideoTag::frame(VideoCodec::AV1, true, 0, cut));
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, base::ErrorCode::Malformed);
  EXPECT_FALSE(video(0, VideoTag::frame(VideoCodec::AV1, false, 0, av1::kTemporalDelimiter)));  // nothing left
}

TEST_F(Fixture, ANewSequenceHeaderAfterStartIsATrackChange) {
  receiver.expect(true, false);
  ASSERT_TRUE(video(0, avcSequenceHeader()));
  start();
  EXPECT_FALSE(receiver.takeTrackChange());
  ASSERT_TRUE(video(0, avcSequenceHeader()));  // the same again: no change
  EXPECT_FALSE(receiver.takeTrackChange());
  Bytes otherPps = kPps;
  otherPps.back() ^= 1;
  auto record = codec::h264::DecoderConfigurationRecord::fromParameterSets(kSps, otherPps);
  ASSERT_TRUE(video(0, VideoTag::sequenceStart(VideoCodec::H264, record->serialize())));
  auto change = receiver.takeTrackChange();
  ASSERT_TRUE(change);
  EXPECT_EQ(change->first, 0u);
  EXPECT_EQ(change->second.pps, otherPps);
  EXPECT_FALSE(receiver.takeTrackChange());
}

TEST_F(Fixture, AudioConfigAfterStartIsDroppedAndCounted) {
  receiver.expect(true, false);
  ASSERT_TRUE(video(0, avcSequenceHeader()));
  start();
  ASSERT_TRUE(audio(0, AudioTag::aac(AacPacketType::SequenceHeader, kAsc)));
  ASSERT_TRUE(audio(0, AudioTag::aac(AacPacketType::Raw, Bytes{1})));
  EXPECT_TRUE(units.empty());
  EXPECT_EQ(receiver.droppedUnits(), 1u);
}

}  // namespace
}  // namespace ocellus::bridge
