#include "bridge/FlvSender.h"

#include <gtest/gtest.h>

#include "base/ByteWriter.h"
#include "codec/AnnexB.h"
#include "codec/h264/DecoderConfigurationRecord.h"
#include "format/flv/AudioTag.h"
#include "format/flv/VideoTag.h"
#include "proto/rtmp/Amf0.h"
#include "proto/rtmp/ChunkReader.h"
#include "proto/rtmp/ChunkWriter.h"
#include "proto/rtmp/ServerConnection.h"
#include "unit/codec/av1/Av1TestData.h"

namespace ocellus::bridge {
namespace {

using Bytes = std::vector<std::uint8_t>;
using proto::rtmp::MessageType;

const Bytes kSps = {0x67, 0x42, 0xc0, 0x0d, 0xd9, 0x01, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00,
                    0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xf1, 0x42, 0x99, 0x20};
const Bytes kPps = {0x68, 0xcb, 0x83, 0xcb, 0x20};

struct Received {
  MessageType type{};
  std::uint32_t timestamp = 0;
  std::uint32_t streamId = 0;
  Bytes payload;
};

// Reads chunked bytes back as a player would (after the server's Set Chunk Size).
std::vector<Received> dechunk(const Bytes& bytes) {
  proto::rtmp::ChunkReader reader;
  Bytes setChunkSize;
  base::ByteWriter(setChunkSize).u32(proto::rtmp::ServerConnection::kChunkSize);
  std::vector<Received> out;
  auto collect = [&](const proto::rtmp::Message& m) {
    if (m.type != MessageType::SetChunkSize) {
      out.push_back({m.type, m.timestamp, m.streamId, Bytes(m.payload.begin(), m.payload.end())});
    }
    return base::Status{};
  };
  EXPECT_TRUE(reader.feed(proto::rtmp::ChunkWriter::encode({2, 0, MessageType::SetChunkSize, 0}, setChunkSize, 128), collect));
  EXPECT_TRUE(reader.feed(bytes, collect));
  return out;
}

std::vector<media::TrackInfo> tracks() {
  media::TrackInfo video;
  video.sps = kSps;
  video.pps = kPps;
  video.width = 320;
  video.height = 240;
  media::TrackInfo opus;
  opus.codec = codec::CodecId::Opus;
  opus.clockRate = 48000;
  media::TrackInfo aac;
  aac.codec = codec::CodecId::AAC;
  aac.clockRate = 48000;
  aac.channels = 2;
  aac.audioConfig = {0x11, 0x90};
  return {video, opus, aac};
}

media::UnitPtr unit(std::uint32_t track, std::int64_t dts, std::int64_t pts, bool key, Bytes data) {
  auto u = media::UnitPool::forThisThread().acquire();
  u->track = track;
  u->dts = dts;
  u->pts = pts;
  u->keyframe = key;
  u->data = std::move(data);
  return u;
}

TEST(FlvSender, CarriesH264AndAacAndNamesWhatItSkips) {
  FlvSender sender(tracks());
  EXPECT_FALSE(sender.empty());
  ASSERT_EQ(sender.skipped().size(), 1u);
  EXPECT_NE(sender.skipped()[0].find("opus"), std::string::npos);
  EXPECT_TRUE(FlvSender({tracks()[1]}).empty());
}

TEST(FlvSender, HeaderIsMetaDataThenSequenceHeaders) {
  FlvSender sender(tracks());
  const auto messages = dechunk(sender.header(1));
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].type, MessageType::DataAmf0);
  auto meta = proto::rtmp::Amf0::decodeAll(messages[0].payload);
  ASSERT_TRUE(meta);
  ASSERT_EQ(meta->size(), 2u);
  EXPECT_EQ((*meta)[0].string, "onMetaData");
  EXPECT_EQ((*meta)[1].getNumber("width"), 320);
  EXPECT_EQ((*meta)[1].getNumber("videocodecid"), 7);
  EXPECT_EQ((*meta)[1].getNumber("audiocodecid"), 10);

  EXPECT_EQ(messages[1].type, MessageType::Video);
  auto video = format::flv::VideoTag::parse(messages[1].payload);
  ASSERT_TRUE(video);
  EXPECT_EQ(video->packetType, format::flv::VideoPacketType::SequenceStart);
  EXPECT_EQ(messages[2].type, MessageType::Audio);
  auto audio = format::flv::AudioTag::parse(messages[2].payload);
  ASSERT_TRUE(audio);
  EXPECT_EQ(audio->packetType, format::flv::AacPacketType::SequenceHeader);
  EXPECT_EQ(Bytes(audio->data.begin(), audio->data.end()), (Bytes{0x11, 0x90}));
  for (const auto& m : messages) EXPECT_EQ(m.streamId, 1u);
}

TEST(FlvSender, FramesCarryMillisecondsCompositionTimeAndTheUnitAsIs) {
  FlvSender sender(tracks());
  Bytes au;
  codec::appendNal(Bytes{0x65, 0x88, 0x84}, au);
  auto bytes = sender.message(unit(0, 90 * 1000, 90 * 1040, true, au), 1);
  ASSERT_TRUE(bytes);
  auto messages = dechunk(*bytes);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].type, MessageType::Video);
  EXPECT_EQ(messages[0].timestamp, 1000u);
  auto tag = format::flv::VideoTag::parse(messages[0].payload);
  ASSERT_TRUE(tag);
  EXPECT_TRUE(tag->keyframe());
  EXPECT_EQ(tag->compositionTime, 40);
  EXPECT_EQ(Bytes(tag->data.begin(), tag->data.end()), au);

  auto audio = sender.message(unit(2, 48000 * 2, 48000 * 2, true, Bytes{7, 8}), 1);
  ASSERT_TRUE(audio);
  messages = dechunk(*audio);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].type, MessageType::Audio);
  EXPECT_EQ(messages[0].timestamp, 2000u);
  EXPECT_FALSE(sender.message(unit(1, 0, 0, true, Bytes{1}), 1));  // Opus: not carried
}

TEST(FlvSender, NewParameterSetsAreSentAsANewSequenceHeaderBeforeTheirKeyframe) {
  FlvSender sender(tracks());
  auto keyframe = [](const Bytes& sps) {
    Bytes au;
    codec::appendNal(sps, au);
    codec::appendNal(kPps, au);
    codec::appendNal(Bytes{0x65, 0x88, 0x84}, au);
    return au;
  };
  // The same parameter sets as the header's: the keyframe alone.
  auto same = dechunk(*sender.message(unit(0, 0, 0, true, keyframe(kSps)), 1));
  ASSERT_EQ(same.size(), 1u);

  Bytes wider = kSps;
  wider[5] = 0x02;  // another resolution
  auto u = unit(0, 90 * 2000, 90 * 2000, true, keyframe(wider));
  auto changed = dechunk(*sender.message(u, 1));
  ASSERT_EQ(changed.size(), 2u);
  auto header = format::flv::VideoTag::parse(changed[0].payload);
  ASSERT_TRUE(header);
  EXPECT_EQ(header->packetType, format::flv::VideoPacketType::SequenceStart);
  EXPECT_EQ(changed[0].timestamp, 2000u);
  auto record = codec::h264::DecoderConfigurationRecord::parse(header->data);
  ASSERT_TRUE(record);
  ASSERT_EQ(record->sps.size(), 1u);
  EXPECT_EQ(record->sps[0], wider);
  // Players on another message stream get it with that keyframe too; a new player in header().
  EXPECT_EQ(dechunk(*sender.message(u, 2)).size(), 2u);
  auto late = dechunk(sender.header(1));
  auto lateHeader = format::flv::VideoTag::parse(late[1].payload);
  ASSERT_TRUE(lateHeader);
  EXPECT_EQ(codec::h264::DecoderConfigurationRecord::parse(lateHeader->data)->sps[0], wider);
  // The next keyframe with those sets: no header again.
  EXPECT_EQ(dechunk(*sender.message(unit(0, 0, 0, true, keyframe(wider)), 1)).size(), 1u);
}

TEST(FlvSender, EachUnitIsEncodedOnceForAllPlayers) {
  FlvSender sender(tracks());
  auto u = unit(0, 0, 0, true, Bytes{0, 0, 0, 1, 0x65});
  auto first = sender.message(u, 1);
  for (int player = 0; player < 100; ++player) EXPECT_EQ(sender.message(u, 1), first);
  EXPECT_EQ(sender.encoded(), 1u);
  // A player on another message stream id needs other bytes.
  EXPECT_NE(sender.message(u, 2), first);
  EXPECT_EQ(sender.encoded(), 2u);
  // A lagging player finds its unit among the last kCacheSize ones.
  for (std::size_t i = 0; i < FlvSender::kCacheSize - 2; ++i) sender.message(unit(0, 0, 0, false, Bytes{0, 0, 0, 1, 0x41}), 1);
  EXPECT_EQ(sender.message(u, 1), first);
  sender.message(unit(0, 0, 0, false, Bytes{0, 0, 0, 1, 0x41}), 1);
  sender.message(unit(0, 0, 0, false, Bytes{0, 0, 0, 1, 0x41}), 1);
  EXPECT_NE(sender.message(u, 1), first);  // gone from the cache: made again
}

TEST(FlvSender, CarriesAv1AsEnhancedRtmpWithItsAv1c) {
  namespace av1 = codec::av1::test;
  media::TrackInfo track;
  track.codec = codec::CodecId::AV1;
  track.sequenceHeader = av1::sequenceHeaderObu();
  track.width = 320;
  track.height = 240;
  FlvSender sender({track});
  ASSERT_FALSE(sender.empty());
  const auto header = dechunk(sender.header(1));
  ASSERT_EQ(header.size(), 2u);
  auto meta = proto::rtmp::Amf0::decodeAll(header[0].payload);
  ASSERT_TRUE(meta);
  EXPECT_EQ((*meta)[1].getNumber("videocodecid"), 0x61763031);  // 'av01'
  auto start = format::flv::VideoTag::parse(header[1].payload);
  ASSERT_TRUE(start);
  EXPECT_TRUE(start->enhanced);
  EXPECT_EQ(start->codec, format::flv::VideoCodec::AV1);
  EXPECT_EQ(start->packetType, format::flv::VideoPacketType::SequenceStart);
  EXPECT_EQ(Bytes(start->data.begin(), start->data.end()), av1::av1c());

  auto bytes = sender.message(unit(0, 90 * 40, 90 * 40, false, av1::kInterFrameObu), 1);
  ASSERT_TRUE(bytes);
  const auto frames = dechunk(*bytes);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].timestamp, 40u);
  auto tag = format::flv::VideoTag::parse(frames[0].payload);
  ASSERT_TRUE(tag);
  EXPECT_EQ(tag->codec, format::flv::VideoCodec::AV1);
  EXPECT_EQ(tag->packetType, format::flv::VideoPacketType::CodedFrames);
  EXPECT_FALSE(tag->keyframe());
  EXPECT_EQ(Bytes(tag->data.begin(), tag->data.end()), av1::kInterFrameObu);
}

TEST(FlvSender, Av1WithoutASequenceHeaderTakesItFromTheFirstKeyframe) {
  namespace av1 = codec::av1::test;
  media::TrackInfo track;  // as a WHIP publisher's AV1 track: nothing from the SDP
  track.codec = codec::CodecId::AV1;
  FlvSender sender({track});
  EXPECT_EQ(dechunk(sender.header(1)).size(), 1u);  // onMetaData only
  Bytes key = av1::sequenceHeaderObu();
  key.insert(key.end(), av1::kKeyFrameObu.begin(), av1::kKeyFrameObu.end());
  auto bytes = sender.message(unit(0, 0, 0, true, key), 1);
  ASSERT_TRUE(bytes);
  const auto messages = dechunk(*bytes);
  ASSERT_EQ(messages.size(), 2u);
  auto start = format::flv::VideoTag::parse(messages[0].payload);
  ASSERT_TRUE(start);
  EXPECT_EQ(start->packetType, format::flv::VideoPacketType::SequenceStart);
  EXPECT_EQ(Bytes(start->data.begin(), start->data.end()), av1::av1c());
  auto frame = format::flv::VideoTag::parse(messages[1].payload);
  ASSERT_TRUE(frame);
  EXPECT_TRUE(frame->keyframe());
  EXPECT_EQ(Bytes(frame->data.begin(), frame->data.end()), key);
  EXPECT_EQ(dechunk(sender.header(1)).size(), 2u);  // later players get it up front
}

}  // namespace
}  // namespace ocellus::bridge
