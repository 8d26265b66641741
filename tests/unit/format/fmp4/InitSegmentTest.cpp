#include "format/fmp4/InitSegment.h"

#include <gtest/gtest.h>

#include "format/fmp4/CodecString.h"
#include "unit/format/fmp4/Fmp4TestData.h"

namespace ocellus::format::fmp4 {
namespace {

using test::Bytes;

TrackConfig opusTrack() {
  TrackConfig t;
  t.id = 3;
  t.codec = codec::CodecId::Opus;
  t.timescale = 48000;
  t.channels = 2;
  t.sampleRate = 48000;
  t.opusPreSkip = 312;
  return t;
}

// The box tree: ftyp then moov with mvhd, a trak per track and mvex with a trex per track.
TEST(InitSegmentTest, HasTheCmafBoxTree) {
  const std::vector<TrackConfig> tracks = {test::loadVideo(true).track, test::loadAac(1).track};
  auto bytes = InitSegment::write(tracks);
  ASSERT_TRUE(bytes) << bytes.error().describe();
  BoxReader top(*bytes);
  std::vector<std::string> types;
  while (auto box = top.next()) {
    if (!*box) break;
    types.push_back(fourCcText((*box)->type));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"ftyp", "moov"}));
  auto moov = findBox(*bytes, fourCc("moov"));
  ASSERT_TRUE(moov);
  BoxReader inside(moov->payload);
  types.clear();
  while (auto box = inside.next()) {
    if (!*box) break;
    types.push_back(fourCcText((*box)->type));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"mvhd", "trak", "trak", "mvex"}));
  auto mvex = findBox(moov->payload, fourCc("mvex"));
  ASSERT_TRUE(mvex);
  auto trex = findBox(mvex->payload, fourCc("trex"));
  ASSERT_TRUE(trex);
  EXPECT_EQ(trex->size, 32u);

  auto parsed = InitSegment::parse(*bytes);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->compatibleBrands, (std::vector<FourCc>{fourCc("iso6"), fourCc("cmfc"), fourCc("isom")}));
  EXPECT_EQ(parsed->tracks, tracks);
}

TEST(InitSegmentTest, OpusRoundTrips) {
  const std::vector<TrackConfig> tracks = {opusTrack()};
  auto bytes = InitSegment::write(tracks);
  ASSERT_TRUE(bytes) << bytes.error().describe();
  auto parsed = InitSegment::parse(*bytes);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->tracks, tracks);
}

TEST(InitSegmentTest, RejectsBadTracks) {
  TrackConfig noConfig = test::loadVideo(false).track;
  noConfig.decoderConfig.clear();
  EXPECT_EQ(InitSegment::write(std::vector{noConfig}).error().code, base::ErrorCode::InvalidArgument);
  const TrackConfig video = test::loadVideo(false).track;
  EXPECT_NE(InitSegment::write(std::vector{video, video}).error().message.find("twice"), std::string::npos);
  TrackConfig pcmu = video;
  pcmu.codec = codec::CodecId::PCMU;
  EXPECT_EQ(InitSegment::write(std::vector{pcmu}).error().code, base::ErrorCode::Unsupported);
  TrackConfig surround = opusTrack();
  surround.channels = 6;
  EXPECT_EQ(InitSegment::write(std::vector{surround}).error().code, base::ErrorCode::Unsupported);
  EXPECT_FALSE(InitSegment::write({}));
}

// Every truncation of a valid segment fails with an error, never a crash or a partial track list.
TEST(InitSegmentTest, TruncationsFail) {
  const std::vector<TrackConfig> tracks = {test::loadVideo(false).track, test::loadAac(1).track};
  const Bytes bytes = *InitSegment::write(tracks);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(InitSegment::parse(std::span(bytes).first(cut))) << cut;
  }
}

TEST(CodecStringTest, KnownTracks) {
  EXPECT_EQ(*codecString(test::loadVideo(false).track), "avc1.42C01F");
  EXPECT_EQ(*codecString(test::loadVideo(true).track), "hvc1.1.6.L93.90");
  EXPECT_EQ(*codecString(test::loadAac(1).track), "mp4a.40.2");
  EXPECT_EQ(*codecString(opusTrack()), "opus");
  const std::vector<TrackConfig> tracks = {test::loadVideo(false).track, test::loadAac(1).track};
  EXPECT_EQ(*codecsAttribute(tracks), "avc1.42C01F,mp4a.40.2");
  TrackConfig broken = tracks[0];
  broken.decoderConfig = {1, 2};
  EXPECT_FALSE(codecString(broken));
}

}  // namespace
}  // namespace ocellus::format::fmp4
