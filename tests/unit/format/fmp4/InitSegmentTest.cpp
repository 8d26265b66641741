#include "format/fmp4/InitSegment.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "format/fmp4/CodecString.h"
#include "unit/codec/av1/Av1TestData.h"
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

TrackConfig av1Track(const char* av1cHex = codec::av1::test::kAv1cHex) {
  TrackConfig t;
  t.codec = codec::CodecId::AV1;
  t.width = 320;
  t.height = 240;
  t.decoderConfig = ocellus::test::hex(av1cHex);
  return t;
}

TrackConfig klvTrack() {
  TrackConfig t;
  t.id = 2;
  t.codec = codec::CodecId::KLV;
  return t;
}

// The payload of the box at `path` (each a child of the one before) in `data`.
std::span<const std::uint8_t> boxAt(std::span<const std::uint8_t> data, std::initializer_list<FourCc> path) {
  for (const FourCc type : path) {
    auto box = findBox(data, type);
    if (!box) return {};
    data = box->payload;
  }
  return data;
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

// AV1 in ISOBMFF §2.2–2.3: an 'av01' visual sample entry holding the av1C as given.
TEST(InitSegmentTest, Av1IsAnAv01EntryWithItsAv1c) {
  const std::vector<TrackConfig> tracks = {av1Track(), opusTrack()};
  auto bytes = InitSegment::write(tracks);
  ASSERT_TRUE(bytes) << bytes.error().describe();
  Bytes boxed = {'a', 'v', '1', 'C'};
  boxed.insert(boxed.end(), tracks[0].decoderConfig.begin(), tracks[0].decoderConfig.end());
  EXPECT_NE(std::search(bytes->begin(), bytes->end(), boxed.begin(), boxed.end()), bytes->end());
  auto parsed = InitSegment::parse(*bytes);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->tracks, tracks);
  TrackConfig noConfig = av1Track();
  noConfig.decoderConfig.clear();
  EXPECT_EQ(InitSegment::write(std::vector{noConfig}).error().code, base::ErrorCode::InvalidArgument);
}

// A KLV track is a timed-metadata track (ISO/IEC 14496-12 §12.3): handler 'meta', a null media
// header, and a 'urim' entry whose 'uri ' names the MISB ST 0601 universal label.
TEST(InitSegmentTest, KlvIsATimedMetadataTrack) {
  const std::vector<TrackConfig> tracks = {test::loadVideo(false).track, klvTrack()};
  auto bytes = InitSegment::write(tracks);
  ASSERT_TRUE(bytes) << bytes.error().describe();
  auto moov = findBox(*bytes, fourCc("moov"));
  ASSERT_TRUE(moov);
  BoxReader traks(moov->payload);
  std::vector<std::span<const std::uint8_t>> trakPayloads;
  while (auto box = traks.next()) {
    if (!*box) break;
    if ((*box)->type == fourCc("trak")) trakPayloads.push_back((*box)->payload);
  }
  ASSERT_EQ(trakPayloads.size(), 2u);
  const auto hdlr = boxAt(trakPayloads[1], {fourCc("mdia"), fourCc("hdlr")});
  ASSERT_GE(hdlr.size(), 12u);
  EXPECT_EQ(fourCcText(static_cast<FourCc>(hdlr[8] << 24 | hdlr[9] << 16 | hdlr[10] << 8 | hdlr[11])), "meta");
  EXPECT_TRUE(findBox(boxAt(trakPayloads[1], {fourCc("mdia"), fourCc("minf")}), fourCc("nmhd")));
  const auto stsd = boxAt(trakPayloads[1], {fourCc("mdia"), fourCc("minf"), fourCc("stbl"), fourCc("stsd")});
  ASSERT_GT(stsd.size(), 8u);
  const auto urim = findBox(stsd.subspan(8), fourCc("urim"));
  ASSERT_TRUE(urim);
  const auto uri = findBox(urim->payload.subspan(8), fourCc("uri "));
  ASSERT_TRUE(uri);
  const std::string text(uri->payload.begin() + 4, uri->payload.end());
  EXPECT_EQ(text, std::string(InitSegment::kKlvUri) + '\0');

  auto parsed = InitSegment::parse(*bytes);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->tracks, tracks);
  EXPECT_EQ(primaryTrack(parsed->tracks), 0u);
  // Metadata never leads: with audio and KLV, the audio track does, wherever it is listed.
  EXPECT_EQ(primaryTrack(std::vector{klvTrack(), opusTrack()}), 1u);
  // Some other metadata is not read as KLV.
  Bytes other = *bytes;
  const auto at = std::search(other.begin(), other.end(), InitSegment::kKlvUri.begin(), InitSegment::kKlvUri.end());
  ASSERT_NE(at, other.end());
  *(at + 4) = 'x';
  EXPECT_EQ(InitSegment::parse(other).error().code, base::ErrorCode::Unsupported);
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
  // Metadata alone is no recording: nothing would time or cut its fragments.
  EXPECT_NE(InitSegment::write(std::vector{klvTrack()}).error().message.find("without an audio or video track"),
            std::string::npos);
}

// Every truncation of a valid segment fails with an error, never a crash or a partial track list.
TEST(InitSegmentTest, TruncationsFail) {
  TrackConfig klv = klvTrack();
  klv.id = 5;
  const std::vector<TrackConfig> tracks = {test::loadVideo(false).track, test::loadAac(1).track, klv};
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
  // av01.<profile>.<level><tier>.<bit depth>, from the av1C of libaom and rav1e streams.
  EXPECT_EQ(*codecString(av1Track()), "av01.0.00M.08");
  EXPECT_EQ(*codecString(av1Track("81004c00 0a0b000000043cffbcdaf94040")), "av01.0.00M.10");
  EXPECT_EQ(*codecString(av1Track("811f0c00 0a0e000000fa1e7fde210ac8101010a0")), "av01.0.31M.08");
  const std::vector<TrackConfig> tracks = {test::loadVideo(false).track, test::loadAac(1).track};
  EXPECT_EQ(*codecsAttribute(tracks), "avc1.42C01F,mp4a.40.2");
  // A metadata track has no codecs value; players would refuse one they do not know.
  EXPECT_FALSE(codecString(klvTrack()));
  EXPECT_EQ(*codecsAttribute(std::vector{klvTrack(), tracks[0], tracks[1]}), "avc1.42C01F,mp4a.40.2");
  TrackConfig broken = tracks[0];
  broken.decoderConfig = {1, 2};
  EXPECT_FALSE(codecString(broken));
}

}  // namespace
}  // namespace ocellus::format::fmp4
