#include <gtest/gtest.h>

#include "bridge/MpegTsIngest.h"
#include "bridge/MpegTsReader.h"
#include "format/mpegts/Demuxer.h"
#include "unit/TestData.h"

namespace ocellus::bridge {
namespace {

namespace ts = format::mpegts;

// tests/data/mpegts/klv_sample.ts: 10 frames of 160x120 H.264 (one GOP) and two MISB ST 0601
// packets (README.md next to it).
class MpegTsBridgeTest : public ::testing::Test {
 protected:
  std::vector<std::uint8_t> sample_ = test::readTestData("mpegts/klv_sample.ts");
  io::IoContext loop_;
  media::StreamRegistry registry_;
};

TEST_F(MpegTsBridgeTest, IngestPublishesVideoAndKlvAndTheMisbFields) {
  ASSERT_FALSE(sample_.empty());
  MpegTsIngest ingest(registry_, loop_, "drone", "test");
  ASSERT_TRUE(ingest.feed(sample_).ok());
  loop_.poll();
  auto stream = registry_.find("drone");
  ASSERT_NE(stream, nullptr);
  const auto tracks = stream->tracks();
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].codec, codec::CodecId::H264);
  EXPECT_EQ(tracks[0].width, 160);
  EXPECT_EQ(tracks[0].height, 120);
  EXPECT_EQ(tracks[1].codec, codec::CodecId::KLV);
  const auto uas = stream->uasMetadata();
  ASSERT_TRUE(uas.has_value());
  EXPECT_EQ(uas->missionId, "OCELLUS");
  ASSERT_TRUE(uas->sensorLatitude.has_value());
  EXPECT_NEAR(*uas->sensorLatitude, 48.8566, 0.0002);

  // The path is taken: a second ingest of it fails with the registry's reason.
  MpegTsIngest second(registry_, loop_, "drone", "test 2");
  const auto status = second.feed(sample_);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("cannot publish 'drone'"), std::string::npos) << status.error().message;
  ingest.end();
  EXPECT_EQ(registry_.find("drone"), nullptr);
}

TEST_F(MpegTsBridgeTest, ReaderMuxesTheStreamBackFromAKeyframe) {
  MpegTsIngest ingest(registry_, loop_, "drone", "test");
  const std::size_t half = sample_.size() / 2 / 188 * 188;
  ASSERT_TRUE(ingest.feed(std::span(sample_).first(half)).ok());
  auto stream = registry_.find("drone");
  ASSERT_NE(stream, nullptr);

  std::vector<std::uint8_t> out;
  bool ended = false;
  auto reader = std::make_shared<MpegTsReader>(
      stream->tracks(), [&](std::span<const std::uint8_t> packets) {
        EXPECT_EQ(packets.size() % 188, 0u);
        out.insert(out.end(), packets.begin(), packets.end());
      },
      [&] { ended = true; });
  EXPECT_EQ(reader->carried(), 2u);
  stream->addReader(reader, loop_);
  loop_.poll();  // the reader joins: the cached GOP first
  ASSERT_TRUE(ingest.feed(std::span(sample_).subspan(half)).ok());
  ingest.end();
  loop_.restart();
  loop_.poll();
  EXPECT_TRUE(ended);

  int video = 0, klv = 0;
  bool firstIsKeyframe = false;
  ts::Demuxer demuxer({{}, [&](const ts::Unit& u) {
                         if (u.codec == ts::Codec::H264) {
                           if (video++ == 0) firstIsKeyframe = u.keyframe;
                         }
                         if (u.codec == ts::Codec::Klv) ++klv;
                       }});
  demuxer.feed(out);
  demuxer.flush();
  EXPECT_TRUE(firstIsKeyframe);
  EXPECT_GE(video, 8);  // the cached GOP and what followed (the last PES may stay open)
  EXPECT_GE(klv, 1);
  EXPECT_EQ(demuxer.counters().continuityErrors, 0u);
}

}  // namespace
}  // namespace ocellus::bridge
